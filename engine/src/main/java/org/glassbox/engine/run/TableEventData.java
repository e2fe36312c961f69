package org.glassbox.engine.run;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;

/** Events as methods see them: the inputs (shaped for the model), names, labels and weights. */
record TableEventData(FloatTensor inputs, List<String> featureNames, double[] weightsOrNull, int[] labelsOrNull)
    implements EventData {

  @Override
  public double[] weights() {
    if (weightsOrNull != null) return weightsOrNull;
    double[] w = new double[inputs.events()];
    Arrays.fill(w, 1);
    return w;
  }

  @Override
  public Optional<int[]> labels() {
    return Optional.ofNullable(labelsOrNull);
  }
}
