package org.glassbox.plugins.ado;

import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;

/**
 * A seeded random set of signal/background pairs, for estimates of ADO, AUC and the disagreement
 * score that cross-check the exact ones (seed 002's authors draw 50,000 pairs).
 *
 * <p>The signal event and the background event of each pair are drawn independently, with
 * probability proportional to their weights; the plain mean over the drawn pairs then estimates
 * the weighted mean over all pairs (weight {@code w_s · w_b}) without bias. One draw serves every
 * function compared, so candidates are judged on the same pairs.
 */
public final class SampledPairs {
  /** The number of pairs seed 002's authors draw. */
  public static final int DEFAULT_PAIRS = 50_000;

  private final Events events;
  private final int[] signal;
  private final int[] background;

  private SampledPairs(Events events, int[] signal, int[] background) {
    this.events = events;
    this.signal = signal;
    this.background = background;
  }

  /**
   * Draws {@code pairs} signal/background pairs; the same seed gives the same pairs.
   *
   * @throws GlassboxException if pairs is not positive
   */
  public static SampledPairs draw(Events events, int pairs, long seed) {
    if (pairs <= 0) {
      throw new GlassboxException("the number of sampled pairs must be positive, found " + pairs);
    }
    int n = events.size();
    int[] sig = new int[events.signalCount()];
    int[] bkg = new int[events.backgroundCount()];
    double[] sigCum = new double[sig.length];
    double[] bkgCum = new double[bkg.length];
    int ns = 0;
    int nb = 0;
    double cs = 0;
    double cb = 0;
    for (int e = 0; e < n; e++) {
      if (events.isSignal(e)) {
        cs += events.weight(e);
        sig[ns] = e;
        sigCum[ns++] = cs;
      } else {
        cb += events.weight(e);
        bkg[nb] = e;
        bkgCum[nb++] = cb;
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] s = new int[pairs];
    int[] b = new int[pairs];
    for (int k = 0; k < pairs; k++) {
      s[k] = sig[pick(sigCum, random.nextDouble() * cs)];
      b[k] = bkg[pick(bkgCum, random.nextDouble() * cb)];
    }
    return new SampledPairs(events, s, b);
  }

  /** The first index whose cumulative weight exceeds u (zero-weight events are never picked). */
  private static int pick(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  public int size() {
    return signal.length;
  }

  /** Estimated ADO of f and g: the mean of DO over the drawn pairs (ties ½). */
  public Estimate ado(Scores f, Scores g) {
    events.requireSameSize(f);
    events.requireSameSize(g);
    int[] fr = f.ranks();
    int[] gr = g.ranks();
    Mean m = new Mean();
    for (int k = 0; k < signal.length; k++) {
      int s = signal[k];
      int b = background[k];
      m.add(decisionOrdering(Integer.compare(fr[s], fr[b]), Integer.compare(gr[s], gr[b])));
    }
    return m.estimate();
  }

  /** Estimated AUC (high scores signal-like): the fraction of drawn pairs ordered right. */
  public Estimate auc(Scores score) {
    events.requireSameSize(score);
    int[] r = score.ranks();
    Mean m = new Mean();
    for (int k = 0; k < signal.length; k++) {
      m.add(decisionOrdering(Integer.compare(r[signal[k]], r[background[k]]), 1));
    }
    return m.estimate();
  }

  /**
   * Estimated score of h on the pairs f and g order differently: the drawn pairs are filtered to
   * that subset and DO(h, g) is averaged over those that remain.
   *
   * @throws GlassboxException if no drawn pair is in the subset
   */
  public Estimate disagreement(Scores f, Scores g, Scores h) {
    events.requireSameSize(f);
    events.requireSameSize(g);
    events.requireSameSize(h);
    int[] fr = f.ranks();
    int[] gr = g.ranks();
    int[] hr = h.ranks();
    Mean m = new Mean();
    for (int k = 0; k < signal.length; k++) {
      int s = signal[k];
      int b = background[k];
      int gc = Integer.compare(gr[s], gr[b]);
      if (Integer.compare(fr[s], fr[b]) * gc < 0) {
        m.add(decisionOrdering(Integer.compare(hr[s], hr[b]), gc));
      }
    }
    if (m.count == 0) {
      throw new GlassboxException("none of the " + signal.length + " sampled pairs is ordered"
          + " differently by '" + f.name() + "' and '" + g.name() + "'; draw more pairs or use the"
          + " exact DisagreementSet");
    }
    return m.estimate();
  }

  /** DO from the signs of the two differences: 1 alike, 0 opposite, ½ when either ties. */
  private static double decisionOrdering(int signA, int signB) {
    int product = signA * signB;
    return product > 0 ? 1 : product < 0 ? 0 : 0.5;
  }

  /** Running mean and variance (Welford), so the standard error needs no second pass. */
  private static final class Mean {
    int count;
    double mean;
    double m2;

    void add(double x) {
      count++;
      double d = x - mean;
      mean += d / count;
      m2 += d * (x - mean);
    }

    Estimate estimate() {
      double variance = count > 1 ? m2 / (count - 1) : 0;
      return new Estimate(mean, Math.sqrt(variance / count), count);
    }
  }
}
