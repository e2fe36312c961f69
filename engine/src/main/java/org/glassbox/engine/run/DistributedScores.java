package org.glassbox.engine.run;

import org.glassbox.api.Progress;
import org.glassbox.api.attribution.Attribution;

/**
 * Where the attribution scores and AUCs over every event come from when the events do not all fit
 * in one pass: streamed chunk by chunk ({@link Streamed}), or scored on a cluster (the Spark
 * distribution), which may also climb the starts of activation maximization ({@link #population}).
 * The rest of the analysis (per-event arrays, profiles, comparisons, similarity,
 * surrogates, populations) runs on the first chunk, which the run reads as usual.
 */
public interface DistributedScores {

  /**
   * @param attributions [neuron][method] over every event (per-event arrays empty)
   * @param auc per neuron over every event (NaN without labels)
   * @param events how many events
   */
  record Totals(Attribution[][] attributions, double[] auc, long events) {}

  /** The totals for one model of the analysis. */
  Totals totals(RunSpec spec, RunSpec.ModelSpec model, Progress progress);

  /**
   * Called once the run's results are complete and before anything is written, with the results
   * folder being written ({@link org.glassbox.engine.report.OutputFolder#partialPath}): what computes
   * the totals may add what else it computed over every event (e.g. similarity, per-event array
   * parts it wrote into that folder) and its provenance ({@link RunResult#withProvenance}). By
   * default the results stay as they are.
   */
  default RunResult complete(RunResult result, java.nio.file.Path folder, Progress progress) {
    return result;
  }

  /**
   * A maximization method's population for one neuron with its starts climbed elsewhere (split
   * across the tasks of a cluster: {@link org.glassbox.api.maximization.MaximizationMethod#climbsStartSlices}),
   * or null to climb them on this machine, as by default. The population must be the one the method
   * gives on this machine: the same starts, end points, values and order.
   *
   * @param neuron the neuron as the analysis names it ({@code neurons:})
   * @param data the events the run analyses here (the box, the threshold and data starts come from them)
   */
  default org.glassbox.api.maximization.Population population(RunSpec spec, RunSpec.ModelSpec model, RunSpec.MethodSpec method,
      String neuron, org.glassbox.api.EventData data, Progress progress) {
    return null;
  }

  /** Chunk after chunk from the data file (data.stream). */
  final class Streamed implements DistributedScores {
    private final org.glassbox.engine.host.MethodCatalog catalog;
    private final DataSource.File file;

    private final InputLayout layout;

    public Streamed(org.glassbox.engine.host.MethodCatalog catalog, DataSource.File file) {
      this(catalog, file, null);
    }

    /** Streams a file whose arrays are packed as {@code layout} says ({@code data.inputs}; null: one input). */
    public Streamed(org.glassbox.engine.host.MethodCatalog catalog, DataSource.File file, InputLayout layout) {
      this.catalog = catalog;
      this.file = file;
      this.layout = layout;
    }

    @Override
    public Totals totals(RunSpec spec, RunSpec.ModelSpec model, Progress progress) {
      ChunkScorer.Partial all = null;
      try (ChunkScorer scorer = ChunkScorer.open(catalog, spec, model, layout);
          java.util.stream.Stream<org.glassbox.data.EventTable> chunks = file.chunks()) {
        var it = chunks.iterator();
        long events = 0;
        while (it.hasNext()) {
          progress.checkCancelled();
          org.glassbox.data.EventTable chunk = it.next();
          ChunkScorer.Partial p = scorer.score(chunk, spec.seed() + events);
          all = all == null ? p : all.merge(p);
          events += chunk.events();
          progress.start("streaming " + model.name() + ": " + events + " events", 1);
        }
      }
      if (all == null) throw new org.glassbox.api.GlassboxException(file.describe() + " has no events.");
      return new Totals(all.attributions(), all.auc(), all.events());
    }
  }
}
