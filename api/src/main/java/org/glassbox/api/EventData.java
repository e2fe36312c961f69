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
}
