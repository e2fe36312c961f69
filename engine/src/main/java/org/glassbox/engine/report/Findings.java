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
      for (RunResult.NeuronResult n : m.neurons()) out.add(of(m, n));
    }
    return out;
  }

  /** One sentence a physicist can check: what ranks first by each method, and whether they agree. */
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
