package org.glassbox.api.maximization;

import org.glassbox.api.MethodProvider;

/** Which inputs excite a neuron most? Produces a population of synthetic events. */
public interface MaximizationMethod extends MethodProvider {
  Population maximize(MaximizationContext context);

  /**
   * Whether {@link #maximize} climbs only the starts of {@link MaximizationContext#startSlice()},
   * each start drawn and climbed independently of the others (seeded by the run's seed and the
   * start's index), so that the populations of the parts, concatenated in order, are the population
   * of all the starts: the same starts, end points, values and order. A cluster may then split the
   * starts across tasks. False by default: the method runs on one machine.
   */
  default boolean climbsStartSlices() {
    return false;
  }
}
