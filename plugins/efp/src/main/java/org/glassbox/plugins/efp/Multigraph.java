package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small loopless multigraph held as its symmetric multiplicity matrix. Immutable; vertices are
 * 0..n-1 and may be isolated only in the one-vertex graph (the d = 0 EFP).
 */
final class Multigraph {
  private final int n;
  private final int[] mult;

  private Multigraph(int n, int[] mult) {
    this.n = n;
    this.mult = mult;
  }

  static Multigraph singleVertex() {
    return new Multigraph(1, new int[1]);
  }

  static Multigraph of(int n, List<Edge> edges) {
    int[] m = new int[n * n];
    for (Edge e : edges) {
      if (e.b() >= n) {
        throw new IllegalArgumentException("edge " + e + " outside " + n + " vertices");
      }
      m[e.a() * n + e.b()]++;
      m[e.b() * n + e.a()]++;
    }
    return new Multigraph(n, m);
  }

  int vertices() {
    return n;
  }

  int multiplicity(int a, int b) {
    return mult[a * n + b];
  }

  /** Number of edges counted with multiplicity: the EFP degree d. */
  int edgeCount() {
    int s = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        s += mult[a * n + b];
      }
    }
    return s;
  }

  /** This graph plus one edge (a, b); {@code b == vertices()} adds a new vertex. */
  Multigraph withEdge(int a, int b) {
    int n2 = b == n ? n + 1 : n;
    int[] m = new int[n2 * n2];
    for (int i = 0; i < n; i++) {
      System.arraycopy(mult, i * n, m, i * n2, n);
    }
    m[a * n2 + b]++;
    m[b * n2 + a]++;
    return new Multigraph(n2, m);
  }

  /** The same graph with vertex {@code order[p]} renamed to p. */
  Multigraph relabel(int[] order) {
    int[] m = new int[n * n];
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        m[p * n + q] = mult[order[p] * n + order[q]];
      }
    }
    return new Multigraph(n, m);
  }

  /** Edges with a < b, each repeated by its multiplicity, in lexicographic order. */
  List<Edge> edges() {
    List<Edge> out = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        for (int k = 0; k < mult[a * n + b]; k++) {
          out.add(new Edge(a, b));
        }
      }
    }
    return out;
  }

  /** Bit mask of the neighbours of each vertex (graphs here have at most 31 vertices). */
  int[] neighbourMasks() {
    int[] adj = new int[n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (mult[a * n + b] > 0) {
          adj[a] |= 1 << b;
        }
      }
    }
    return adj;
  }

  boolean isConnected() {
    int[] adj = neighbourMasks();
    int seen = 1;
    int frontier = 1;
    while (frontier != 0) {
      int next = 0;
      for (int v = 0; v < n; v++) {
        if ((frontier & (1 << v)) != 0) {
          next |= adj[v];
        }
      }
      frontier = next & ~seen;
      seen |= next;
    }
    return seen == (1 << n) - 1;
  }

  /** Smallest number of colours for a proper vertex colouring, by exhaustive search (n is small). */
  int chromaticNumber() {
    for (int k = 1; k < n; k++) {
      if (colourable(new int[n], 0, k)) {
        return k;
      }
    }
    return n;
  }

  private boolean colourable(int[] colour, int v, int k) {
    if (v == n) {
      return true;
    }
    for (int c = 0; c < k; c++) {
      boolean ok = true;
      for (int u = 0; u < v && ok; u++) {
        ok = !(mult[u * n + v] > 0 && colour[u] == c);
      }
      if (ok) {
        colour[v] = c;
        if (colourable(colour, v + 1, k)) {
          return true;
        }
      }
      // Colour 0 for vertex 0 is no loss of generality; trying others only repeats the search.
      if (v == 0) {
        break;
      }
    }
    return false;
  }

  /** Edge list in the form the column descriptions use, e.g. {@code (0,1)(0,1)(1,2)}. */
  String describe() {
    List<Edge> es = edges();
    if (es.isEmpty()) {
      return "()";
    }
    StringBuilder sb = new StringBuilder();
    for (Edge e : es) {
      sb.append(e);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multigraph && ((Multigraph) o).n == n && Arrays.equals(((Multigraph) o).mult, mult);
  }

  @Override
  public int hashCode() {
    return 31 * n + Arrays.hashCode(mult);
  }

  @Override
  public String toString() {
    return describe();
  }
}
