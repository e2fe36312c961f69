package org.glassbox.api.surrogate;

import org.glassbox.api.MethodProvider;

/** Which human-readable function imitates a neuron? (caveman variables, guided observable search) */
public interface SurrogateMethod extends MethodProvider {
  Surrogate fit(SurrogateContext context);
}
