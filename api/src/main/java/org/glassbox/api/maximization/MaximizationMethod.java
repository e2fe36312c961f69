package org.glassbox.api.maximization;

import org.glassbox.api.MethodProvider;

/** Which inputs excite a neuron most? Produces a population of synthetic events. */
public interface MaximizationMethod extends MethodProvider {
  Population maximize(MaximizationContext context);
}
