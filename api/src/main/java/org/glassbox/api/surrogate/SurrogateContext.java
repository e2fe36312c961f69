package org.glassbox.api.surrogate;

import java.util.Map;
import org.glassbox.api.EventData;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;

/** What a surrogate method is given: the model, the neuron, data and candidate observables. */
public interface SurrogateContext {
  ModelAccess model();

  Neuron neuron();

  EventData data();

  /** Candidate observables by name, one value per event. */
  Map<String, double[]> observables();

  Options options();

  /** Trains classifiers on chosen columns (the engine's built-in trainer). */
  ClassifierTraining training();

  long seed();

  default Progress progress() {
    return Progress.NONE;
  }
}
