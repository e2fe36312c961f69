package org.glassbox.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.engine.run.RunResult;

/** What the methods found, in sentences a physicist can check: the report opens with them and the CLI prints them. */
public final class Findings {
  private Findings() {}

  /** One sentence per model and neuron; with toy data, the toy's known truth first. */
  public static List<String> of(RunResult r) {
    List<String> out = new ArrayList<>();
    if (r.data().truth() != null) out.add("The toy data's truth: " + r.data().truth());
    for (RunResult.ModelResult m : r.models()) {
      for (RunResult.NeuronResult n : m.neurons()) {
        if (!n.methods().isEmpty()) out.add(of(m, n));
      }
    }
    for (RunResult.ModelResult m : r.models()) {
      for (RunResult.PopulationResult pr : m.populations()) {
        var pop = pr.population();
        int boundary = 0;
        for (boolean b : pop.onBoundary()) if (b) boundary++;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s of %s %s: %d of %d starts reached the threshold"
            + " (%d on the boundary)", pr.neuron(), m.name(), pr.method(), pop.points().events(), pop.starts(), boundary));
        for (RunResult.ClusterResult c : pr.clusters()) {
          b.append(String.format(Locale.ROOT, "; %s finds %d clusters in (%s)", c.method(), c.clusters().count(),
              String.join(", ", c.features())));
        }
        out.add(b.append('.').toString());
      }
    }
    for (RunResult.SimilarityResult sr : r.similarity()) out.addAll(similarity(r, sr));
    for (RunResult.SurrogateResult sr : r.surrogates()) {
      var s = sr.surrogate();
      StringBuilder b = new StringBuilder(sr.id()).append(" imitates ").append(sr.model()).append(" ").append(sr.neuron())
          .append(" with ").append(s.formula());
      // The headline measures when the method reports them (seed 002's and seed 000's), else every one.
      List<String> headline = List.of("correlation", "linear_correlation", "ado_with_black_box", "auc", "black_box_auc",
          "neuron_auc");
      boolean known = headline.stream().anyMatch(s.fidelity()::containsKey);
      for (String key : known ? headline : new ArrayList<>(new java.util.TreeMap<>(s.fidelity()).keySet())) {
        Double v = s.fidelity().get(key);
        if (v != null) b.append(String.format(Locale.ROOT, "; %s %.3f", key, v));
      }
      out.add(b.append('.').toString());
    }
    return out;
  }

  /** One sentence a physicist can check: what ranks first by each method, and whether they agree. */
  /** For each model or neuron among the functions: the observable or column it resembles most. */
  private static List<String> similarity(RunResult r, RunResult.SimilarityResult sr) {
    List<String> out = new ArrayList<>();
    var s = sr.similarity();
    java.util.function.Predicate<String> network = name -> r.models().stream()
        .anyMatch(m -> name.equals(m.name()) || name.startsWith(m.name() + ":"));
    for (int i = 0; i < s.names().size(); i++) {
      if (!network.test(s.names().get(i))) continue;
      int best = -1;
      for (int j = 0; j < s.names().size(); j++) {
        if (network.test(s.names().get(j)) || !Double.isFinite(s.matrix()[i][j])) continue;
        if (best < 0 || s.matrix()[i][j] > s.matrix()[i][best]) best = j;
      }
      if (best < 0) continue;
      out.add(String.format(Locale.ROOT, "%s: %s resembles %s most (%s %.3f)", sr.id(), s.names().get(i), s.names().get(best),
          s.measure(), s.matrix()[i][best]));
    }
    return out;
  }

  static String of(RunResult.ModelResult m, RunResult.NeuronResult n) {
    StringBuilder s = new StringBuilder();
    s.append(n.neuron().label()).append(" of ").append(m.name());
    if (Double.isFinite(n.auc())) s.append(String.format(Locale.ROOT, " (AUC %.3f)", n.auc()));
    s.append(": ");
    List<RunResult.MethodResult> ms = n.methods();
    for (int i = 0; i < ms.size(); i++) {
      RunResult.MethodResult mr = ms.get(i);
      int[] order = HtmlReport.order(mr.attribution().values());
      s.append(i == 0 ? "" : "; ").append(mr.id()).append(" ranks ").append(mr.attribution().features().get(order[0])).append(" first");
      if (order.length > 1) s.append(" (then ").append(mr.attribution().features().get(order[1])).append(")");
    }
    RunResult.ComparisonResult c = n.comparison();
    if (ms.size() > 1) {
      double min = 1;
      for (double[] row : c.topKOverlap()) for (double v : row) if (Double.isFinite(v)) min = Math.min(min, v);
      s.append(String.format(Locale.ROOT, ". The methods' top %d inputs overlap by at least %.0f%%",
          Math.min(c.topK(), ms.get(0).inputScores().length), 100 * min));
    }
    if (!c.faithfulnessArea().isEmpty()) {
      String best = null;
      for (var e : c.faithfulnessArea().entrySet()) if (best == null || e.getValue() < c.faithfulnessArea().get(best)) best = e.getKey();
      s.append(". Permuting inputs in ").append(best).append("'s order removes the separation (AUC towards 0.5) fastest");
    }
    return s.append('.').toString();
  }

}
