package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.glassbox.api.GlassboxException;

/**
 * Energy flow polynomials (METHODS.md §8, seed 002) for every multigraph with at most
 * {@code maxDegree} edges and every (κ, β) of a grid:
 *
 * <pre>  EFP_G = Σ_{a_1..a_n} z_{a_1} … z_{a_n} Π_{(k,l) ∈ G} θ_{a_k a_l}</pre>
 *
 * <p>Evaluation never enumerates the M^n index tuples: prime (connected) graphs are contracted
 * one vertex at a time in an order of least complexity χ (cost O(M^χ)), with the pieces that
 * several graphs share (θ^k z θ^l paths, pendant trees, …) computed once per jet; composite graphs
 * are products of their prime factors. Per jet, z is computed once per κ and θ, θ², … once per β.
 *
 * <p>Columns are ordered κ-major, then β, then graph: column {@code (k·|β| + b)·|graphs| + g}.
 */
public final class EfpLibrary {
  private final EfpLibraryOptions options;
  private final GraphCatalog catalog;
  private final List<EfpColumn> columns;

  private EfpLibrary(EfpLibraryOptions options, GraphCatalog catalog) {
    this.options = options;
    this.catalog = catalog;
    List<EfpColumn> cols = new ArrayList<>();
    for (double kappa : options.kappas()) {
      for (double beta : options.betas()) {
        for (EfpGraph g : catalog.graphs()) {
          cols.add(new EfpColumn(cols.size(), EfpColumn.nameOf(g, kappa, beta), g, kappa, beta, kappa == 1));
        }
      }
    }
    this.columns = List.copyOf(cols);
  }

  /** A library with METHODS.md's z convention ({@link EnergyWeighting#FRACTION_TO_KAPPA}). */
  public static EfpLibrary create(int maxDegree, List<Double> kappas, List<Double> betas, Measure measure) {
    return create(new EfpLibraryOptions(maxDegree, kappas, betas, measure));
  }

  public static EfpLibrary create(EfpLibraryOptions options) {
    return new EfpLibrary(options, GraphCatalog.upToDegree(options.maxDegree()));
  }

  public EfpLibraryOptions options() {
    return options;
  }

  /** The graphs, each once (columns repeat them per κ and β). */
  public List<EfpGraph> graphs() {
    return catalog.graphs();
  }

  public List<EfpColumn> columns() {
    return columns;
  }

  public List<String> columnNames() {
    List<String> names = new ArrayList<>();
    for (EfpColumn c : columns) {
      names.add(c.name());
    }
    return names;
  }

  /** EFPs of every jet on this thread: a jets × columns matrix. */
  public double[][] compute(JetBatch jets) {
    return compute(jets, 1);
  }

  /** EFPs of every jet, the batch split into contiguous parts over {@code threads} threads. */
  public double[][] compute(JetBatch jets, int threads) {
    if (threads < 1) {
      throw new GlassboxException("threads must be ≥ 1, got " + threads);
    }
    if (jets.measure() != options.measure()) {
      throw new GlassboxException("the library uses the " + options.measure().label() + " measure but the jets were given as "
          + (jets.measure() == Measure.HADRONIC ? "(pT, y, phi): use JetBatch.fourVectors" : "four-vectors: use JetBatch.hadronic"));
    }
    double[][] out = new double[jets.size()][];
    int parts = Math.min(threads, Math.max(jets.size(), 1));
    if (parts == 1) {
      computeRange(jets, 0, jets.size(), out, null);
      return out;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) jets.size() * p / parts);
      int to = (int) ((long) jets.size() * (p + 1) / parts);
      Thread t = new Thread(() -> computeRange(jets, from, to, out, null), "efp-" + p);
      t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GlassboxException("interrupted while computing EFPs", e);
      }
    }
    if (failure.get() != null) {
      throw new GlassboxException("EFP computation failed: " + failure.get(), failure.get());
    }
    return out;
  }

  /**
   * Where the time goes: seconds per χ for one pass over the batch on this thread. Each step of
   * the shared plan is timed on its own and counted for the smallest χ among the graphs that need
   * it (it would be computed anyway), so the χ = 4 entry is what the χ = 4 graphs add. Per step
   * the fastest of {@code passes} passes is kept, which filters out time stolen by other
   * processes. Timing each step adds a little overhead to the small ones.
   */
  public Map<Integer, Double> secondsByChi(JetBatch jets, int passes) {
    if (passes < 1) {
      throw new GlassboxException("passes must be ≥ 1, got " + passes);
    }
    ContractionPlan plan = catalog.plan();
    double[] best = new double[plan.ops().size()];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int p = 0; p < passes; p++) {
      double[] perOp = new double[best.length];
      computeRange(jets, 0, jets.size(), new double[jets.size()][], perOp);
      for (int i = 0; i < best.length; i++) {
        best[i] = Math.min(best[i], perOp[i]);
      }
    }
    int[] nodeChi = nodeChi();
    Map<Integer, Double> out = new TreeMap<>();
    for (int i = 0; i < best.length; i++) {
      out.merge(nodeChi[plan.nodeOf(i)], best[i], Double::sum);
    }
    return out;
  }

  /** For each plan node, the smallest χ of the graphs whose evaluation needs it. */
  private int[] nodeChi() {
    List<ContractionNode> nodes = catalog.nodes();
    int[] chi = new int[nodes.size()];
    Arrays.fill(chi, Integer.MAX_VALUE);
    for (EfpGraph g : catalog.graphs()) {
      if (g.prime()) {
        mark(nodes, catalog.resultNode(g.index()), g.chi(), chi);
      }
    }
    return chi;
  }

  private static void mark(List<ContractionNode> nodes, int node, int chi, int[] out) {
    if (out[node] <= chi) {
      return;
    }
    out[node] = chi;
    for (ContractionNode.Input in : nodes.get(node).inputs()) {
      mark(nodes, in.node(), chi, out);
    }
  }

  private void computeRange(JetBatch jets, int from, int to, double[][] out, double[] opSeconds) {
    int capacity = 1;
    for (int j = from; j < to; j++) {
      capacity = Math.max(capacity, jets.particles(j));
    }
    List<EfpGraph> graphs = catalog.graphs();
    int ng = graphs.size();
    int nk = options.kappas().size();
    int nb = options.betas().size();
    Workspace ws = new Workspace(catalog.plan(), nk, nb, capacity);
    int[] node = new int[ng];
    for (int g = 0; g < ng; g++) {
      node[g] = graphs.get(g).prime() ? catalog.resultNode(g) : -1;
    }
    for (int j = from; j < to; j++) {
      double[] row = new double[columns.size()];
      out[j] = row;
      int m = jets.particles(j);
      if (m == 0) {
        continue; // every sum over no particles is 0
      }
      ws.load(jets, j, options);
      for (int k = 0; k < nk; k++) {
        for (int b = 0; b < nb; b++) {
          double[] s = opSeconds == null ? ws.run(k, b, m) : ws.runTimed(k, b, m, opSeconds);
          int base = (k * nb + b) * ng;
          for (int g = 0; g < ng; g++) {
            if (node[g] >= 0) {
              row[base + g] = s[node[g]];
            }
          }
          for (int g = 0; g < ng; g++) {
            if (node[g] < 0) {
              double v = 1;
              for (int f : graphs.get(g).primeFactors()) {
                v *= row[base + f];
              }
              row[base + g] = v;
            }
          }
        }
      }
    }
  }
}
