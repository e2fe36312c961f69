package org.glassbox.plugins.ado;

/** Which end of a score is signal-like (seed 000's tanh output is signal-like when low). */
public enum Direction {
  /** High scores are signal-like: a cut keeps events with score ≥ cut. */
  SIGNAL_HIGH,
  /** Low scores are signal-like: a cut keeps events with score ≤ cut. */
  SIGNAL_LOW
}
