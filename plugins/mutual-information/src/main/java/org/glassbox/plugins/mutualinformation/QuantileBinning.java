package org.glassbox.plugins.mutualinformation;

import java.util.Arrays;

/**
 * Equal-population (quantile) binning of one function, done once per function so that every pair
 * only has to fill an integer-indexed histogram.
 *
 * <p>The rule, which depends only on the order of the values and on the event weights (so any
 * strictly increasing transform of a function gives the same bins):
 *
 * <ol>
 *   <li>Equal values are one group and always share a bin ({@code -0.0} and {@code 0.0} are equal).
 *       A function with at most {@code bins} distinct values gets one bin per distinct value
 *       (METHODS.md: discrete inputs get one bin per distinct value).
 *   <li>Otherwise the groups are taken in increasing order and bins are filled greedily: with
 *       {@code left} bins and weight {@code R} not yet assigned, the current bin aims at {@code R /
 *       left}; a group joins the current bin when the bin is empty or when the bin's weight plus
 *       half the group's weight stays within the aim (the group's mid-quantile lies inside the
 *       bin); otherwise the bin is closed and the aim recomputed from what is left. The last bin
 *       takes the rest.
 * </ol>
 *
 * <p>Without ties and with unit weights this is the textbook equal-population split: N = 1000 in
 * 20 bins gives exactly 50 events per bin. With ties a value that holds more than a bin's share of
 * the weight (a ReLU neuron's zeros, a b-tag, an event with a large weight) takes a bin of its own
 * and the remaining bins are shared evenly by the remaining weight, so no resolution is lost on
 * the rest of the distribution; the number of bins can then be smaller than asked, and is
 * reported.
 */
final class QuantileBinning {
  private QuantileBinning() {}

  /**
   * One binned function.
   *
   * @param name the function's name
   * @param bins per-event bin index, 0 to {@code count - 1}
   * @param count the number of bins used
   * @param binWeight the weight (or count) in each bin
   * @param entropy Shannon entropy of the binned function in nats
   * @param discrete whether every distinct value has its own bin
   */
  record Binned(String name, short[] bins, int count, double[] binWeight, double entropy, boolean discrete) {
    /** Bins holding a positive weight. */
    int occupied() {
      int k = 0;
      for (double w : binWeight) {
        if (w > 0) k++;
      }
      return k;
    }
  }

  /**
   * Bins a function.
   *
   * @param weights event weights, non-negative and finite, or null for unit weights
   * @param maxBins the number of bins asked for, 2 to {@link Short#MAX_VALUE}
   */
  static Binned bin(String name, double[] values, double[] weights, int maxBins) {
    int n = values.length;
    double[] distinct = new double[n];
    for (int e = 0; e < n; e++) {
      double v = values[e];
      MutualInformation.checkValue(v, name, "event " + e);
      distinct[e] = v == 0 ? 0.0 : v;
    }
    Arrays.sort(distinct);
    int m = 0;
    for (int e = 0; e < n; e++) {
      if (m == 0 || distinct[e] != distinct[m - 1]) distinct[m++] = distinct[e];
    }
    int[] group = new int[n];
    double[] groupWeight = new double[m];
    for (int e = 0; e < n; e++) {
      double v = values[e] == 0 ? 0.0 : values[e];
      int d = Arrays.binarySearch(distinct, 0, m, v);
      group[e] = d;
      groupWeight[d] += weights == null ? 1 : weights[e];
    }

    int[] binOf = new int[m];
    int count;
    boolean discrete = m <= maxBins;
    if (discrete) {
      for (int d = 0; d < m; d++) binOf[d] = d;
      count = m;
    } else {
      double total = 0;
      for (double w : groupWeight) total += w;
      EqualPopulationScan scan = new EqualPopulationScan(total, maxBins);
      for (int d = 0; d < m; d++) binOf[d] = scan.next(groupWeight[d]);
      count = scan.bin() + 1;
    }

    short[] bins = new short[n];
    double[] binWeight = new double[count];
    for (int e = 0; e < n; e++) bins[e] = (short) binOf[group[e]];
    for (int d = 0; d < m; d++) binWeight[binOf[d]] += groupWeight[d];
    return new Binned(name, bins, count, binWeight, entropy(binWeight), discrete);
  }

  /** Shannon entropy in nats of a histogram of non-negative weights. */
  static double entropy(double[] weights) {
    double total = 0;
    for (double w : weights) total += w;
    double h = 0;
    for (double w : weights) {
      if (w > 0) {
        double p = w / total;
        h -= p * Math.log(p);
      }
    }
    return Math.max(h, 0);
  }
}
