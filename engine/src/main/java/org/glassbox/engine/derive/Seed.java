package org.glassbox.engine.derive;

/** The cotangent the backward pass starts from, at the target tensor. */
public sealed interface Seed {
  /** One element of the target per event (a neuron): d(Σ_events z[index]) / d(wrt). */
  record OneHot(int index) implements Seed {}

  /** One element of the target, seeded with its own value (LRP starts with R = z). */
  record ValueAt(int index) implements Seed {}

  /** A fixed weighted sum of the target's elements per event. */
  record Weights(double[] perEvent) implements Seed {}

  /** Fed at run time as a graph input of the target's shape (Hessian-vector products, LRP relevance). */
  record Input(String inputName) implements Seed {}
}
