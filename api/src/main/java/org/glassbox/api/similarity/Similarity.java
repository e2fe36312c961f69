package org.glassbox.api.similarity;

import java.util.List;
import java.util.Map;

/**
 * A symmetric matrix of similarities among named functions, with per-function scalars (e.g. AUC).
 */
public record Similarity(String measure, List<String> names, double[][] matrix, Map<String, Map<String, Double>> perFunction) {
  public Similarity {
    names = List.copyOf(names);
    // Insertion order kept (reports list values as the method wrote them).
    perFunction = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perFunction));
  }
}
