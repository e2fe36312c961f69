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
    int direction, List<MethodSpec> attribution, List<MethodSpec> observables, List<SimilaritySpec> similarity,
    List<SurrogateSpec> surrogates, List<MethodSpec> maximization, List<MethodSpec> clustering, Comparison compare, Path output,
    int threads, int batchSize, double trainFraction) {

  public RunSpec {
    models = List.copyOf(models);
    neurons = List.copyOf(neurons);
    attribution = List.copyOf(attribution);
    observables = List.copyOf(observables);
    similarity = List.copyOf(similarity);
    surrogates = List.copyOf(surrogates);
    maximization = List.copyOf(maximization);
    clustering = List.copyOf(clustering);
  }

  /**
   * A similarity method over decision functions.
   *
   * @param functions model names (their first neuron's value), neurons as {@code <model>:<neuron>},
   *     observables and data features; empty for every model and observable
   */
  public record SimilaritySpec(MethodSpec method, List<String> functions) {
    public SimilaritySpec {
      functions = List.copyOf(functions);
    }
  }

  /**
   * A surrogate method explaining one model's neuron with observables.
   *
   * @param model the model's name (default: the first model)
   * @param neuron the neuron (default: the first of 'neurons')
   */
  public record SurrogateSpec(MethodSpec method, String model, String neuron) {}

  /**
   * A model under study, with a short name for tables: an ONNX file, or a network the built-in
   * trainer trains on the run's data first (exactly one of {@code file} and {@code train} is set).
   */
  public record ModelSpec(String name, Path file, TrainSpec train, List<Checkpoint> checkpoints) {
    public ModelSpec {
      checkpoints = List.copyOf(checkpoints);
    }

    public static ModelSpec file(String name, Path file) {
      return new ModelSpec(name, file, null, List.of());
    }
  }

  /** A saved state of a model during its training: the step, and the ONNX file. */
  public record Checkpoint(long step, Path file) {}

  /**
   * A network for the built-in trainer; its input width is the data's.
   *
   * @param conv convolution blocks (channels, kernel) before the dense layers; empty for an MLP
   * @param hidden widths of the hidden layers
   * @param activation of the hidden layers
   */
  public record TrainSpec(List<org.glassbox.engine.train.Network.ConvBlock> conv, int[] hidden,
      org.glassbox.engine.train.Network.Activation activation, org.glassbox.engine.train.TrainingOptions options) {}

  /** A method to run, with validated options and where it was written. */
  public record MethodSpec(String id, Options options, String where) {}

  /**
   * How methods are compared: top-k overlap size, and the faithfulness check (AUC as features are
   * permuted in each method's order) on at most {@code faithfulnessEvents} events.
   */
  public record Comparison(int topK, boolean faithfulness, int faithfulnessEvents) {}

  public RunSpec withOutput(Path out) {
    return new RunSpec(source, name, seed, models, data, neurons, direction, attribution, observables, similarity, surrogates,
        maximization, clustering, compare, out, threads, batchSize, trainFraction);
  }
}
