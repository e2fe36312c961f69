package org.glassbox.api.surrogate;

import java.util.List;
import java.util.Map;

/**
 * A human-readable imitation of a neuron.
 *
 * @param formula the surrogate in readable form
 * @param terms its terms in order of importance
 * @param fidelity named measures of how well it imitates the neuron (correlation, AUC, ADO)
 * @param table rows of a per-step table (e.g. one per guided-search pass), column name to value
 */
public record Surrogate(String formula, List<String> terms, Map<String, Double> fidelity, List<Map<String, Object>> table) {
  public Surrogate {
    terms = List.copyOf(terms);
    // Insertion order kept (reports list measures as the method wrote them).
    fidelity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fidelity));
    table = List.copyOf(table);
  }
}
