package org.glassbox.plugins.population;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Bins of one input for the population histograms, and the probability q of each bin under the
 * starting distribution (for the 1-D KL divergence of METHODS.md §4.2).
 *
 * <ul>
 *   <li>Uniform starts: equal-width bins over the box (equal-population under the starting
 *       distribution, the quantile-bin convention of METHODS.md §2), q = width fraction.
 *   <li>Data starts: quantile bins of the data clipped to the box, q = the data's weighted fraction.
 *   <li>Discrete inputs (at most {@code bins} distinct data values): one bin per value, edges halfway
 *       between values (METHODS.md: "one bin per distinct value wherever a method bins").
 * </ul>
 *
 * @param edges interior edges, increasing; bin b holds edges[b-1] &lt;= x &lt; edges[b]
 */
record Binning(double[] edges, double[] q) {

  int count() {
    return edges.length + 1;
  }

  int bin(double x) {
    int at = Arrays.binarySearch(edges, x);
    return at >= 0 ? at + 1 : -at - 1;
  }

  static Binning of(double low, double high, int bins, double[] dataColumn, double[] weights, boolean fromData) {
    TreeSet<Double> distinct = new TreeSet<>();
    for (double v : dataColumn) {
      distinct.add(v);
      if (distinct.size() > bins) break;
    }
    double[] edges;
    if (dataColumn.length > 0 && distinct.size() <= bins && distinct.size() >= 2) {
      Double[] values = distinct.toArray(new Double[0]);
      edges = new double[values.length - 1];
      for (int i = 0; i < edges.length; i++) edges[i] = (values[i] + values[i + 1]) / 2;
    } else if (fromData && dataColumn.length > 0) {
      double[] sorted = dataColumn.clone();
      Arrays.sort(sorted);
      TreeSet<Double> cut = new TreeSet<>();
      for (int b = 1; b < bins; b++) {
        double e = sorted[(int) Math.min(sorted.length - 1, Math.floor((double) b * sorted.length / bins))];
        if (e > low && e < high) cut.add(e);
      }
      edges = cut.stream().mapToDouble(Double::doubleValue).toArray();
    } else {
      edges = new double[bins - 1];
      for (int b = 1; b < bins; b++) edges[b - 1] = low + (high - low) * b / bins;
    }
    Binning shape = new Binning(edges, null);
    double[] q = new double[shape.count()];
    if (fromData && dataColumn.length > 0) {
      double total = 0;
      for (int e = 0; e < dataColumn.length; e++) {
        double w = weights == null ? 1 : Math.max(weights[e], 0);
        q[shape.bin(Math.min(Math.max(dataColumn[e], low), high))] += w;
        total += w;
      }
      for (int b = 0; b < q.length; b++) q[b] = total > 0 ? q[b] / total : 1.0 / q.length;
    } else {
      double width = high - low;
      for (int b = 0; b < q.length; b++) {
        double lo = b == 0 ? low : Math.max(low, edges[b - 1]);
        double hi = b == q.length - 1 ? high : Math.min(high, edges[b]);
        q[b] = width > 0 ? Math.max(hi - lo, 0) / width : 1.0 / q.length;
      }
    }
    return new Binning(edges, q);
  }
}
