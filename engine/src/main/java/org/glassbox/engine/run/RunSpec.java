package org.glassbox.engine.run;

import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.Options;
import org.glassbox.data.DataSpec;

/**
 * A validated analysis: everything a run needs, checked before any work starts.
 *
 * @param source the analysis file
 * @param output the results folder (created fresh by the run)
 */
public record RunSpec(Path source, String name, long seed, List<ModelSpec> models, DataSource data, List<String> neurons,
    int direction, List<MethodSpec> attribution, Comparison compare, Path output, int threads, int batchSize) {

  public RunSpec {
    models = List.copyOf(models);
    neurons = List.copyOf(neurons);
    attribution = List.copyOf(attribution);
  }

  /** A model under study, with a short name for tables. */
  public record ModelSpec(String name, Path file) {}

  /** A method to run, with validated options and where it was written. */
  public record MethodSpec(String id, Options options, String where) {}

  /**
   * How methods are compared: top-k overlap size, and the faithfulness check (AUC as features are
   * permuted in each method's order) on at most {@code faithfulnessEvents} events.
   */
  public record Comparison(int topK, boolean faithfulness, int faithfulnessEvents) {}

  public RunSpec withOutput(Path out) {
    return new RunSpec(source, name, seed, models, data, neurons, direction, attribution, compare, out, threads, batchSize);
  }
}
