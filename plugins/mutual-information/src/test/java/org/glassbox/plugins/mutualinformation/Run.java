package org.glassbox.plugins.mutualinformation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;

/** Runs the method on functions held in memory, with its defaults overridden by {@code options}. */
final class Run {
  private Run() {}

  static Similarity compare(Map<String, double[]> functions, double[] weights, Map<String, Object> options, long seed) {
    MutualInformationMethod method = new MutualInformationMethod();
    Map<String, Object> values = new LinkedHashMap<>(Options.defaults(method.options()).asMap());
    for (var e : options.entrySet()) {
      if (!values.containsKey(e.getKey())) throw new IllegalArgumentException("no option " + e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    Options opts = new Options(values);
    Map<String, double[]> ordered = new LinkedHashMap<>(functions);
    return method.compare(new SimilarityContext() {
      @Override
      public Map<String, double[]> functions() {
        return ordered;
      }

      @Override
      public Optional<int[]> labels() {
        return Optional.empty();
      }

      @Override
      public double[] weights() {
        return weights;
      }

      @Override
      public Options options() {
        return opts;
      }

      @Override
      public long seed() {
        return seed;
      }
    });
  }

  static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1);
    return w;
  }

  /** The matrix entry between two named functions. */
  static double entry(Similarity s, String a, String b) {
    return s.matrix()[s.names().indexOf(a)][s.names().indexOf(b)];
  }
}
