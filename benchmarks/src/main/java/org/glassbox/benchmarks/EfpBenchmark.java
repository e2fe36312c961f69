package org.glassbox.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.plugins.efp.EfpGraph;
import org.glassbox.plugins.efp.EfpLibrary;
import org.glassbox.plugins.efp.JetBatch;
import org.glassbox.plugins.efp.Measure;

/**
 * Issue 11's speed goals for energy flow polynomials: jets per second on one thread for all EFPs
 * with d ≤ 5 (goal ≥ 2,000; EnergyFlow 1.4 does about 170) and d ≤ 7 (goal ≥ 50) at M = 50
 * particles, one κ and β, and the share of the d ≤ 7 time spent on the χ = 4 graphs.
 *
 * <p>Run: {@code ./glassbox-bench efp [particles]}.
 */
public final class EfpBenchmark {
  private EfpBenchmark() {}

  public static void main(String[] args) {
    int m = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    System.out.printf("Glassbox EFP benchmark (%d cores visible; one thread unless stated), M = %d particles, κ = 1, β = 1%n",
        Runtime.getRuntime().availableProcessors(), m);
    rate(5, 2_000, m, 2_000);
    EfpLibrary seven = rate(7, 200, m, 50);
    JetBatch batch = jets(50, m, 7);
    Map<Integer, Double> byChi = seven.secondsByChi(batch, 5);
    double total = byChi.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Integer, Double> e : byChi.entrySet()) {
      sb.append(String.format("  χ=%d %5.1f%%", e.getKey(), 100 * e.getValue() / total));
    }
    long chi4 = seven.graphs().stream().filter(g -> g.prime() && g.chi() == 4).count();
    System.out.printf("d <= 7 time by χ (step-timed, shared steps counted for the smallest χ needing them):%s%n", sb);
    System.out.printf("d <= 7 share of time on the %d χ = 4 graphs: %.1f%%%n", chi4, 100 * byChi.getOrDefault(4, 0.0) / total);
    int threads = Runtime.getRuntime().availableProcessors();
    if (threads > 1) {
      JetBatch big = jets(400, m, 8);
      double t = Timing.medianSeconds(1, 3, () -> seven.compute(big, threads));
      System.out.printf("d <= 7 on %d threads: %,.0f jets/s%n", threads, big.size() / t);
    }
  }

  private static EfpLibrary rate(int maxDegree, int jetCount, int m, int goal) {
    long start = System.nanoTime();
    EfpLibrary lib = EfpLibrary.create(maxDegree, List.of(1.0), List.of(1.0), Measure.HADRONIC);
    double build = (System.nanoTime() - start) / 1e9;
    List<EfpGraph> graphs = lib.graphs();
    long primes = graphs.stream().filter(EfpGraph::prime).count();
    int[] chi = new int[6];
    for (EfpGraph g : graphs) {
      if (g.prime()) {
        chi[g.chi()]++;
      }
    }
    JetBatch batch = jets(jetCount, m, maxDegree);
    double[] times = new double[7];
    for (int i = 0; i < 2; i++) {
      lib.compute(batch);
    }
    for (int i = 0; i < times.length; i++) {
      long s = System.nanoTime();
      lib.compute(batch);
      times[i] = (System.nanoTime() - s) / 1e9;
    }
    Arrays.sort(times);
    System.out.printf("d <= %d: %4d EFPs (%3d prime; prime χ=1..4: %s), library built in %.2f s%n", maxDegree, graphs.size(), primes,
        Arrays.toString(Arrays.copyOfRange(chi, 1, 5)), build);
    System.out.printf("d <= %d: %,8.0f jets/s median, %,8.0f best of %d runs of %d jets (goal >= %,d)%n", maxDegree,
        jetCount / times[times.length / 2], jetCount / times[0], times.length, jetCount, goal);
    return lib;
  }

  /** Jets of m particles in a cone of radius 0.4 around random axes, some across φ = ±π. */
  static JetBatch jets(int count, int m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] pt = new double[count][m];
    double[][] y = new double[count][m];
    double[][] phi = new double[count][m];
    for (int j = 0; j < count; j++) {
      double y0 = r.nextDouble() * 4 - 2;
      double phi0 = r.nextDouble() * 2 * Math.PI - Math.PI;
      for (int a = 0; a < m; a++) {
        pt[j][a] = -Math.log(1 - r.nextDouble()) * 10 + 0.5;
        double rho = 0.4 * Math.sqrt(r.nextDouble());
        double ang = r.nextDouble() * 2 * Math.PI;
        y[j][a] = y0 + rho * Math.cos(ang);
        double p = phi0 + rho * Math.sin(ang);
        phi[j][a] = p > Math.PI ? p - 2 * Math.PI : p < -Math.PI ? p + 2 * Math.PI : p;
      }
    }
    return JetBatch.hadronic(pt, y, phi);
  }
}
