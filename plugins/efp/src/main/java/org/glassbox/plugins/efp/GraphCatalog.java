package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glassbox.api.GlassboxException;

/**
 * All loopless multigraphs with at most maxDegree edges up to isomorphism, with the one-vertex
 * graph (d = 0, EFP = Σ z_a), and the shared contraction plan that evaluates the prime ones.
 *
 * <p>Order: by degree, primes before composites, then by vertex count, then primes by canonical
 * key and composites by their factors. With d ≤ 5 there are 102 graphs (54 prime), with d ≤ 7
 * 1000 (490 prime).
 */
public final class GraphCatalog {
  private final int maxDegree;
  private final List<EfpGraph> graphs;
  private final ContractionPlan plan;
  private final List<ContractionNode> nodes;
  /** For each graph: the plan node whose scalar is its EFP (primes) or -1 (composites). */
  private final int[] resultNode;

  private GraphCatalog(int maxDegree, List<EfpGraph> graphs, List<ContractionNode> nodes, int[] resultNode) {
    this.maxDegree = maxDegree;
    this.graphs = List.copyOf(graphs);
    this.nodes = List.copyOf(nodes);
    this.plan = ContractionPlan.compile(this.nodes);
    this.resultNode = resultNode;
  }

  public static GraphCatalog upToDegree(int maxDegree) {
    if (maxDegree < 0 || maxDegree > EfpLibraryOptions.MAX_DEGREE) {
      throw new GlassboxException("maxDegree must be between 0 and " + EfpLibraryOptions.MAX_DEGREE + ", got " + maxDegree);
    }
    List<List<ConnectedMultigraphs.Labelled>> byDegree = ConnectedMultigraphs.upToDegree(maxDegree);
    ContractionPlanner planner = new ContractionPlanner();
    List<Entry> entries = new ArrayList<>();
    List<Entry> primes = new ArrayList<>();
    for (List<ConnectedMultigraphs.Labelled> level : byDegree) {
      for (ConnectedMultigraphs.Labelled l : level) {
        ContractionPlanner.Planned p = planner.plan(l.graph());
        Entry e = new Entry(l.graph(), l.graph().edgeCount(), l.key(), List.of(), p.order(), p.chi(), p.resultNode(), primes.size());
        primes.add(e);
        entries.add(e);
      }
    }
    addComposites(primes, maxDegree, entries);
    entries.sort(Comparator.comparingInt(Entry::degree)
        .thenComparing(e -> !e.isPrime())
        .thenComparingInt(e -> e.graph.vertices())
        .thenComparing(Entry::sortKey));
    int[] primeIndex = new int[primes.size()];
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).isPrime()) {
        primeIndex[entries.get(i).primeOrdinal] = i;
      }
    }
    List<EfpGraph> graphs = new ArrayList<>();
    int[] result = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      List<Integer> factors = new ArrayList<>();
      if (e.isPrime()) {
        factors.add(i);
      } else {
        for (Entry f : e.factors) {
          factors.add(primeIndex[f.primeOrdinal]);
        }
      }
      int chromatic = 1;
      for (Entry f : e.isPrime() ? List.of(e) : e.factors) {
        chromatic = Math.max(chromatic, f.graph.chromaticNumber());
      }
      List<Integer> order = new ArrayList<>();
      for (int v : e.order) {
        order.add(v);
      }
      graphs.add(new EfpGraph(i, e.graph.edges(), e.graph.vertices(), e.degree, e.isPrime(), factors, chromatic, order, e.chi));
      result[i] = e.resultNode;
    }
    return new GraphCatalog(maxDegree, graphs, planner.nodes(), result);
  }

  /** Every multiset of ≥ 2 primes with ≥ 1 edge each and total degree ≤ maxDegree. */
  private static void addComposites(List<Entry> primes, int maxDegree, List<Entry> out) {
    List<Entry> withEdges = new ArrayList<>();
    for (Entry p : primes) {
      if (p.degree > 0) {
        withEdges.add(p);
      }
    }
    extend(withEdges, 0, new ArrayList<>(), 0, maxDegree, out);
  }

  private static void extend(List<Entry> primes, int from, List<Entry> chosen, int degree, int maxDegree, List<Entry> out) {
    if (chosen.size() >= 2) {
      out.add(composite(chosen));
    }
    // Primes come in increasing degree, so the first one that does not fit ends the loop.
    for (int i = from; i < primes.size() && degree + primes.get(i).degree() <= maxDegree; i++) {
      Entry p = primes.get(i);
      chosen.add(p);
      extend(primes, i, chosen, degree + p.degree(), maxDegree, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  /** Disjoint union of the factors, vertices numbered factor after factor. */
  private static Entry composite(List<Entry> factors) {
    List<Entry> sorted = new ArrayList<>(factors);
    sorted.sort(Comparator.comparingInt((Entry e) -> e.primeOrdinal).reversed());
    int n = 0;
    List<Edge> edges = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    int chi = 0;
    StringBuilder key = new StringBuilder();
    for (Entry f : sorted) {
      for (Edge e : f.graph.edges()) {
        edges.add(new Edge(e.a() + n, e.b() + n));
      }
      for (int v : f.order) {
        order.add(v + n);
      }
      n += f.graph.vertices();
      chi = Math.max(chi, f.chi);
      key.append(String.format("%06d,", f.primeOrdinal));
    }
    int[] ord = order.stream().mapToInt(Integer::intValue).toArray();
    return new Entry(Multigraph.of(n, edges), edges.size(), key.toString(), List.copyOf(sorted), ord, chi, -1, -1);
  }

  /** A graph while the catalog is assembled. */
  private record Entry(
      Multigraph graph, int degree, String sortKey, List<Entry> factors, int[] order, int chi, int resultNode, int primeOrdinal) {
    boolean isPrime() {
      return factors.isEmpty();
    }

  }

  public int maxDegree() {
    return maxDegree;
  }

  /** All graphs, in catalog order (a graph's index is its position). */
  public List<EfpGraph> graphs() {
    return graphs;
  }

  List<ContractionNode> nodes() {
    return nodes;
  }

  ContractionPlan plan() {
    return plan;
  }

  /** Plan node holding a prime graph's EFP. */
  int resultNode(int graph) {
    return resultNode[graph];
  }
}
