package org.glassbox.benchmarks;

import java.util.SplittableRandom;
import org.glassbox.plugins.ado.Ado;
import org.glassbox.plugins.ado.Auc;
import org.glassbox.plugins.ado.DecisionOrdering;
import org.glassbox.plugins.ado.DisagreementScore;
import org.glassbox.plugins.ado.DisagreementSet;
import org.glassbox.plugins.ado.Estimate;
import org.glassbox.plugins.ado.Events;
import org.glassbox.plugins.ado.SampledPairs;
import org.glassbox.plugins.ado.Scores;

/**
 * Issue goal for the ADO plugin: exact ADO over 10⁶ signal × 10⁶ background events (10¹² pairs)
 * in under 10 s on 2 cores, next to the brute-force pair loop timed on a small run and scaled up;
 * then the exact disagreement score (O(N log² N)) on 10⁶ events and the exact AUC.
 *
 * <p>Run: {@code ./glassbox-bench ado [signal-events]} (default 1,000,000 of each class).
 */
public final class AdoBenchmark {
  private AdoBenchmark() {}

  /** Scores of three correlated functions that separate the classes, and the labels. */
  private record Sample(boolean[] signal, double[] f, double[] g, double[] h) {
    static Sample of(int perClass, long seed) {
      int n = 2 * perClass;
      SplittableRandom r = new SplittableRandom(seed);
      boolean[] s = new boolean[n];
      double[] f = new double[n];
      double[] g = new double[n];
      double[] h = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = i % 2 == 0;
        double shift = s[i] ? 1 : 0;
        double common = r.nextGaussian();
        f[i] = shift + common + 0.7 * r.nextGaussian();
        g[i] = shift + 0.8 * common + r.nextGaussian();
        h[i] = 0.5 * shift - 0.3 * common + r.nextGaussian();
      }
      return new Sample(s, f, g, h);
    }
  }

  public static void main(String[] args) {
    int perClass = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    Runtime rt = Runtime.getRuntime();
    System.out.printf("Glassbox ADO benchmark (%d cores, max heap %.1f GiB)%n",
        rt.availableProcessors(), rt.maxMemory() / 1073741824.0);
    exactVersusBruteForce(perClass);
    disagreement(perClass / 2);
    auc(perClass);
  }

  private static void exactVersusBruteForce(int perClass) {
    Sample big = Sample.of(perClass, 1);
    Events events = Events.of(big.signal());
    double pairs = (double) perClass * perClass;
    // Ranking (the sort) is part of the exact computation; it is timed with it.
    Ado[] result = new Ado[1];
    double exact = Timing.medianSeconds(1, 3, () -> result[0] = DecisionOrdering.exact(
        Scores.of("f", big.f()), Scores.of("g", big.g()), events));
    Scores f = Scores.of("f", big.f());
    Scores g = Scores.of("g", big.g());
    double countOnly = Timing.medianSeconds(1, 3, () -> DecisionOrdering.exact(f, g, events));
    System.out.printf("exact ADO        %,d x %,d events (%.1e pairs): %8.3f s (sorting included;"
            + " %.3f s without) -> ADO %.6f (goal < 10 s)%n",
        perClass, perClass, pairs, exact, countOnly, result[0].oriented());

    int small = 2_000;
    Sample s = Sample.of(small, 2);
    double[] fs = new double[small];
    double[] gs = new double[small];
    double[] fb = new double[small];
    double[] gb = new double[small];
    for (int i = 0; i < small; i++) {
      fs[i] = s.f()[2 * i];
      gs[i] = s.g()[2 * i];
      fb[i] = s.f()[2 * i + 1];
      gb[i] = s.g()[2 * i + 1];
    }
    double[] brute = new double[1];
    double bruteTime = Timing.medianSeconds(3, 7, () -> brute[0] = bruteForceAdo(fs, gs, fb, gb));
    double smallPairs = (double) small * small;
    Ado smallExact = DecisionOrdering.exact(Scores.of("f", s.f()), Scores.of("g", s.g()),
        Events.of(s.signal()));
    System.out.printf("brute force ADO  %,d x %,d events (%.1e pairs, 1 thread): %8.4f s -> %.2f ns"
            + " per pair; extrapolated to %.1e pairs: %,.0f s (%.1f h; half that on 2 cores at"
            + " best); exact/brute here %.6f/%.6f%n",
        small, small, smallPairs, bruteTime, bruteTime / smallPairs * 1e9, pairs,
        bruteTime / smallPairs * pairs, bruteTime / smallPairs * pairs / 3600, smallExact.raw(),
        brute[0]);
    System.out.printf("exact is %,.0fx faster than the extrapolated 1-thread brute force at %.1e"
            + " pairs%n", bruteTime / smallPairs * pairs / exact, pairs);
  }

  /**
   * The pair loop of the definition, Θ of the product with ½ at 0, written so that the JIT compiles
   * it without branches (counting in halves): about 5x faster than the plain ternary, a fair
   * baseline.
   */
  private static double bruteForceAdo(double[] fs, double[] gs, double[] fb, double[] gb) {
    long halves = 0;
    for (int i = 0; i < fs.length; i++) {
      double fi = fs[i];
      double gi = gs[i];
      for (int j = 0; j < fb.length; j++) {
        double p = (fi - fb[j]) * (gi - gb[j]);
        halves += (p > 0 ? 2 : 0) + (p == 0 ? 1 : 0);
      }
    }
    return halves / (2.0 * fs.length * fb.length);
  }

  private static void disagreement(int perClass) {
    Sample d = Sample.of(perClass, 3);
    Events events = Events.of(d.signal());
    Scores f = Scores.of("f", d.f());
    Scores g = Scores.of("g", d.g());
    Scores h = Scores.of("h", d.h());
    DisagreementSet[] set = new DisagreementSet[1];
    double build = Timing.medianSeconds(1, 3, () -> set[0] = DisagreementSet.of(f, g, events));
    DisagreementScore[] score = new DisagreementScore[1];
    double scoreTime = Timing.medianSeconds(1, 3, () -> score[0] = set[0].score(h));
    double scoreOneThread = Timing.medianSeconds(1, 3, () -> set[0].score(h, 1));
    SampledPairs pairs = SampledPairs.draw(events, SampledPairs.DEFAULT_PAIRS, 1);
    Estimate est = pairs.disagreement(f, g, h);
    System.out.printf("disagreement     %,d events (%,d x %,d), subset %.3e pairs: set %.3f s,"
            + " exact score of h %.3f s (%.3f s on 1 thread) -> %.6f; 50,000 sampled pairs"
            + " (%,d in the subset) -> %.4f +- %.4f%n",
        2 * perClass, perClass, perClass, (double) set[0].pairCount(), build, scoreTime,
        scoreOneThread, score[0].raw(), est.pairs(), est.raw(), est.standardError());
  }

  private static void auc(int perClass) {
    Sample d = Sample.of(perClass, 4);
    Events events = Events.of(d.signal());
    Auc[] auc = new Auc[1];
    double withSort =
        Timing.medianSeconds(1, 3, () -> auc[0] = Auc.exact(Scores.of("f", d.f()), events));
    Scores f = Scores.of("f", d.f());
    double countOnly = Timing.medianSeconds(1, 5, () -> Auc.exact(f, events));
    System.out.printf("exact AUC        %,d x %,d events: %8.3f s (sorting included; %.3f s"
            + " without) -> AUC %.6f%n",
        perClass, perClass, withSort, countOnly, auc[0].value());
  }
}
