package org.glassbox.engine.run;

import java.util.List;
import java.util.Map;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.Attribution;

/** Everything a run found, ready to be written as results.json, tables, arrays and the report. */
public record RunResult(RunSpec spec, Map<String, Object> provenance, DataSummary data, List<ModelResult> models,
    List<ObservableColumn> observables, List<SimilarityResult> similarity, List<SurrogateResult> surrogates) {

  /**
   * These results with one more provenance entry, written under {@code provenance.<key>} in
   * results.json (e.g. a cluster's, under {@code spark}); values as {@link #provenance}'s, or maps of them.
   */
  public RunResult withProvenance(String key, Object value) {
    Map<String, Object> p = new java.util.LinkedHashMap<>(provenance);
    p.put(key, value);
    return new RunResult(spec, p, data, models, observables, similarity, surrogates);
  }

  /** These results with other similarity results (e.g. computed over every event on a cluster). */
  public RunResult withSimilarity(List<SimilarityResult> s) {
    return new RunResult(spec, provenance, data, models, observables, s, surrogates);
  }

  /** These results with other model results. */
  public RunResult withModels(List<ModelResult> m) {
    return new RunResult(spec, provenance, data, m, observables, similarity, surrogates);
  }

  /** An observable column a provider computed (e.g. an EFP), with its readable description. */
  public record ObservableColumn(String name, String provider, String description) {}

  /** A similarity method's result over the named functions. */
  public record SimilarityResult(String id, org.glassbox.api.Options options, org.glassbox.api.similarity.Similarity similarity,
      double seconds) {}

  /** A surrogate method's result for one model's neuron. */
  public record SurrogateResult(String id, String model, String neuron, org.glassbox.api.Options options,
      org.glassbox.api.surrogate.Surrogate surrogate, double seconds) {}

  /**
   * @param events the events analysed (after the training events, when the run trains networks)
   * @param truth for a toy data set, what it is built around (what the methods should find); else null
   * @param trainingEvents the events networks were trained on (the first ones), 0 when nothing is trained
   * @param streamedEvents with data.stream: every event the scores and AUCs cover (events is then the
   *     first chunk, which everything else uses); 0 otherwise
   */
  public record DataSummary(String file, String sha256, long events, long dropped, List<String> features, boolean labelled,
      boolean weighted, String truth, long trainingEvents, long streamedEvents, InputLayout layout) {
    public DataSummary withStreamedEvents(long n) {
      return new DataSummary(file, sha256, events, dropped, features, labelled, weighted, truth, trainingEvents, n, layout);
    }
  }

  /** @param training how the built-in trainer made this model; null for a model read from a file */
  public record ModelResult(String name, String file, String sha256, String producer, int opset, List<NeuronResult> neurons,
      Training training, List<LearningProgress> progress, List<PopulationResult> populations) {
    public ModelResult withNeurons(List<NeuronResult> n) {
      return new ModelResult(name, file, sha256, producer, opset, n, training, progress, populations);
    }
  }

  /**
   * A maximization method's population for one neuron, and how the clustering methods group it.
   *
   * @param projection the inputs the population is shown and clustered on (the neuron's leading inputs)
   * @param dependentPair the two inputs with the highest mutual information within the population (when the
   *     mutual-information method is installed), else empty
   */
  public record PopulationResult(String neuron, String method, Options options,
      org.glassbox.api.maximization.Population population, List<String> projection, List<String> dependentPair,
      List<ClusterResult> clusters, double seconds) {}

  /** One clustering method's labels for a population projected on some inputs. */
  public record ClusterResult(String method, Options options, List<String> features,
      org.glassbox.api.clustering.Clusters clusters) {}

  /**
   * One method's scores on successive checkpoints of the model (seed 003's learning progress).
   *
   * @param steps the training step of each checkpoint
   * @param scores [checkpoint][feature]
   */
  public record LearningProgress(String neuron, String method, long[] steps, List<String> features, double[][] scores) {}

  /**
   * A model the built-in trainer made: the ONNX file written with the results, the losses per epoch,
   * and the networks exported every {@code checkpoint_every} steps.
   */
  public record Training(RunSpec.TrainSpec spec, int inputs, long parameters, byte[] onnx,
      List<org.glassbox.engine.train.Trainer.Epoch> history, int bestEpoch, List<Checkpoint> checkpoints) {}

  /** A checkpoint: the step, and the ONNX model at that step. */
  public record Checkpoint(long step, int epoch, byte[] onnx) {}

  /**
   * @param auc the neuron's AUC against the labels (large = signal-like after the direction), NaN without labels
   */
  public record NeuronResult(Neuron neuron, double auc, List<MethodResult> methods, ComparisonResult comparison) {
    public NeuronResult withMethods(List<MethodResult> m) {
      return new NeuronResult(neuron, auc, m, comparison);
    }
  }

  /**
   * @param profiles for methods with per-event values over the inputs: the mean value against the input's
   *     value, for the leading inputs (seed 004's profile plots)
   * @param heatMaps for image inputs: the mean per-event value per pixel, signal and background apart
   * @param perEventParts per-event values of every event, written in parts inside the results folder
   *     (e.g. one per partition on a cluster), in event order; empty when the method kept none or they
   *     are all in the attribution's per-event array
   */
  public record MethodResult(String id, String version, Options options, String conventions, Attribution attribution,
      double[] inputScores, double seconds, List<Profile> profiles, HeatMaps heatMaps, List<ArrayPart> perEventParts) {
    public MethodResult {
      perEventParts = List.copyOf(perEventParts);
    }

    public MethodResult(String id, String version, Options options, String conventions, Attribution attribution,
        double[] inputScores, double seconds, List<Profile> profiles, HeatMaps heatMaps) {
      this(id, version, options, conventions, attribution, inputScores, seconds, profiles, heatMaps, List.of());
    }

    public MethodResult withPerEventParts(List<ArrayPart> parts) {
      return new MethodResult(id, version, options, conventions, attribution, inputScores, seconds, profiles, heatMaps, parts);
    }
  }

  /**
   * A part of a per-event array: an NPY file (path relative to the results folder) holding events
   * {@code [firstEvent, firstEvent + events)} on its axis 0.
   */
  public record ArrayPart(String file, long firstEvent, long events) {}

  /** Mean per-event attribution in quantile bins of one input: bin centres (mean input value), means, events per bin. */
  public record Profile(String feature, double[] x, double[] mean, long[] events) {}

  /** Mean per-event attribution per pixel (channels summed), for signal and for background events; row-major. */
  public record HeatMaps(int height, int width, double[] signal, double[] background) {}

  /**
   * Pairwise agreement of the methods' input rankings, and the faithfulness curves: the neuron's
   * AUC after permuting the first k inputs of each method's ranking across events.
   */
  public record ComparisonResult(List<String> methods, double[][] spearman, double[][] kendall, double[][] topKOverlap,
      int topK, int[] permutedCounts, Map<String, double[]> faithfulness, Map<String, Double> faithfulnessArea) {}
}
