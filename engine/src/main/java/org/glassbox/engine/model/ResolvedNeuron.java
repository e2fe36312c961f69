package org.glassbox.engine.model;

/**
 * A neuron located in a graph: element {@code index} of tensor {@code tensor}, flattened per event.
 *
 * @param label how the user named it (e.g. "L3N5")
 */
public record ResolvedNeuron(String label, String tensor, int index) {}
