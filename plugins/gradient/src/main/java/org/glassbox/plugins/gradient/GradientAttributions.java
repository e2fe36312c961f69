package org.glassbox.plugins.gradient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;

/**
 * What the gradient methods share: per-event values, their absolute means, signed means; option
 * checks; the size of the stacked batches of integrated gradients and SmoothGrad.
 */
final class GradientAttributions {
  static final OptionSpec PER_EVENT = OptionSpec.bool("per_event", false,
      "keep the per-event values (written as an .npy array, events first)");
  /**
   * The most input values in one stacked gradient call (events × copies × event size): 2^23
   * floats, 32 MiB in and as much out; the engine splits each call into its own batches again.
   */
  static final int MAX_VALUES_PER_CALL = 1 << 23;

  private GradientAttributions() {}

  static Attribution summarise(AttributionContext ctx, float[] perEvent, String scoreName) {
    return summarise(ctx, perEvent, scoreName, Map.of());
  }

  /** As above, with further named summaries after the signed mean (in their map's order). */
  static Attribution summarise(AttributionContext ctx, float[] perEvent, String scoreName, Map<String, WeightedStats> more) {
    FloatTensor x = ctx.data().inputs();
    int k = x.eventSize();
    float[] absolute = new float[perEvent.length];
    for (int i = 0; i < absolute.length; i++) absolute[i] = Math.abs(perEvent[i]);
    double[] w = ctx.data().weights();
    Optional<FloatTensor> events = ctx.options().bool(PER_EVENT.name())
        ? Optional.of(new FloatTensor(perEvent, x.shape())) : Optional.empty();
    // The signed mean says which way a feature pushes the neuron; the ranking uses the absolute mean.
    WeightedStats signed = WeightedStats.of(perEvent, k, w);
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    summary.put("signed mean (sum over features)", sumOver(signed));
    summary.putAll(more);
    return Attribution.ofInputs(ctx.data().featureNames(), WeightedStats.of(absolute, k, w), events, summary, scoreName);
  }

  /** How many events fit in one call when each is copied {@code copies} times. */
  static int eventsPerCall(int events, int copies, int eventSize) {
    long perEvent = (long) copies * Math.max(1, eventSize);
    if (perEvent > Integer.MAX_VALUE / 2) {
      throw new GlassboxException("one event's " + copies + " copies of " + eventSize + " inputs are "
          + perEvent + " values, more than one batch can hold; use fewer steps or samples");
    }
    return (int) Math.max(1, Math.min(events, MAX_VALUES_PER_CALL / perEvent));
  }

  /** An integer option within [min, max], or an error naming it. */
  static int integer(Options options, OptionSpec spec, long min, long max, String what) {
    long v = options.integer(spec.name());
    if (v < min || v > max) {
      throw new OptionException(spec.name(), spec.name() + " is " + what + ", " + min + " to " + max + ", got " + v);
    }
    return (int) v;
  }

  /** A choice option, checked against its choices (the engine checks YAML; direct callers may not). */
  static String choice(Options options, OptionSpec spec) {
    String v = options.string(spec.name());
    if (!spec.choices().contains(v)) {
      throw new OptionException(spec.name(), spec.name() + " is one of " + String.join(", ", spec.choices()) + ", got '"
          + v + "'");
    }
    return v;
  }

  /** A single value as a summary (e.g. a maximum): mean = the value; it does not merge as a maximum. */
  static WeightedStats single(double value) {
    return new WeightedStats(new double[] {value}, new double[] {value * value}, 1, 1);
  }

  private static WeightedStats sumOver(WeightedStats s) {
    double total = 0;
    double totalSq = 0;
    for (int j = 0; j < s.size(); j++) {
      total += s.sum()[j];
      totalSq += s.sumSquares()[j];
    }
    return new WeightedStats(new double[] {total}, new double[] {totalSq}, s.weight(), s.weightSquares());
  }
}
