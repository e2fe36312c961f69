package org.glassbox.plugins.population;

import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionException;

/**
 * The input box of the ascent: per-feature bounds [low, high] (METHODS.md §3: by default the data's
 * [min, max]). Features whose width is 0 stay fixed.
 */
record Box(double[] low, double[] high) {

  int features() {
    return low.length;
  }

  double width(int i) {
    return high[i] - low[i];
  }

  /** Box coordinate of x in feature i: 0 at low, 1 at high (0 for a fixed feature). */
  double unit(int i, double x) {
    double w = width(i);
    return w > 0 ? (x - low[i]) / w : 0;
  }

  /**
   * Whether feature i of a point lies on the boundary: within {@code tolerance} box units (one step)
   * of a bound. Fixed features (width 0) are never on the boundary.
   */
  boolean onBoundary(int i, double x, double tolerance) {
    double w = width(i);
    if (!(w > 0)) return false;
    double slack = tolerance * w * (1 + 1e-9);
    return x - low[i] <= slack || high[i] - x <= slack;
  }

  /** The box from the options (empty list = the data's min or max, one value = all features, else one per feature). */
  static Box of(FloatTensor inputs, List<Double> lowOption, List<Double> highOption) {
    int f = inputs.eventSize();
    int n = inputs.events();
    double[] min = new double[f];
    double[] max = new double[f];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    float[] x = inputs.data();
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < f; i++) {
        float v = x[e * f + i];
        if (v < min[i]) min[i] = v;
        if (v > max[i]) max[i] = v;
      }
    }
    if (n == 0 && (lowOption.isEmpty() || highOption.isEmpty())) {
      throw new OptionException(lowOption.isEmpty() ? AscentSettings.BOX_LOW.name() : AscentSettings.BOX_HIGH.name(),
          "the data set has no events, so the input box must be given: set box_low and box_high.");
    }
    double[] low = bounds(AscentSettings.BOX_LOW.name(), lowOption, min, f);
    double[] high = bounds(AscentSettings.BOX_HIGH.name(), highOption, max, f);
    for (int i = 0; i < f; i++) {
      if (!(low[i] <= high[i]) || !Double.isFinite(low[i]) || !Double.isFinite(high[i])) {
        throw new OptionException(lowOption.isEmpty() ? AscentSettings.BOX_HIGH.name() : AscentSettings.BOX_LOW.name(),
            "the input box of feature " + i + " is [" + low[i] + ", " + high[i] + "]: box_low must not exceed box_high"
                + " (and the data must be finite).");
      }
    }
    return new Box(low, high);
  }

  private static double[] bounds(String option, List<Double> values, double[] data, int f) {
    if (values.isEmpty()) return data.clone();
    double[] b = new double[f];
    if (values.size() == 1) {
      java.util.Arrays.fill(b, values.get(0));
    } else if (values.size() == f) {
      for (int i = 0; i < f; i++) b[i] = values.get(i);
    } else {
      throw new OptionException(option, option + " has " + values.size() + " values; give none (the data's range), one"
          + " (for every feature) or one per feature (" + f + ").");
    }
    return b;
  }
}
