package org.glassbox.api.similarity;

import java.util.Map;
import java.util.Optional;
import org.glassbox.api.Options;

/** Named decision functions evaluated on the same events, with labels and weights. */
public interface SimilarityContext {
  /** Function name to one value per event, in a stable order. */
  Map<String, double[]> functions();

  Optional<int[]> labels();

  double[] weights();

  Options options();

  long seed();
}
