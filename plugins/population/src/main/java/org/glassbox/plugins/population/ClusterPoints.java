package org.glassbox.plugins.population;

import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionSpec;

/** The points of a clustering context as double rows, rescaled per column as option {@code scale} says. */
final class ClusterPoints {
  private ClusterPoints() {}

  static final OptionSpec SCALE = OptionSpec.choice("scale", "range",
      "rescaling of each column before clustering (distances and eps are in these units): range = divided by the"
          + " column's max - min over the points, standardised = by its standard deviation, none = as given",
      "range", "standardised", "none");

  static double[][] of(FloatTensor points, String scale) {
    int n = points.events();
    int d = points.eventSize();
    float[] x = points.data();
    double[][] rows = new double[n][d];
    for (int e = 0; e < n; e++) for (int j = 0; j < d; j++) rows[e][j] = x[e * d + j];
    if (scale.equals("none") || n == 0) return rows;
    for (int j = 0; j < d; j++) {
      double divisor;
      if (scale.equals("range")) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] r : rows) {
          lo = Math.min(lo, r[j]);
          hi = Math.max(hi, r[j]);
        }
        divisor = hi - lo;
      } else {
        double mean = 0;
        for (double[] r : rows) mean += r[j];
        mean /= n;
        double var = 0;
        for (double[] r : rows) var += (r[j] - mean) * (r[j] - mean);
        divisor = Math.sqrt(var / n);
      }
      if (!(divisor > 0) || !Double.isFinite(divisor)) continue; // a constant column stays as it is
      for (double[] r : rows) r[j] /= divisor;
    }
    return rows;
  }
}
