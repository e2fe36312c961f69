package org.glassbox.api.maximization;

import org.glassbox.api.EventData;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;

/** What a maximization method is given: the data set defines the input box and the distribution. */
public interface MaximizationContext {
  ModelAccess model();

  Neuron neuron();

  EventData data();

  Options options();

  long seed();

  default Progress progress() {
    return Progress.NONE;
  }
}
