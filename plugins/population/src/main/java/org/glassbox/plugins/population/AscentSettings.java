package org.glassbox.plugins.population;

import java.util.List;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;

/**
 * The options of gradient ascent (METHODS.md §3), validated; shared by {@code gradient-ascent} and
 * {@code caveman}, which builds its population with the same code.
 */
record AscentSettings(int starts, int steps, double step, double threshold, boolean quantile, boolean initFromData,
    List<Double> boxLow, List<Double> boxHigh, double mahalanobis, boolean unweighted) {

  static final OptionSpec STARTS = OptionSpec.integer("starts", 1000,
      "number of starting points M; all advance together, one gradient call per step");
  static final OptionSpec STEPS = OptionSpec.integer("steps", 500,
      "step budget per start; starts that do not reach the threshold within it are discarded and counted");
  static final OptionSpec STEP = OptionSpec.number("step", 0.01,
      "step length in box units: each step moves a point by this distance in the coordinates (x - low)/(high - low),"
          + " along the normalised gradient, so by at most step x (high - low) in each feature");
  static final OptionSpec THRESHOLD = OptionSpec.number("threshold", 0.9,
      "where a start stops: with threshold_scale quantile, the weighted quantile of the neuron over the data in its"
          + " signal-like direction (0.9: 10 % of the data events pass); with threshold_scale value, the neuron value");
  static final OptionSpec THRESHOLD_SCALE = OptionSpec.choice("threshold_scale", "quantile",
      "how threshold is read: quantile (of the neuron over the data) or value (of the neuron)", "quantile", "value");
  static final OptionSpec INIT = OptionSpec.choice("init", "uniform",
      "starting points: uniform in the input box (seed 000: independent of any data), or data events drawn with"
          + " probability proportional to their weight (a documented deviation)", "uniform", "data");
  static final OptionSpec BOX_LOW = OptionSpec.numbers("box_low", List.of(),
      "lower bounds of the input box: empty = each feature's minimum over the data; one number for every feature, or"
          + " one per feature");
  static final OptionSpec BOX_HIGH = OptionSpec.numbers("box_high", List.of(),
      "upper bounds of the input box: empty = each feature's maximum over the data; one number, or one per feature");
  static final OptionSpec MAHALANOBIS = OptionSpec.number("mahalanobis", 0,
      "penalty lambda >= 0 keeping the population near the data (seed 000 §7): the ascent climbs s(x) - lambda d(x)^2,"
          + " d the Mahalanobis distance to the data's weighted mean and covariance; 0 = off");
  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "ignore event weights (threshold quantile, drawing data starts, Mahalanobis mean and covariance)");

  static final List<OptionSpec> SPECS =
      List.of(STARTS, STEPS, STEP, THRESHOLD, THRESHOLD_SCALE, INIT, BOX_LOW, BOX_HIGH, MAHALANOBIS, UNWEIGHTED);

  /** More starts than this is a typing error rather than a population. */
  static final long MAX_STARTS = 10_000_000;

  static AscentSettings from(Options o) {
    long starts = o.integer(STARTS.name());
    if (starts < 1 || starts > MAX_STARTS) {
      throw new OptionException(STARTS.name(), "starts is the number of starting points, from 1 to " + MAX_STARTS
          + ", got " + starts + ".");
    }
    long steps = o.integer(STEPS.name());
    if (steps < 0 || steps > Integer.MAX_VALUE) {
      throw new OptionException(STEPS.name(), "steps is a step budget, 0 or more, got " + steps + ".");
    }
    double step = o.number(STEP.name());
    if (!(step > 0 && step <= 1)) {
      throw new OptionException(STEP.name(), "step is a fraction of the box width, above 0 and at most 1 (e.g. 0.01),"
          + " got " + step + ".");
    }
    boolean quantile = o.string(THRESHOLD_SCALE.name()).equals("quantile");
    double threshold = o.number(THRESHOLD.name());
    if (quantile && !(threshold >= 0 && threshold <= 1)) {
      throw new OptionException(THRESHOLD.name(), "with threshold_scale: quantile the threshold is a quantile from 0 to"
          + " 1 (e.g. 0.9), got " + threshold + "; for a neuron value write threshold_scale: value.");
    }
    if (!Double.isFinite(threshold)) {
      throw new OptionException(THRESHOLD.name(), "threshold must be a finite number, got " + threshold + ".");
    }
    double lambda = o.number(MAHALANOBIS.name());
    if (!(lambda >= 0 && Double.isFinite(lambda))) {
      throw new OptionException(MAHALANOBIS.name(), "mahalanobis is a penalty strength, 0 (off) or more, got " + lambda
          + ".");
    }
    List<Double> low = finite(BOX_LOW.name(), o.numbers(BOX_LOW.name()));
    List<Double> high = finite(BOX_HIGH.name(), o.numbers(BOX_HIGH.name()));
    return new AscentSettings((int) starts, (int) steps, step, threshold, quantile,
        o.string(INIT.name()).equals("data"), low, high, lambda, o.bool(UNWEIGHTED.name()));
  }

  /** The list as doubles (whatever Number type the caller put in it), all finite. */
  private static List<Double> finite(String option, List<?> values) {
    List<Double> out = new java.util.ArrayList<>();
    for (Object v : values) {
      if (!(v instanceof Number number) || !Double.isFinite(number.doubleValue())) {
        throw new OptionException(option, option + " holds finite numbers, got " + values + ".");
      }
      out.add(number.doubleValue());
    }
    return List.copyOf(out);
  }
}
