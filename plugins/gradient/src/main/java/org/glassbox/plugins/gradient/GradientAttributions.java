package org.glassbox.plugins.gradient;

import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;

/** What saliency and gradient × input share: per-event values, their absolute means, signed means. */
final class GradientAttributions {
  static final OptionSpec PER_EVENT = OptionSpec.bool("per_event", false,
      "keep the per-event values (written as an .npy array, events first)");

  private GradientAttributions() {}

  static Attribution summarise(AttributionContext ctx, float[] perEvent, String scoreName) {
    FloatTensor x = ctx.data().inputs();
    int k = x.eventSize();
    float[] absolute = new float[perEvent.length];
    for (int i = 0; i < absolute.length; i++) absolute[i] = Math.abs(perEvent[i]);
    double[] w = ctx.data().weights();
    Optional<FloatTensor> events = ctx.options().bool(PER_EVENT.name())
        ? Optional.of(new FloatTensor(perEvent, x.shape())) : Optional.empty();
    // The signed mean says which way a feature pushes the neuron; the ranking uses the absolute mean.
    WeightedStats signed = WeightedStats.of(perEvent, k, w);
    Map<String, WeightedStats> summary = Map.of();
    Attribution a = Attribution.ofInputs(ctx.data().featureNames(), WeightedStats.of(absolute, k, w), events, summary, scoreName);
    return new Attribution(a.features(), a.inputsOf(), a.scores(), a.perEvent(), Map.of("signed mean (sum over features)",
        sumOver(signed)), scoreName);
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
