package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.data.EventTable;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.model.OnnxModel;

/**
 * The mergeable part of an analysis for one model over one chunk of events: every attribution
 * method's result for every neuron (without per-event arrays) and the neurons' values for the AUC.
 * Chunks are independent, so streaming reads them one after another and a cluster scores them in
 * parallel; {@link Partial#merge} combines the results exactly (sums and counts).
 */
public final class ChunkScorer implements AutoCloseable {
  private final MethodCatalog catalog;
  private final RunSpec spec;
  private final OnnxModel model;
  private final OnnxModelAccess access;
  private final List<Neuron> neurons = new ArrayList<>();
  private final java.util.BitSet fixed;

  /** Opens a model once for many chunks (one scorer per worker and model). */
  public ChunkScorer(MethodCatalog catalog, RunSpec spec, OnnxModel model) {
    this(catalog, spec, model, null);
  }

  /**
   * A scorer for a model whose inputs are packed ({@code data.inputs}): {@code fixed} marks the
   * values fed as they are (null: none).
   */
  public ChunkScorer(MethodCatalog catalog, RunSpec spec, OnnxModel model, java.util.BitSet fixed) {
    this.fixed = fixed;
    this.catalog = catalog;
    this.spec = spec;
    this.model = model;
    this.access = new OnnxModelAccess(model);
    for (String text : spec.neurons()) neurons.add(access.neuron(text, spec.direction()));
  }

  /** A scorer for a model read from its file. */
  public static ChunkScorer open(MethodCatalog catalog, RunSpec spec, RunSpec.ModelSpec ms) {
    if (ms.file() == null) {
      throw new GlassboxException("Model " + ms.name() + " is trained in the run; chunks can only be scored for models"
          + " read from files.");
    }
    return open(catalog, spec, ms, null);
  }

  /** A scorer for a model read from its file, its inputs packed as {@code layout} says (null: one input). */
  public static ChunkScorer open(MethodCatalog catalog, RunSpec spec, RunSpec.ModelSpec ms, InputLayout layout) {
    if (ms.file() == null) {
      throw new GlassboxException("Model " + ms.name() + " is trained in the run; chunks can only be scored for models"
          + " read from files.");
    }
    ExecutionOptions exec = new ExecutionOptions(spec.threads(), spec.batchSize());
    return layout == null ? new ChunkScorer(catalog, spec, OnnxModel.load(ms.file(), exec))
        : new ChunkScorer(catalog, spec, OnnxModel.load(ms.file(), exec, layout.packing()), layout.fixed());
  }

  /**
   * @param attributions [neuron][method], per-event arrays left out
   * @param values [neuron][event], the neuron's value times its direction (large = signal-like)
   */
  public record Partial(Attribution[][] attributions, float[][] values, int[] labels, double[] weights, long events) {

    /** The combination of two disjoint sets of events (this one's first). */
    public Partial merge(Partial other) {
      Attribution[][] a = new Attribution[attributions.length][];
      float[][] v = new float[values.length][];
      for (int i = 0; i < a.length; i++) {
        a[i] = new Attribution[attributions[i].length];
        for (int m = 0; m < a[i].length; m++) a[i][m] = attributions[i][m].merge(other.attributions[i][m]);
        v[i] = concat(values[i], other.values[i]);
      }
      int[] l = labels == null || other.labels == null ? null : concat(labels, other.labels);
      double[] w = weights == null || other.weights == null ? null : concat(weights, other.weights);
      return new Partial(a, v, l, w, events + other.events);
    }

    /** The exact AUC of each neuron over every event here (NaN without labels). */
    public double[] auc() {
      double[] out = new double[values.length];
      for (int i = 0; i < out.length; i++) out[i] = labels == null ? Double.NaN : RankStatistics.auc(values[i], labels, weights);
      return out;
    }
  }

  /**
   * Scores one chunk: every attribution method on every neuron, seeded with {@code seed} (give each
   * chunk its own, e.g. the run's seed plus the chunk's first event index, so stochastic methods draw
   * independently per chunk).
   */
  public Partial score(EventTable chunk, long seed) {
    return score(chunk, seed, false);
  }

  /**
   * Scores one chunk as {@link #score(EventTable, long)}; with {@code keepPerEvent} the attributions
   * keep the per-event arrays of the methods that make them (a cluster writes them per partition).
   */
  public Partial score(EventTable chunk, long seed, boolean keepPerEvent) {
    TableEventData data = new TableEventData(RunExecutor.shapeFor(model, chunk, spec), chunk.featureNames(), chunk.weights(),
        chunk.labels(), fixed, null);
    Attribution[][] a = new Attribution[neurons.size()][spec.attribution().size()];
    float[][] v = new float[neurons.size()][];
    for (int i = 0; i < neurons.size(); i++) {
      Neuron neuron = neurons.get(i);
      for (int m = 0; m < spec.attribution().size(); m++) {
        RunSpec.MethodSpec ms = spec.attribution().get(m);
        Attribution full = catalog.attribution().get(ms.id()).attribute(context(neuron, data, ms.options(), seed));
        a[i][m] = keepPerEvent ? full : new Attribution(full.features(), full.inputsOf(), full.scores(), java.util.Optional.empty(),
            full.summary(), full.scoreName());
      }
      float[] z = access.value(neuron, data.inputs()).data();
      if (neuron.direction() < 0) for (int e = 0; e < z.length; e++) z[e] = -z[e];
      v[i] = z;
    }
    return new Partial(a, v, chunk.labels(), chunk.weights(), chunk.events());
  }

  private AttributionContext context(Neuron neuron, TableEventData data, Options options, long seed) {
    return new Contexts.Attribution(access, neuron, data, options, seed, Progress.NONE);
  }

  @Override
  public void close() {
    access.close();
    model.close();
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
