package org.glassbox.engine.run;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;

/** Events as methods see them: the inputs (shaped for the model), names, labels and weights. */
record TableEventData(FloatTensor inputs, List<String> featureNames, double[] weightsOrNull, int[] labelsOrNull,
    java.util.BitSet fixedOrNull, FloatTensor referenceOrNull) implements EventData {

  TableEventData(FloatTensor inputs, List<String> featureNames, double[] weightsOrNull, int[] labelsOrNull) {
    this(inputs, featureNames, weightsOrNull, labelsOrNull, null, null);
  }

  @Override
  public Optional<FloatTensor> reference() {
    // Shaped as the inputs (the data file's reference may be flat).
    return Optional.ofNullable(referenceOrNull).map(r -> new FloatTensor(r.data(), inputs.shape()));
  }

  @Override
  public java.util.BitSet fixed() {
    return fixedOrNull == null ? new java.util.BitSet() : (java.util.BitSet) fixedOrNull.clone();
  }

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
