package org.glassbox.plugins.gradient;

import java.util.List;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/** Saliency: the per-event gradient ∂z/∂x_i, ranked by its weighted mean absolute value. */
public final class GradientMethod implements AttributionMethod {
  @Override
  public String id() {
    return "gradient";
  }

  @Override
  public String description() {
    return "saliency: per-event gradient dz/dx_i, ranked by mean |dz/dx_i|";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(GradientAttributions.PER_EVENT);
  }

  @Override
  public String conventions() {
    return "Scores depend on each input's scale (a gradient scales as 1/sigma of its input): compare inputs of"
        + " similar scale, or use gradient-x-input.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    float[] g = ctx.model().gradient(ctx.neuron(), ctx.data().inputs()).data();
    return GradientAttributions.summarise(ctx, g, "mean |dz/dx|");
  }
}
