package org.glassbox.api;

/**
 * A neuron as methods see it: the user's label, where it lives (tensor and flat per-event index),
 * and its direction: whether large values are signal-like (+1) or background-like (-1).
 */
public record Neuron(String label, String tensor, int index, int direction) {
  public Neuron {
    if (direction != 1 && direction != -1) throw new IllegalArgumentException("direction is +1 or -1");
  }
}
