package org.glassbox.api.maximization;

import java.util.List;
import org.glassbox.api.FloatTensor;

/**
 * Synthetic events that reached the neuron's threshold.
 *
 * @param points the events [M, F]
 * @param values the neuron's value at each point
 * @param onBoundary whether a point ended on the input box's boundary ("runaway" directions)
 * @param starts how many starts were tried; points().events() of them reached the threshold
 */
public record Population(List<String> features, FloatTensor points, float[] values, boolean[] onBoundary, int starts) {
  public Population {
    features = List.copyOf(features);
  }
}
