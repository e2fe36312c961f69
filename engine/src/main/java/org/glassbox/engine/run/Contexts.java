package org.glassbox.engine.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.clustering.ClusteringContext;
import org.glassbox.api.maximization.MaximizationContext;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.api.surrogate.ClassifierTraining;
import org.glassbox.api.surrogate.SurrogateContext;

/** What the engine hands each SPI: plain values (record accessors implement the context interfaces). */
final class Contexts {
  private Contexts() {}

  record Attribution(ModelAccess model, Neuron neuron, EventData data, Options options, long seed, Progress progress)
      implements AttributionContext {}

  record Maximization(ModelAccess model, Neuron neuron, EventData data, Options options, long seed, Progress progress)
      implements MaximizationContext {}

  record Clustering(FloatTensor points, List<String> featureNames, Options options, long seed) implements ClusteringContext {}

  record Similarity(Map<String, double[]> functions, Optional<int[]> labels, double[] weights, Options options, long seed)
      implements SimilarityContext {}

  record Surrogate(ModelAccess model, Neuron neuron, EventData data, Map<String, double[]> observables, Options options,
      ClassifierTraining training, long seed, Progress progress) implements SurrogateContext {}
}
