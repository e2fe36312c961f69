package org.glassbox.plugins.population;

import java.util.List;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.maximization.MaximizationContext;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.maximization.Population;
import org.glassbox.api.maximization.StartSlice;

/**
 * {@code gradient-ascent}: activation maximization (seed 000 §2.5; METHODS.md §3). See
 * {@link GradientAscent} for the algorithm and {@link #conventions()} for the choices it fixes.
 */
public final class GradientAscentMethod implements MaximizationMethod {
  @Override
  public String id() {
    return "gradient-ascent";
  }

  @Override
  public String description() {
    return "activation maximization (seed 000 §2.5): random starts climb the neuron's gradient until it passes a"
        + " threshold, giving a population of synthetic events on the threshold contour";
  }

  @Override
  public List<OptionSpec> options() {
    return AscentSettings.SPECS;
  }

  @Override
  public String conventions() {
    return CONVENTIONS;
  }

  static final String CONVENTIONS = "Climbs s = direction*z (descends where signal-like is negative). Threshold"
      + " (convention): by default the weighted 0.9 quantile of s over the data (threshold_scale: quantile), so 10 % of"
      + " the data events pass; the seed fixes none (its Fig. 10 uses 50: threshold_scale: value). Box: the data's"
      + " per-feature [min, max] unless box_low/box_high are given. Steps (convention): step 0.01 box units per step"
      + " along the normalised gradient in box coordinates u = (x - low)/(high - low), i.e. at most 1 % of the box"
      + " width per feature and per step, then projection onto the box; budget 500 steps, 1000 starts uniform in"
      + " the box. A start stops as soon as s >= threshold (checked before each step, so a start already above the"
      + " threshold stays where it was drawn); a start whose projected step does not move it, or whose gradient"
      + " vanishes, is dropped with those out of budget; population.starts counts all starts, points only those"
      + " that passed. On the boundary: some feature within one step (step x width) of a bound (METHODS.md §4.3's"
      + " definition); fixed features (width 0) never are. Per step: one value call and one gradient call, each on"
      + " all starts still active. Mahalanobis penalty (beyond the seed, its §7): the ascent direction is the"
      + " gradient of s - lambda*d_M^2 (data mean and pseudo-inverse covariance, weighted), the stopping rule still"
      + " s >= threshold. init: data draws data events with probability proportional to max(weight, 0), clipped"
      + " into the box (a deviation from the seed's data-free populations). Seeded from the run's seed: start k draws its"
      + " point from a generator seeded by (seed, k) alone, so the starts can be split across machines (a Spark run"
      + " climbs them in parts) and give the same population, in the same order.";

  @Override
  public Population maximize(MaximizationContext context) {
    AscentSettings settings = AscentSettings.from(context.options());
    StartSlice slice = context.startSlice();
    return GradientAscent.run(context.model(), context.neuron(), context.data(), settings, context.seed(),
        context.progress(), null, slice.from(settings.starts()), slice.to(settings.starts())).population();
  }

  /** Yes: every start is drawn from its own generator (the run's seed and its index) and climbs on its own. */
  @Override
  public boolean climbsStartSlices() {
    return true;
  }
}
