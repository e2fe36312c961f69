package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses an elimination order for each connected graph and registers the sub-contractions it
 * needs, sharing every piece that an earlier graph of the library already computes.
 *
 * <p>After a set E of vertices has been summed out, the factors left depend only on E (one tensor
 * per connected component of E, over the component's boundary), so orders are searched exactly
 * by dynamic programming over the 2^n subsets: first the smallest χ (one plus the largest
 * boundary met, cost O(M^χ)), then, among orders with that χ, the one whose <em>new</em>
 * sub-contractions cost least (M^(rank+1) each at a nominal M); pieces already registered by
 * other graphs cost nothing. Graphs are planned in increasing degree, so small pieces (θ·z·θ
 * paths, pendant trees) are in place when larger graphs look for them.
 */
final class ContractionPlanner {
  /** Particle count used only to weigh step costs against each other when comparing orders. */
  private static final double NOMINAL_PARTICLES = 50;

  private final Map<String, Integer> nodeByKey = new HashMap<>();
  /** Cheap invariants of the registered pieces: most candidate pieces fail here, before any canonical form. */
  private final Set<Long> knownInvariants = new HashSet<>();
  private final List<ContractionNode> nodes = new ArrayList<>();

  List<ContractionNode> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * The order, χ and final (rank-0) node of a connected graph.
   *
   * @param order vertices in the order they are summed out
   * @param chi the order's complexity: the cost is O(M^χ)
   * @param resultNode index of the node whose scalar is the graph's EFP
   */
  record Planned(int[] order, int chi, int resultNode) {}

  Planned plan(Multigraph g) {
    int n = g.vertices();
    if (n > 16) {
      throw new IllegalArgumentException("graphs above 16 vertices are not supported: " + g);
    }
    Pieces pieces = new Pieces(g);
    int states = 1 << n;
    int full = states - 1;
    int[] chi = new int[states];
    Arrays.fill(chi, Integer.MAX_VALUE);
    chi[0] = 0;
    for (int e = 0; e < full; e++) {
      if (chi[e] == Integer.MAX_VALUE) {
        continue;
      }
      for (int v = 0; v < n; v++) {
        if ((e & (1 << v)) == 0) {
          int step = pieces.rank(pieces.component(e, v)) + 1;
          int next = e | (1 << v);
          chi[next] = Math.min(chi[next], Math.max(chi[e], step));
        }
      }
    }
    int target = chi[full];
    double[] cost = new double[states];
    int[] choice = new int[states];
    Arrays.fill(cost, Double.POSITIVE_INFINITY);
    cost[0] = 0;
    for (int e = 0; e < full; e++) {
      if (cost[e] == Double.POSITIVE_INFINITY) {
        continue;
      }
      for (int v = 0; v < n; v++) {
        if ((e & (1 << v)) != 0) {
          continue;
        }
        int c = pieces.component(e, v);
        int rank = pieces.rank(c);
        if (rank + 1 > target) {
          continue;
        }
        boolean known = knownInvariants.contains(pieces.invariant(c)) && nodeByKey.containsKey(pieces.key(c));
        double stepCost = known ? 0 : Math.pow(NOMINAL_PARTICLES, rank + 1);
        int next = e | (1 << v);
        if (cost[e] + stepCost < cost[next]) {
          cost[next] = cost[e] + stepCost;
          choice[next] = v;
        }
      }
    }
    int[] order = new int[n];
    Map<Integer, Integer> eliminatedLast = new HashMap<>();
    for (int e = full, i = n - 1; e != 0; i--) {
      int v = choice[e];
      order[i] = v;
      e ^= 1 << v;
      eliminatedLast.put(pieces.component(e, v), v);
    }
    int result = register(g, pieces, full, eliminatedLast);
    return new Planned(order, target, result);
  }

  /**
   * Registers the node for component c (and, first, those of the pieces it consumes) unless a
   * node with the same key exists: then that node's value is the same tensor, whatever graph and
   * order produced it.
   */
  private int register(Multigraph g, Pieces pieces, int c, Map<Integer, Integer> eliminatedLast) {
    String key = pieces.key(c);
    Integer known = nodeByKey.get(key);
    if (known != null) {
      return known;
    }
    int v = eliminatedLast.get(c);
    int[] axes = pieces.axes(c);
    int[] position = new int[g.vertices()];
    Arrays.fill(position, -1);
    position[v] = 0;
    for (int j = 0; j < axes.length; j++) {
      position[axes[j]] = j + 1;
    }
    List<ContractionNode.Input> inputs = new ArrayList<>();
    for (int k : pieces.components(c & ~(1 << v))) {
      int id = register(g, pieces, k, eliminatedLast);
      int[] kAxes = pieces.axes(k);
      int[] pos = new int[kAxes.length];
      for (int i = 0; i < kAxes.length; i++) {
        pos[i] = position[kAxes[i]];
      }
      inputs.add(new ContractionNode.Input(id, pos));
    }
    int[] powers = new int[axes.length];
    for (int j = 0; j < axes.length; j++) {
      powers[j] = g.multiplicity(v, axes[j]);
    }
    ContractionNode node = new ContractionNode(key, axes.length, inputs, powers, pieces.symmetries(c));
    nodes.add(node);
    nodeByKey.put(key, nodes.size() - 1);
    knownInvariants.add(pieces.invariant(c));
    return nodes.size() - 1;
  }

  /** Connected vertex subsets of one graph, with their boundaries and canonical keys, cached. */
  private static final class Pieces {
    private final Multigraph g;
    private final int n;
    private final int[] adj;
    private final Map<Integer, CanonicalForm> forms = new HashMap<>();

    Pieces(Multigraph g) {
      this.g = g;
      this.n = g.vertices();
      this.adj = g.neighbourMasks();
    }

    int boundary(int set) {
      int b = 0;
      for (int v = 0; v < n; v++) {
        if ((set & (1 << v)) != 0) {
          b |= adj[v];
        }
      }
      return b & ~set;
    }

    int rank(int set) {
      return Integer.bitCount(boundary(set));
    }

    /** The component of v once v joins the eliminated set e. */
    int component(int e, int v) {
      int within = e | (1 << v);
      int seen = 1 << v;
      int frontier = seen;
      while (frontier != 0) {
        int next = 0;
        for (int u = 0; u < n; u++) {
          if ((frontier & (1 << u)) != 0) {
            next |= adj[u];
          }
        }
        frontier = next & within & ~seen;
        seen |= frontier;
      }
      return seen;
    }

    /** Connected components of the subgraph induced by set. */
    List<Integer> components(int set) {
      List<Integer> out = new ArrayList<>();
      int left = set;
      while (left != 0) {
        int v = Integer.numberOfTrailingZeros(left);
        int c = component(set & ~(1 << v), v);
        out.add(c);
        left &= ~c;
      }
      return out;
    }

    /**
     * A hash of isomorphism invariants of (piece, boundary): sizes and the sorted degrees of
     * interior and boundary vertices. Equal keys imply equal invariants, so a missing invariant
     * proves a piece unknown without computing its canonical form.
     */
    long invariant(int set) {
      int b = boundary(set);
      int[] inner = new int[Integer.bitCount(set)];
      int[] outer = new int[Integer.bitCount(b)];
      int i = 0;
      int o = 0;
      for (int v = 0; v < n; v++) {
        if ((set & (1 << v)) != 0) {
          int d = 0;
          for (int u = 0; u < n; u++) {
            d += g.multiplicity(v, u);
          }
          inner[i++] = d;
        } else if ((b & (1 << v)) != 0) {
          int d = 0;
          for (int u = 0; u < n; u++) {
            if ((set & (1 << u)) != 0) {
              d += g.multiplicity(v, u);
            }
          }
          outer[o++] = d;
        }
      }
      Arrays.sort(inner);
      Arrays.sort(outer);
      long h = 31L * inner.length + outer.length;
      for (int d : inner) {
        h = h * 1_000_003L + d;
      }
      h = h * 1_000_003L + 7919;
      for (int d : outer) {
        h = h * 1_000_003L + d;
      }
      return h;
    }

    String key(int set) {
      return form(set).key();
    }

    /** Boundary vertices in canonical order: the axes of the piece's tensor. */
    int[] axes(int set) {
      int b = boundary(set);
      int[] verts = vertices(set | b);
      int[] out = new int[Integer.bitCount(b)];
      int k = 0;
      for (int p : form(set).order()) {
        if ((b & (1 << verts[p])) != 0) {
          out[k++] = verts[p];
        }
      }
      return out;
    }

    /**
     * Axis permutations π under which the tensor is unchanged: those for which some automorphism
     * of (piece, boundary) maps axis j to axis π(j), found by comparing canonical keys with the
     * boundary vertices coloured individually.
     */
    List<Permutation> symmetries(int set) {
      int[] axes = axes(set);
      List<Permutation> out = new ArrayList<>();
      String base = null;
      for (Permutation p : Permutation.all(axes.length)) {
        int[] colourOfAxis = new int[axes.length];
        for (int j = 0; j < axes.length; j++) {
          colourOfAxis[p.apply(j)] = 1 + j;
        }
        String k = colouredForm(set, axes, colourOfAxis).key();
        if (base == null) {
          base = k;
        }
        if (k.equals(base)) {
          out.add(p);
        }
      }
      return out;
    }

    private CanonicalForm form(int set) {
      return forms.computeIfAbsent(set, s -> {
        int b = boundary(s);
        int[] verts = vertices(s | b);
        int[] colours = new int[verts.length];
        for (int i = 0; i < verts.length; i++) {
          colours[i] = (b & (1 << verts[i])) != 0 ? 1 : 0;
        }
        return canonical(s, verts, colours);
      });
    }

    private CanonicalForm colouredForm(int set, int[] axes, int[] colourOfAxis) {
      int b = boundary(set);
      int[] verts = vertices(set | b);
      int[] colours = new int[verts.length];
      for (int i = 0; i < verts.length; i++) {
        for (int j = 0; j < axes.length; j++) {
          if (axes[j] == verts[i]) {
            colours[i] = colourOfAxis[j];
          }
        }
      }
      return canonical(set, verts, colours);
    }

    /** Edges with at least one end inside the piece: the ones its tensor has summed in. */
    private CanonicalForm canonical(int set, int[] verts, int[] colours) {
      return CanonicalForm.of(verts.length, (x, y) -> {
        int a = verts[x];
        int c = verts[y];
        boolean touches = (set & (1 << a)) != 0 || (set & (1 << c)) != 0;
        return touches ? g.multiplicity(a, c) : 0;
      }, colours);
    }

    private int[] vertices(int mask) {
      int[] out = new int[Integer.bitCount(mask)];
      int k = 0;
      for (int v = 0; v < n; v++) {
        if ((mask & (1 << v)) != 0) {
          out[k++] = v;
        }
      }
      return out;
    }
  }
}
