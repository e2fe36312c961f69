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

  /**
   * Which of the method's starts to climb: all of them (by default), or, when the starts are split
   * across the tasks of a cluster, one part of them. Only methods that say so
   * ({@link MaximizationMethod#climbsStartSlices()}) are given a part; their population is then
   * that of this part's starts, and the parts' populations laid end to end are the population of all.
   */
  default StartSlice startSlice() {
    return StartSlice.ALL;
  }
}
