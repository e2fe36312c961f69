package org.glassbox.api.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.WeightedStats;

/**
 * An attribution: one importance score per feature (a weighted mean over events, with its
 * standard error), optional per-event values, and named scalar summaries. Higher scores rank
 * higher. Merges exactly from partial results.
 *
 * @param features names of the scored features (inputs, hidden neurons, or monomials such as x1*x2)
 * @param inputsOf for each feature, the indices of the model inputs it involves (for ranking inputs)
 * @param scores the per-feature statistics; the score is their mean
 * @param perEvent per-event values with the events on dimension 0, if the method keeps them
 * @param summary named scalar statistics (e.g. a conservation gap), also as weighted means
 * @param scoreName what the score is, for tables and plots (e.g. "mean |gradient|")
 */
public record Attribution(List<String> features, List<int[]> inputsOf, WeightedStats scores, Optional<FloatTensor> perEvent,
    Map<String, WeightedStats> summary, String scoreName) {

  public Attribution {
    features = List.copyOf(features);
    inputsOf = List.copyOf(inputsOf);
    // Insertion order kept: results.json must list the summary the same way in every JVM.
    summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
    if (scores.size() != features.size() || inputsOf.size() != features.size()) {
      throw new IllegalArgumentException("one score and one input list per feature");
    }
  }

  /** An attribution whose features are the model inputs themselves. */
  public static Attribution ofInputs(List<String> inputs, WeightedStats scores, Optional<FloatTensor> perEvent,
      Map<String, WeightedStats> summary, String scoreName) {
    List<int[]> own = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) own.add(new int[] {i});
    return new Attribution(inputs, own, scores, perEvent, summary, scoreName);
  }

  public double[] values() {
    return scores.mean();
  }

  public double[] errors() {
    return scores.standardError();
  }

  /** Combines the attribution of two disjoint sets of events. */
  public Attribution merge(Attribution other) {
    Map<String, WeightedStats> s = new LinkedHashMap<>(summary);
    other.summary.forEach((k, v) -> s.merge(k, v, WeightedStats::merge));
    Optional<FloatTensor> events = perEvent.isPresent() && other.perEvent.isPresent()
        ? Optional.of(FloatTensor.concat(List.of(perEvent.get(), other.perEvent.get())))
        : Optional.empty();
    return new Attribution(features, inputsOf, scores.merge(other.scores), events, s, scoreName);
  }
}
