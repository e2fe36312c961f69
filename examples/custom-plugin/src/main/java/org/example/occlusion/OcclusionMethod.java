package org.example.occlusion;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/** Occlusion: how much the neuron moves when one input is replaced by a baseline value. */
public final class OcclusionMethod implements AttributionMethod {
  @Override
  public String id() {
    return "occlusion";
  }

  @Override
  public String description() {
    return "mean |z(x) - z(x with input i set to the baseline)|";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.number("baseline", 0.0, "value that replaces the occluded input"));
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    int f = x.eventSize();
    float baseline = (float) ctx.options().number("baseline");
    float[] z = ctx.model().value(ctx.neuron(), x).data();
    float[] change = new float[n * f];
    for (int i = 0; i < f; i++) {
      float[] occluded = x.data().clone();
      for (int e = 0; e < n; e++) occluded[e * f + i] = baseline;
      float[] zi = ctx.model().value(ctx.neuron(), new FloatTensor(occluded, x.shape())).data();
      for (int e = 0; e < n; e++) change[e * f + i] = Math.abs(z[e] - zi[e]);
    }
    return Attribution.ofInputs(ctx.data().featureNames(), WeightedStats.of(change, f, ctx.data().weights()),
        Optional.empty(), Map.of(), "mean |z - z(occluded)|");
  }
}
