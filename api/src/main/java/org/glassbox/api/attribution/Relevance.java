package org.glassbox.api.attribution;

import java.util.List;
import org.glassbox.api.FloatTensor;

/**
 * Per-event relevance of the inputs (the inputs' shape) and the relevance each event started
 * with (the neuron's value, or its pre-activation), for the conservation check.
 *
 * @param startTensor the tensor relevance started from
 * @param canonizers graph rewrites applied first (e.g. "batchnorm-fold: 2 layers")
 */
public record Relevance(FloatTensor inputs, float[] start, String startTensor, List<String> canonizers) {
  public Relevance {
    canonizers = List.copyOf(canonizers);
  }
}
