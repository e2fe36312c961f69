package org.glassbox.plugins.gradient;

import java.util.List;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/**
 * Gradient × input: x_i·∂z/∂x_i per event, ranked by its weighted mean absolute value. Equals LRP-0
 * for ReLU networks without biases started at a pre-activation.
 */
public final class GradientTimesInputMethod implements AttributionMethod {
  @Override
  public String id() {
    return "gradient-x-input";
  }

  @Override
  public String description() {
    return "gradient x input: per-event x_i * dz/dx_i, ranked by mean |x_i dz/dx_i|";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(GradientAttributions.PER_EVENT);
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    float[] x = ctx.data().inputs().data();
    float[] g = ctx.model().gradient(ctx.neuron(), ctx.data().inputs()).data().clone();
    for (int i = 0; i < g.length; i++) g[i] *= x[i];
    return GradientAttributions.summarise(ctx, g, "mean |x dz/dx|");
  }
}
