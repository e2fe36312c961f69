package org.glassbox.api.attribution;

import java.util.Map;
import java.util.Optional;

/**
 * Which rule each linear layer gets: by layer type (dense, convolution), a rule for the first
 * linear layer (the one reading the model input; applies whether it is dense or a convolution),
 * and per-layer overrides by seed 000's layer number (L1, L2, ...). Average pooling and sums get
 * the z-rule; activations and batch normalisation (after folding) pass relevance unchanged;
 * max-pooling passes it to the winner.
 */
public record LrpComposite(String name, LrpRule dense, LrpRule convolution, Optional<LrpRule> first,
    Map<Integer, LrpRule> layers) {
  public LrpComposite {
    layers = Map.copyOf(layers);
  }
}
