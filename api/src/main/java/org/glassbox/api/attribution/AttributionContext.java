package org.glassbox.api.attribution;

import org.glassbox.api.EventData;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;

/** Everything an attribution method is given; new needs arrive as default methods here. */
public interface AttributionContext {
  ModelAccess model();

  Neuron neuron();

  EventData data();

  Options options();

  /** Seed for any randomness; the same seed gives the same result. */
  long seed();

  default Progress progress() {
    return Progress.NONE;
  }
}
