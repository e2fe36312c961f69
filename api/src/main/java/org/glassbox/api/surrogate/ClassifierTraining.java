package org.glassbox.api.surrogate;

import java.util.List;
import java.util.Map;

/**
 * Trains a classifier on chosen columns and scores the events with it: the engine's built-in trainer
 * (an MLP with Adam on weighted binary cross-entropy) stands behind it. Surrogate searches use it to
 * train DNN(high-level set) pass after pass (seed 002).
 */
public interface ClassifierTraining {
  /**
   * @param name shown in progress and errors, e.g. {@code DNN(mass, pt) pass 2}
   * @param columns the inputs, one value per event each
   * @param labels 1 signal, 0 background
   * @param weights event weights
   * @param settings training settings; keys hidden (list of widths), activation, epochs, batch_size,
   *     learning_rate, validation, patience; absent keys take the engine's defaults
   * @param seed initial weights and batch order
   * @return the trained network's score of every event (its logit: larger = more signal-like), in order
   */
  double[] trainAndScore(String name, List<double[]> columns, int[] labels, double[] weights, Map<String, Object> settings,
      long seed);
}
