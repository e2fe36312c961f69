package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enumerates the connected loopless multigraphs with d edges up to isomorphism: the prime EFPs.
 *
 * <p>Every connected multigraph with d ≥ 1 edges arises from one with d − 1 edges by adding an
 * edge: remove an edge that lies on a cycle (or one copy of a multi-edge), or else, in a tree, a
 * leaf with its edge. So growing each graph of degree d − 1 by every possible edge (between two
 * of its vertices, or to one new vertex) and keeping one graph per canonical key yields all of
 * them, once each.
 */
final class ConnectedMultigraphs {
  private ConnectedMultigraphs() {}

  /**
   * Graphs of degree 0..maxDegree, per degree, each relabelled to its canonical labelling and
   * sorted by (vertex count, canonical key) so that the result does not depend on search order.
   */
  static List<List<Labelled>> upToDegree(int maxDegree) {
    List<List<Labelled>> byDegree = new ArrayList<>();
    Multigraph dot = Multigraph.singleVertex();
    byDegree.add(List.of(new Labelled(dot, CanonicalForm.of(dot).key())));
    for (int d = 1; d <= maxDegree; d++) {
      Map<String, Labelled> found = new LinkedHashMap<>();
      for (Labelled parent : byDegree.get(d - 1)) {
        Multigraph g = parent.graph();
        int n = g.vertices();
        for (int a = 0; a < n; a++) {
          for (int b = a + 1; b <= n; b++) {
            Multigraph child = g.withEdge(a, b);
            CanonicalForm c = CanonicalForm.of(child);
            found.computeIfAbsent(c.key(), k -> new Labelled(child.relabel(c.order()), k));
          }
        }
      }
      List<Labelled> list = new ArrayList<>(found.values());
      list.sort(Comparator.comparingInt((Labelled l) -> l.graph().vertices()).thenComparing(Labelled::key));
      byDegree.add(List.copyOf(list));
    }
    return List.copyOf(byDegree);
  }

  /** A graph in canonical labelling with its canonical key. */
  record Labelled(Multigraph graph, String key) {}
}
