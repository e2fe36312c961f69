package org.glassbox.plugins.efp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Graph enumeration: published counts, no duplicates, and the facts each graph carries. */
class GraphCatalogTest {
  private static GraphCatalog seven;

  @BeforeAll
  static void build() {
    seven = GraphCatalog.upToDegree(7);
  }

  @Test
  void countsMatchThePublishedOnes() {
    int[] connected = new int[8];
    int[] all = new int[8];
    for (EfpGraph g : seven.graphs()) {
      all[g.degree()]++;
      if (g.prime()) {
        connected[g.degree()]++;
      }
    }
    assertArrayEquals(new int[] {1, 1, 2, 5, 12, 33, 103, 333}, connected);
    assertEquals(102, Arrays.stream(all, 0, 6).sum());
    assertEquals(54, Arrays.stream(connected, 0, 6).sum());
    assertEquals(1000, Arrays.stream(all).sum());
    assertEquals(490, Arrays.stream(connected).sum());
    GraphCatalog five = GraphCatalog.upToDegree(5);
    assertEquals(102, five.graphs().size());
    assertEquals(54, five.graphs().stream().filter(EfpGraph::prime).count());
  }

  /** Pairs with equal invariants are tested for isomorphism by trying vertex bijections. */
  @Test
  void noTwoGraphsAreIsomorphic() {
    Map<String, List<EfpGraph>> byInvariants = new HashMap<>();
    for (EfpGraph g : seven.graphs()) {
      if (g.prime() || g.degree() <= 5) {
        byInvariants.computeIfAbsent(invariants(g), k -> new ArrayList<>()).add(g);
      }
    }
    int pairs = 0;
    for (List<EfpGraph> group : byInvariants.values()) {
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          assertFalse(isomorphic(group.get(i), group.get(j)), group.get(i).description() + " ≅ " + group.get(j).description());
          pairs++;
        }
      }
    }
    assertTrue(pairs > 100, "too few candidate pairs (" + pairs + ") for the check to mean anything");
    // The check itself must see through relabelling: a graph is isomorphic to a relabelled copy.
    EfpGraph g = seven.graphs().stream().filter(x -> x.degree() == 6 && x.vertices() == 5).findFirst().orElseThrow();
    int[] perm = {3, 0, 4, 1, 2};
    List<Edge> moved = new ArrayList<>();
    for (Edge e : g.edges()) {
      int a = perm[e.a()];
      int b = perm[e.b()];
      moved.add(new Edge(Math.min(a, b), Math.max(a, b)));
    }
    assertTrue(isomorphic(g, new EfpGraph(-1, moved, 5, 6, true, List.of(), 0, List.of(), 0)));
  }

  @Test
  void primesAreConnectedAndCompositesAreTheirFactors() {
    List<EfpGraph> graphs = seven.graphs();
    for (EfpGraph g : graphs) {
      int[][] m = matrix(g);
      int[] degree = new int[g.vertices()];
      for (Edge e : g.edges()) {
        degree[e.a()]++;
        degree[e.b()]++;
      }
      assertEquals(g.degree(), g.edges().size());
      if (g.degree() > 0) {
        assertTrue(Arrays.stream(degree).allMatch(d -> d > 0), "isolated vertex in " + g.description());
      } else {
        assertEquals(1, g.vertices());
      }
      int components = components(m);
      if (g.prime()) {
        assertEquals(1, components, g.description());
        assertEquals(List.of(g.index()), g.primeFactors());
      } else {
        assertEquals(g.primeFactors().size(), components, g.description());
        int d = 0;
        int chromatic = 0;
        for (int f : g.primeFactors()) {
          EfpGraph factor = graphs.get(f);
          assertTrue(factor.prime() && factor.degree() > 0);
          d += factor.degree();
          chromatic = Math.max(chromatic, factor.chromaticNumber());
        }
        assertEquals(g.degree(), d);
        assertEquals(chromatic, g.chromaticNumber());
      }
    }
  }

  @Test
  void chromaticNumbersAreMinimal() {
    for (EfpGraph g : seven.graphs()) {
      if (!g.prime()) {
        continue;
      }
      int k = g.chromaticNumber();
      assertTrue(colourable(matrix(g), k), g.description() + " not " + k + "-colourable");
      assertTrue(k == 1 || !colourable(matrix(g), k - 1), g.description() + " is " + (k - 1) + "-colourable");
    }
  }

  /**
   * The stated order has the stated χ (replayed here with fill-in edges), and for graphs with at
   * most 6 vertices no order does better.
   */
  @Test
  void eliminationOrdersHaveTheStatedMinimalChi() {
    int chi4 = 0;
    for (EfpGraph g : seven.graphs()) {
      List<Integer> order = g.eliminationOrder();
      List<Integer> sorted = new ArrayList<>(order);
      sorted.sort(null);
      for (int v = 0; v < g.vertices(); v++) {
        assertEquals(v, sorted.get(v));
      }
      int[][] m = matrix(g);
      assertEquals(chiOf(m, order.stream().mapToInt(Integer::intValue).toArray()), g.chi(), g.description());
      if (g.prime() && g.vertices() <= 6) {
        assertEquals(bestChi(m), g.chi(), g.description());
      }
      if (g.prime() && g.chi() == 4) {
        chi4++;
        assertTrue(g.degree() >= 6);
      }
    }
    // K4, K4 with a doubled edge, with a pendant edge, with a subdivided edge.
    assertEquals(4, chi4);
    assertEquals(1, find("()").chi());
    assertEquals(2, find("(0,1)").chi());
    assertEquals(3, find("(0,1)(0,2)(1,2)").chi());
  }

  @Test
  void descriptionsAndNames() {
    EfpGraph dot = seven.graphs().get(0);
    assertEquals("()", dot.description());
    assertEquals(0, dot.degree());
    assertEquals(1, dot.chromaticNumber());
    EfpLibrary lib = EfpLibrary.create(3, List.of(1.0, 0.5, -1.0), List.of(1.0, 2.0), Measure.HADRONIC);
    EfpGraph doubled = find(lib.graphs(), "(0,1)(0,1)(1,2)");
    assertEquals(3, doubled.vertices());
    assertTrue(doubled.description().matches("(\\([0-2],[0-2]\\)){3}"), doubled.description());
    assertTrue(lib.columnNames().contains("efp_d3_k1_b1_g" + doubled.index()));
    for (EfpColumn c : lib.columns()) {
      assertTrue(c.name().matches("efp_d[0-9]+_k(m?[0-9]+(p[0-9]+)?)_b([0-9]+(p[0-9]+)?)_g[0-9]+"), c.name());
      assertEquals(c.kappa() == 1.0, c.ircSafe());
    }
    assertEquals(lib.columns().size(), lib.columnNames().stream().distinct().count());
    assertTrue(lib.columnNames().contains("efp_d0_k0p5_b2_g0"));
    assertTrue(lib.columnNames().contains("efp_d1_km1_b1_g1"));
  }

  /** The catalog's graph isomorphic to an edge list written like {@code (0,1)(0,1)(1,2)}. */
  static EfpGraph find(String description) {
    return find(seven.graphs(), description);
  }

  static EfpGraph find(List<EfpGraph> graphs, String description) {
    List<Edge> edges = new ArrayList<>();
    int n = 1;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+),(\\d+)\\)").matcher(description);
    while (m.find()) {
      Edge e = new Edge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      edges.add(e);
      n = Math.max(n, e.b() + 1);
    }
    EfpGraph wanted = new EfpGraph(-1, edges, n, edges.size(), true, List.of(), 0, List.of(), 0);
    List<EfpGraph> hits = graphs.stream().filter(g -> isomorphic(g, wanted)).collect(java.util.stream.Collectors.toList());
    assertEquals(1, hits.size(), "graphs isomorphic to " + description);
    return hits.get(0);
  }

  static int[][] matrix(EfpGraph g) {
    int[][] m = new int[g.vertices()][g.vertices()];
    for (Edge e : g.edges()) {
      m[e.a()][e.b()]++;
      m[e.b()][e.a()]++;
    }
    return m;
  }

  private static String invariants(EfpGraph g) {
    int[][] m = matrix(g);
    int[] degree = new int[g.vertices()];
    List<Integer> mult = new ArrayList<>();
    for (int a = 0; a < m.length; a++) {
      for (int b = 0; b < m.length; b++) {
        degree[a] += m[a][b];
        if (b > a && m[a][b] > 0) {
          mult.add(m[a][b]);
        }
      }
    }
    Arrays.sort(degree);
    mult.sort(null);
    return g.vertices() + "/" + g.degree() + "/" + Arrays.toString(degree) + "/" + mult;
  }

  /** Tries vertex bijections, extending one vertex at a time while all placed pairs agree. */
  static boolean isomorphic(EfpGraph g, EfpGraph h) {
    if (g.vertices() != h.vertices() || g.degree() != h.degree()) {
      return false;
    }
    return extend(matrix(g), matrix(h), new int[g.vertices()], new boolean[g.vertices()], 0);
  }

  private static boolean extend(int[][] a, int[][] b, int[] map, boolean[] used, int v) {
    if (v == a.length) {
      return true;
    }
    for (int w = 0; w < a.length; w++) {
      if (used[w]) {
        continue;
      }
      boolean ok = true;
      for (int u = 0; u < v && ok; u++) {
        ok = a[u][v] == b[map[u]][w];
      }
      if (ok) {
        map[v] = w;
        used[w] = true;
        if (extend(a, b, map, used, v + 1)) {
          return true;
        }
        used[w] = false;
      }
    }
    return false;
  }

  private static int components(int[][] m) {
    int n = m.length;
    int[] comp = new int[n];
    Arrays.fill(comp, -1);
    int c = 0;
    for (int s = 0; s < n; s++) {
      if (comp[s] >= 0) {
        continue;
      }
      List<Integer> stack = new ArrayList<>(List.of(s));
      comp[s] = c;
      while (!stack.isEmpty()) {
        int v = stack.remove(stack.size() - 1);
        for (int u = 0; u < n; u++) {
          if (m[v][u] > 0 && comp[u] < 0) {
            comp[u] = c;
            stack.add(u);
          }
        }
      }
      c++;
    }
    return c;
  }

  private static boolean colourable(int[][] m, int k) {
    int n = m.length;
    int[] colour = new int[n];
    long total = (long) Math.pow(k, n);
    for (long code = 0; code < total; code++) {
      long x = code;
      for (int v = 0; v < n; v++) {
        colour[v] = (int) (x % k);
        x /= k;
      }
      boolean ok = true;
      for (int a = 0; a < n && ok; a++) {
        for (int b = a + 1; b < n && ok; b++) {
          ok = m[a][b] == 0 || colour[a] != colour[b];
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** χ of an order: 1 + the most not-yet-eliminated neighbours a vertex has when eliminated, fill-in included. */
  static int chiOf(int[][] m, int[] order) {
    int n = m.length;
    boolean[][] adj = new boolean[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        adj[a][b] = m[a][b] > 0;
      }
    }
    boolean[] gone = new boolean[n];
    int chi = 0;
    for (int v : order) {
      List<Integer> nb = new ArrayList<>();
      for (int u = 0; u < n; u++) {
        if (!gone[u] && u != v && adj[v][u]) {
          nb.add(u);
        }
      }
      chi = Math.max(chi, nb.size() + 1);
      for (int x : nb) {
        for (int y : nb) {
          if (x != y) {
            adj[x][y] = true;
          }
        }
      }
      gone[v] = true;
    }
    return chi;
  }

  private static int bestChi(int[][] m) {
    int n = m.length;
    int[] best = {Integer.MAX_VALUE};
    permutations(new int[n], new boolean[n], 0, p -> best[0] = Math.min(best[0], chiOf(m, p)));
    return best[0];
  }

  private static void permutations(int[] cur, boolean[] used, int i, java.util.function.Consumer<int[]> f) {
    if (i == cur.length) {
      f.accept(cur);
      return;
    }
    for (int v = 0; v < cur.length; v++) {
      if (!used[v]) {
        used[v] = true;
        cur[i] = v;
        permutations(cur, used, i + 1, f);
        used[v] = false;
      }
    }
  }
}
