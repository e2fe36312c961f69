package org.glassbox.plugins.ado;

import org.glassbox.api.GlassboxException;

/**
 * Approximate median significance (seed 000, eq. 5, from the Higgs Machine Learning Challenge):
 * {@code AMS = sqrt(2((s + b + b_r) ln(1 + s / (b + b_r)) - s))}, with s and b the expected numbers
 * of signal and background events passing a selection and {@code b_r = 10}.
 */
public final class Ams {
  /** b_r of seed 000 eq. 5. */
  public static final double DEFAULT_REGULARIZATION = 10;

  private Ams() {}

  /** AMS of s signal and b background events passing, with {@code b_r = 10}. */
  public static double value(double s, double b) {
    return value(s, b, DEFAULT_REGULARIZATION);
  }

  /**
   * AMS with regularization {@code br}.
   *
   * @throws GlassboxException if s, b or br is negative or not finite, or b + br is 0
   */
  public static double value(double s, double b, double br) {
    if (!(s >= 0) || !(b >= 0) || !(br >= 0) || Double.isInfinite(s + b + br)) {
      throw new GlassboxException("AMS needs finite, non-negative s, b and b_r; found s = " + s
          + ", b = " + b + ", b_r = " + br);
    }
    double bb = b + br;
    if (!(bb > 0)) {
      throw new GlassboxException("AMS is unbounded with b + b_r = 0; use b_r > 0 (seed 000: 10)");
    }
    // log1p keeps the radicand accurate when s << b + br, where ln(1 + x) and x nearly cancel.
    double radicand = 2 * ((s + bb) * Math.log1p(s / bb) - s);
    return Math.sqrt(Math.max(0, radicand));
  }

  /** The best AMS over all cuts on {@code score} in the given direction, with {@code b_r = 10}. */
  public static AmsCut scan(Scores score, Events events, Direction direction) {
    return scan(score, events, direction, DEFAULT_REGULARIZATION);
  }

  /**
   * Scans every cut on {@code score} (one per distinct value, O(N) after {@link Scores}'s sort) and
   * returns the one with the largest AMS; of equal AMS, the tightest cut. s and b are the summed
   * weights of the passing signal and background events, so the weights must already be expected
   * numbers of events (normalised to cross-section × luminosity and to the fraction evaluated).
   */
  public static AmsCut scan(Scores score, Events events, Direction direction, double br) {
    events.requireSameSize(score);
    if (!(br > 0) || Double.isInfinite(br)) {
      throw new GlassboxException(
          "the AMS regularization b_r must be positive and finite, found " + br);
    }
    int u = score.distinctCount();
    double[] signalAt = new double[u];
    double[] backgroundAt = new double[u];
    long[] countAt = new long[u];
    int[] rank = score.ranks();
    for (int i = 0; i < rank.length; i++) {
      if (events.isSignal(i)) {
        signalAt[rank[i]] += events.weight(i);
      } else {
        backgroundAt[rank[i]] += events.weight(i);
      }
      countAt[rank[i]]++;
    }
    boolean high = direction == Direction.SIGNAL_HIGH;
    double s = 0;
    double b = 0;
    long passing = 0;
    double bestAms = -1;
    int bestRank = -1;
    double bestS = 0;
    double bestB = 0;
    long bestPassing = 0;
    // From the tightest cut to the loosest, adding one group of equal scores at a time.
    for (int k = 0; k < u; k++) {
      int r = high ? u - 1 - k : k;
      s += signalAt[r];
      b += backgroundAt[r];
      passing += countAt[r];
      double ams = value(s, b, br);
      if (ams > bestAms) {
        bestAms = ams;
        bestRank = r;
        bestS = s;
        bestB = b;
        bestPassing = passing;
      }
    }
    return new AmsCut(bestAms, score.valueOfRank(bestRank), direction, bestS, bestB, bestPassing,
        br, events.unitWeights());
  }
}
