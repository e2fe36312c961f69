package org.glassbox.plugins.efp;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A canonical labelling of a small vertex-coloured multigraph: two coloured multigraphs are
 * isomorphic (by a colour-preserving bijection) exactly when their keys are equal.
 *
 * <p>Colour refinement (1-dimensional Weisfeiler–Leman) first splits the vertices into an ordered
 * partition that depends only on the isomorphism class; then a backtracking search over the
 * orderings allowed by that partition keeps the lexicographically smallest adjacency sequence.
 * Refinement keeps the search tiny for the graphs EFPs need (at most ~10 vertices).
 *
 * @param key the canonical key: vertex count, colours in canonical order and the upper triangle
 *     of the multiplicity matrix in canonical order
 * @param order {@code order[p]} is the original vertex placed at canonical position p
 */
record CanonicalForm(String key, int[] order) {

  static CanonicalForm of(Multigraph g) {
    return of(g.vertices(), g::multiplicity, new int[g.vertices()]);
  }

  /** Multiplicities of a coloured graph, given as a function so that subgraphs need no copy. */
  @FunctionalInterface
  interface Multiplicities {
    int of(int a, int b);
  }

  static CanonicalForm of(int n, Multiplicities mult, int[] colours) {
    int[] colour = refine(n, mult, colours);
    Integer[] byColour = new Integer[n];
    for (int v = 0; v < n; v++) {
      byColour[v] = v;
    }
    Arrays.sort(byColour, Comparator.comparingInt(v -> colour[v]));
    int[] cellColour = new int[n];
    for (int p = 0; p < n; p++) {
      cellColour[p] = colour[byColour[p]];
    }
    Search s = new Search(n, mult, colour, cellColour);
    s.run(0, false);
    StringBuilder key = new StringBuilder().append(n).append('|');
    for (int p = 0; p < n; p++) {
      key.append(colours[s.bestOrder[p]]).append(',');
    }
    key.append('|');
    for (int x : s.best) {
      key.append((char) ('0' + x));
    }
    return new CanonicalForm(key.toString(), s.bestOrder);
  }

  /**
   * Iterated colour refinement: a vertex's new colour is the rank of (old colour, sorted multiset
   * of (neighbour colour, multiplicity)). Ranks come from sorting signatures, so the resulting
   * colours are an isomorphism invariant, not an artefact of the input labelling.
   */
  private static int[] refine(int n, Multiplicities mult, int[] initial) {
    int[] colour = rank(n, v -> new int[] {initial[v]});
    int classes = distinct(colour);
    while (true) {
      int[] current = colour;
      int[] next = rank(n, v -> signature(n, mult, current, v));
      int nextClasses = distinct(next);
      colour = next;
      if (nextClasses == classes) {
        return colour;
      }
      classes = nextClasses;
    }
  }

  private static int[] signature(int n, Multiplicities mult, int[] colour, int v) {
    int[] pairs = new int[n];
    int k = 0;
    for (int u = 0; u < n; u++) {
      int m = u == v ? 0 : mult.of(v, u);
      if (m > 0) {
        pairs[k++] = colour[u] * 1024 + m;
      }
    }
    int[] sig = new int[k + 1];
    sig[0] = colour[v];
    int[] sorted = Arrays.copyOf(pairs, k);
    Arrays.sort(sorted);
    System.arraycopy(sorted, 0, sig, 1, k);
    return sig;
  }

  @FunctionalInterface
  private interface Signature {
    int[] of(int v);
  }

  private static int[] rank(int n, Signature sig) {
    int[][] sigs = new int[n][];
    Integer[] idx = new Integer[n];
    for (int v = 0; v < n; v++) {
      sigs[v] = sig.of(v);
      idx[v] = v;
    }
    Arrays.sort(idx, (a, b) -> Arrays.compare(sigs[a], sigs[b]));
    int[] out = new int[n];
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && Arrays.compare(sigs[idx[i]], sigs[idx[i - 1]]) != 0) {
        r++;
      }
      out[idx[i]] = r;
    }
    return out;
  }

  private static int distinct(int[] colour) {
    return (int) Arrays.stream(colour).distinct().count();
  }

  /** Backtracking over the orderings the refined partition allows, keeping the smallest sequence. */
  private static final class Search {
    final int n;
    final Multiplicities mult;
    final int[] colour;
    final int[] cellColour;
    final int[] order;
    final boolean[] used;
    final int[] seq;
    int[] best;
    int[] bestOrder;

    Search(int n, Multiplicities mult, int[] colour, int[] cellColour) {
      this.n = n;
      this.mult = mult;
      this.colour = colour;
      this.cellColour = cellColour;
      this.order = new int[n];
      this.used = new boolean[n];
      this.seq = new int[n * (n - 1) / 2];
    }

    /**
     * Places a vertex at position p. {@code less} says the prefix so far is already smaller than
     * the best sequence's prefix. Returns whether the best sequence was replaced in this subtree:
     * the new best then shares this prefix, so the caller's prefix is no longer "less".
     */
    boolean run(int p, boolean less) {
      if (p == n) {
        if (best == null || less) {
          best = seq.clone();
          bestOrder = order.clone();
          return true;
        }
        return false;
      }
      boolean updated = false;
      int off = p * (p - 1) / 2;
      for (int v = 0; v < n; v++) {
        if (used[v] || colour[v] != cellColour[p]) {
          continue;
        }
        order[p] = v;
        for (int q = 0; q < p; q++) {
          seq[off + q] = mult.of(order[q], v);
        }
        boolean childLess = less;
        boolean prune = false;
        if (!less && best != null) {
          for (int q = 0; q < p; q++) {
            int c = Integer.compare(seq[off + q], best[off + q]);
            if (c != 0) {
              childLess = c < 0;
              prune = c > 0;
              break;
            }
          }
        }
        if (prune) {
          continue;
        }
        used[v] = true;
        if (run(p + 1, childLess)) {
          updated = true;
          less = false;
        }
        used[v] = false;
      }
      return updated;
    }
  }
}
