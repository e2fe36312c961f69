package org.glassbox.api.attribution;

import org.glassbox.api.MethodProvider;

/**
 * How much does each input (or hidden neuron) matter to a neuron? Examples: gradient,
 * gradient×input, activation difference, Taylor coefficients, LRP.
 */
public interface AttributionMethod extends MethodProvider {
  Attribution attribute(AttributionContext context);
}
