package org.glassbox.api;

import java.util.List;
import java.util.Optional;

/**
 * The events a method works on: model inputs (dimension 0 = events), the names of the input
 * features (one per element of an event, flattened), optional labels (1 = signal) and weights.
 */
public interface EventData {
  FloatTensor inputs();

  List<String> featureNames();

  /** Weights per event; all 1 when the data set has none. */
  double[] weights();

  Optional<int[]> labels();

  default int events() {
    return inputs().events();
  }

  /**
   * Positions (in an event's flattened values) of inputs that are fed to the model but neither
   * varied nor attributed: masks, indices, coordinates declared {@code differentiable: false}.
   * Methods that change inputs (replacements, paths, noise, ascent) keep these at each event's
   * own values. Empty by default; a copy, free to modify.
   */
  default java.util.BitSet fixed() {
    return new java.util.BitSet();
  }

  /**
   * A reference event per event, shaped as {@link #inputs()} (e.g. the same jet without its soft
   * particles), from the data file's {@code reference:} array; the baseline of integrated gradients'
   * {@code baseline: reference}. Empty when the data names none.
   */
  default Optional<FloatTensor> reference() {
    return Optional.empty();
  }
}
