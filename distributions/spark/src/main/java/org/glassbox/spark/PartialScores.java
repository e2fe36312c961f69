package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;

/**
 * The mergeable attribution results of some events, as plain serialisable arrays: for each neuron
 * and method an {@link Attribution} without per-event values. Converted back to the API's types to
 * merge, so the merge is exactly {@link Attribution#merge} (sums and counts).
 *
 * @param attributions [neuron][method]
 * @param events how many events these results cover
 */
record PartialScores(Stats[][] attributions, long events) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An {@link Attribution} without its per-event values. */
  record Stats(ArrayList<String> features, int[][] inputsOf, Sums scores, LinkedHashMap<String, Sums> summary, String scoreName)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    static Stats of(Attribution a) {
      LinkedHashMap<String, Sums> s = new LinkedHashMap<>();
      a.summary().forEach((k, v) -> s.put(k, Sums.of(v)));
      return new Stats(new ArrayList<>(a.features()), a.inputsOf().toArray(int[][]::new), Sums.of(a.scores()), s, a.scoreName());
    }

    Attribution attribution() {
      Map<String, WeightedStats> s = new LinkedHashMap<>();
      summary.forEach((k, v) -> s.put(k, v.stats()));
      return new Attribution(features, List.of(inputsOf), scores.stats(), Optional.empty(), s, scoreName);
    }
  }

  /** {@link WeightedStats}: Σw·v, Σw·v², Σw, Σw². */
  record Sums(double[] sum, double[] sumSquares, double weight, double weightSquares) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Sums of(WeightedStats w) {
      return new Sums(w.sum(), w.sumSquares(), w.weight(), w.weightSquares());
    }

    WeightedStats stats() {
      return new WeightedStats(sum, sumSquares, weight, weightSquares);
    }
  }

  static PartialScores of(Attribution[][] a, long events) {
    Stats[][] s = new Stats[a.length][];
    for (int i = 0; i < a.length; i++) {
      s[i] = new Stats[a[i].length];
      for (int m = 0; m < a[i].length; m++) s[i][m] = Stats.of(a[i][m]);
    }
    return new PartialScores(s, events);
  }

  Attribution[][] toAttributions() {
    Attribution[][] a = new Attribution[attributions.length][];
    for (int i = 0; i < a.length; i++) {
      a[i] = new Attribution[attributions[i].length];
      for (int m = 0; m < a[i].length; m++) a[i][m] = attributions[i][m].attribution();
    }
    return a;
  }

  /** The results of this set of events and a disjoint other one (either may be null: no events). */
  static PartialScores merge(PartialScores a, PartialScores b) {
    if (a == null) return b;
    if (b == null) return a;
    Attribution[][] x = a.toAttributions();
    Attribution[][] y = b.toAttributions();
    for (int i = 0; i < x.length; i++) for (int m = 0; m < x[i].length; m++) x[i][m] = x[i][m].merge(y[i][m]);
    return of(x, a.events + b.events);
  }
}
