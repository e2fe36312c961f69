package org.glassbox.plugins.efp;

import java.util.List;

/**
 * One multigraph of an EFP library, with what is known about it.
 *
 * @param index position in the library ({@code g} in column names)
 * @param edges edges with multiplicity, vertices 0..vertices-1 (empty for the one-vertex graph)
 * @param vertices n, the number of particle indices summed over
 * @param degree d, the number of edges
 * @param prime whether the graph is connected; a composite graph is the disjoint union of its
 *     prime factors and its EFP is the product of theirs
 * @param primeFactors indices of the prime factors (the graph's own index when prime)
 * @param chromaticNumber smallest number of colours of a proper vertex colouring
 * @param eliminationOrder the order in which vertices are summed out (prime factors one after
 *     the other for a composite); shared sub-contractions may be computed via another graph's
 *     order, with the same value
 * @param chi the order's complexity: evaluating the EFP costs O(M^χ) for M particles
 */
public record EfpGraph(
    int index,
    List<Edge> edges,
    int vertices,
    int degree,
    boolean prime,
    List<Integer> primeFactors,
    int chromaticNumber,
    List<Integer> eliminationOrder,
    int chi) {

  public EfpGraph {
    edges = List.copyOf(edges);
    primeFactors = List.copyOf(primeFactors);
    eliminationOrder = List.copyOf(eliminationOrder);
  }

  /** The edge list, e.g. {@code (0,1)(0,1)(1,2)}; {@code ()} for the one-vertex graph. */
  public String description() {
    if (edges.isEmpty()) {
      return "()";
    }
    StringBuilder sb = new StringBuilder();
    for (Edge e : edges) {
      sb.append(e);
    }
    return sb.toString();
  }
}
