package org.glassbox.engine.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glassbox.engine.run.RunResult;
import org.owasp.encoder.Encode;

/** index.html: the methods side by side. Every text from data, models or plugins is escaped. */
final class HtmlReport {
  private static final int TABLE_ROWS = 15;

  private HtmlReport() {}

  static String render(RunResult r, Map<String, String> plots) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Glassbox — ")
        .append(e(r.spec().name())).append("</title>\n<style>")
        .append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%}")
        .append("th{background:#f0f0f0}.num{text-align:right;font-family:monospace}.finding{background:#eef6ee;padding:0.6em 1em;")
        .append("border-left:4px solid #4a4}img{max-width:100%}.grid{display:flex;flex-wrap:wrap;gap:1em}")
        .append(".grid>div{flex:1 1 500px}.note{background:#fff6e0;border-left:4px solid #c90;padding:0.4em 1em 0.4em 2em}")
        .append("</style></head><body>\n");
    h.append("<h1>Glassbox — ").append(e(r.spec().name())).append("</h1>\n");
    h.append("<h2>What the methods found</h2>\n<div class=\"finding\"><ul>\n");
    for (String f : Findings.of(r)) h.append("<li>").append(e(f)).append("</li>\n");
    h.append("</ul></div>\n");
    RunResult.DataSummary d = r.data();
    h.append("<p>Data: ").append(e(Names.dataName(d.file()))).append(", ").append(d.events())
        .append(" events").append(d.streamedEvents() > 0 ? " (the first chunk; method scores and AUCs cover all "
        + d.streamedEvents() + " streamed events)" : "").append(d.trainingEvents() > 0 ? " (after the " + d.trainingEvents()
        + " events the networks were trained on)" : "").append(d.dropped() > 0 ? ", " + d.dropped() + " dropped for NaN/Inf" : "").append(", ")
        .append(featureCount(d)).append(d.weighted() ? ", weighted" : "")
        .append(d.labelled() ? ", labelled" : ", no labels (no AUC or faithfulness check)").append(".</p>\n");
    for (RunResult.ModelResult m : r.models()) {
      if (m.training() != null) training(h, m, plots);
      learningProgress(h, m, plots);
      for (RunResult.PopulationResult pr : m.populations()) population(h, m, pr, plots);
      for (RunResult.NeuronResult n : m.neurons()) neuron(h, m, n, plots, r.data().layout());
    }
    for (RunResult.SimilarityResult sr : r.similarity()) similarity(h, sr);
    for (RunResult.SurrogateResult sr : r.surrogates()) surrogate(h, sr, plots);
    if (!r.observables().isEmpty()) {
      h.append("<h2>Computed observables</h2>\n<table><tr><th>column</th><th>provider</th><th>what it is</th></tr>");
      for (RunResult.ObservableColumn c : r.observables()) {
        h.append("<tr><td><code>").append(e(c.name())).append("</code></td><td>").append(e(c.provider())).append("</td><td>")
            .append(e(c.description())).append("</td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Provenance</h2>\n<table>");
    for (var p : r.provenance().entrySet()) {
      h.append("<tr><th>").append(e(p.getKey())).append("</th><td>").append(e(String.valueOf(p.getValue()))).append("</td></tr>");
    }
    for (RunResult.ModelResult m : r.models()) {
      h.append("<tr><th>model ").append(e(m.name())).append("</th><td>").append(e(m.producer())).append(", opset ")
          .append(m.opset()).append(", sha256 ").append(e(m.sha256())).append("</td></tr>");
    }
    h.append("<tr><th>data sha256</th><td>").append(e(d.sha256())).append("</td></tr></table>\n");
    h.append("<p>Every number is in <a href=\"results.json\">results.json</a>; tables are in <code>tables/</code>, ")
        .append("per-event arrays in <code>arrays/</code>, plots in <code>plots/</code> (PNG and SVG).</p>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void neuron(StringBuilder h, RunResult.ModelResult m, RunResult.NeuronResult n, Map<String, String> plots,
      org.glassbox.engine.run.InputLayout layout) {
    String stem = Names.stem(m.name(), n.neuron().label(), null);
    h.append("<h2>").append(e(m.name())).append(" — ").append(e(n.neuron().label())).append("</h2>\n<p>Tensor <code>")
        .append(e(n.neuron().tensor())).append("</code>[").append(n.neuron().index()).append("], signal-like when ")
        .append(n.neuron().direction() > 0 ? "high" : "low");
    if (Double.isFinite(n.auc())) h.append(String.format(Locale.ROOT, "; AUC %.4f", n.auc()));
    h.append(".</p>\n<h3>Rankings side by side</h3>\n<table><tr><th>rank</th>");
    for (RunResult.MethodResult mr : n.methods()) {
      h.append("<th colspan=\"2\">").append(e(mr.id())).append("<br><small>").append(e(mr.attribution().scoreName()))
          .append("</small></th>");
    }
    h.append("</tr>\n");
    // Inputs fed as they are (differentiable: false) score 0 and are not attributed: not listed.
    java.util.BitSet fixed = layout == null ? new java.util.BitSet() : layout.fixed();
    List<int[]> orders = n.methods().stream().map(mr -> Findings.Ranking.of(mr, fixed).order()).toList();
    int rows = 0;
    for (int[] o : orders) rows = Math.max(rows, Math.min(TABLE_ROWS, o.length));
    for (int r = 0; r < rows; r++) {
      h.append("<tr><td class=\"num\">").append(r + 1).append("</td>");
      for (int k = 0; k < n.methods().size(); k++) {
        RunResult.MethodResult mr = n.methods().get(k);
        int[] order = orders.get(k);
        if (r < order.length) {
          int f = order[r];
          h.append("<td>").append(e(mr.attribution().features().get(f))).append("</td><td class=\"num\">")
              .append(e(fmt(mr.attribution().values()[f]))).append(" ± ").append(e(fmt(mr.attribution().errors()[f]))).append("</td>");
        } else {
          h.append("<td></td><td></td>");
        }
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    notes(h, n, fixed);
    if (layout != null) groups(h, n, layout);
    diagnostics(h, n);
    h.append("<div class=\"grid\">");
    for (RunResult.MethodResult mr : n.methods()) {
      String p = plots.get(Names.stem(m.name(), n.neuron().label(), mr.id()));
      if (p != null) h.append("<div><img src=\"").append(Encode.forHtmlAttribute(p)).append("\" alt=\"").append(e(mr.id())).append("\"></div>");
    }
    h.append("</div>\n");
    boolean any = n.methods().stream().anyMatch(mr -> !mr.profiles().isEmpty() || mr.heatMaps() != null);
    if (any) {
      h.append("<h3>Per-event values: profiles and maps</h3>\n<p>For methods that keep per-event values: their mean in 20")
          .append(" quantile bins of each leading input (profile), and for image inputs their mean per pixel over signal and")
          .append(" over background events (red positive, blue negative).</p>\n<div class=\"grid\">");
      String base = Names.stem(m.name(), n.neuron().label(), null);
      for (RunResult.MethodResult mr : n.methods()) {
        String ms = Names.stem(m.name(), n.neuron().label(), mr.id());
        for (String suffix : new String[] {"__profile1", "__profile2", "__profile3", "__map_signal", "__map_background"}) {
          String p = plots.get(ms + suffix);
          if (p != null) h.append("<div><img src=\"").append(Encode.forHtmlAttribute(p)).append("\" alt=\"").append(e(mr.id()))
              .append(e(suffix.replace("__", " "))).append("\"></div>");
        }
      }
      h.append("</div>\n");
    }
    RunResult.ComparisonResult c = n.comparison();
    if (c.methods().size() > 1) {
      h.append("<h3>Agreement of the input rankings</h3>\n");
      matrix(h, "Spearman ρ", c.methods(), c.spearman());
      matrix(h, "Kendall τ-b", c.methods(), c.kendall());
      // A method that scores every input the same has no top k: its row and column say so ("–").
      double[][] overlap = c.topKOverlap();
      List<String> unordered = unordered(n, fixed);
      if (!unordered.isEmpty() && overlap.length == c.methods().size()) {
        overlap = new double[overlap.length][];
        for (int i = 0; i < overlap.length; i++) {
          overlap[i] = c.topKOverlap()[i].clone();
          for (int j = 0; j < overlap.length; j++) {
            if (unordered.contains(c.methods().get(i)) || unordered.contains(c.methods().get(j))) overlap[i][j] = Double.NaN;
          }
        }
      }
      matrix(h, "top-" + c.topK() + " overlap", c.methods(), overlap);
      if (!unordered.isEmpty()) {
        h.append("<p>– : ").append(e(String.join(", ", unordered))).append(" gives every input the same score, so it orders"
            + " no inputs.</p>\n");
      }
    }
    if (!c.faithfulness().isEmpty()) {
      h.append("<h3>Faithfulness</h3>\n<p>AUC of the neuron after permuting (across events) the inputs in each method's order, ")
          .append("most important first; a smaller area means the ranking found what the neuron uses.</p>\n<table><tr><th>method</th>")
          .append("<th>area under the curve</th></tr>");
      List<String> unordered = unordered(n, fixed);
      for (var a : c.faithfulnessArea().entrySet()) {
        h.append("<tr><td>").append(e(a.getKey())).append("</td><td class=\"num\">").append(unordered.contains(a.getKey())
            ? "– (no order: inputs permuted as listed)" : e(fmt(a.getValue()))).append("</td></tr>");
      }
      h.append("</table>\n");
      String p = plots.get(stem + "__faithfulness");
      if (p != null) h.append("<img src=\"").append(Encode.forHtmlAttribute(p)).append("\" alt=\"faithfulness\">\n");
    }
  }

  /**
   * "3 features", or with inputs that are fed but not attributed: "96 input values, 48 attributed
   * (points, mask fed as they are)".
   */
  static String featureCount(RunResult.DataSummary d) {
    int all = d.features().size();
    if (d.layout() == null || d.layout().fixed().isEmpty()) return all + " features";
    List<String> fed = d.layout().inputs().stream().filter(i -> !i.differentiable()).map(i -> i.name()).toList();
    return all + " input values, " + (all - d.layout().fixed().cardinality()) + " attributed (" + String.join(", ", fed)
        + " fed as they are)";
  }

  /**
   * Under the rankings: the methods' own notes (e.g. LRP's flat rule on a dense first layer), and
   * which methods' scores tie, whose order in the table is then the input order, not a ranking.
   */
  private static void notes(StringBuilder h, RunResult.NeuronResult n, java.util.BitSet fixed) {
    List<String> lines = new java.util.ArrayList<>();
    for (RunResult.MethodResult mr : n.methods()) {
      Findings.Ranking r = Findings.Ranking.of(mr, fixed);
      if (r.allZero()) {
        lines.add(mr.id() + " scores every " + r.unit() + " 0: its column is in input order, not a ranking.");
      } else if (r.flat()) {
        lines.add(mr.id() + " gives every " + r.unit() + " the same score: its column is in input order, not a ranking.");
      } else if (r.tiedFrom(0) > 1) {
        lines.add(mr.id() + " ties its first " + r.tiedFrom(0) + " " + r.unit() + "s: their order is the input order.");
      }
      for (String note : Findings.notes(mr)) lines.add(mr.id() + ": " + note + ".");
    }
    if (lines.isEmpty()) return;
    h.append("<ul class=\"note\">\n");
    for (String l : lines) h.append("<li>").append(e(l)).append("</li>\n");
    h.append("</ul>\n");
  }

  /** Entries shown per method in the diagnostics table; the rest are in results.json. */
  private static final int SUMMARY_ROWS = 12;

  /**
   * The methods' summary diagnostics (LRP's conservation, integrated gradients' completeness, ...),
   * and for LRP what its conservation gap means.
   */
  private static void diagnostics(StringBuilder h, RunResult.NeuronResult n) {
    StringBuilder rows = new StringBuilder();
    for (RunResult.MethodResult mr : n.methods()) {
      List<Map.Entry<String, org.glassbox.api.WeightedStats>> entries = mr.attribution().summary().entrySet().stream()
          .filter(x -> !Findings.isNote(x.getKey()) && !(CONSERVATION.contains(x.getKey()) && conserves(mr))).toList();
      for (int i = 0; i < Math.min(SUMMARY_ROWS, entries.size()); i++) {
        rows.append("<tr><td>").append(e(mr.id())).append("</td><td>").append(e(entries.get(i).getKey()))
            .append("</td><td class=\"num\">").append(e(fmtWhole(entries.get(i).getValue().mean()[0]))).append("</td></tr>\n");
      }
      if (entries.size() > SUMMARY_ROWS) {
        rows.append("<tr><td>").append(e(mr.id())).append("</td><td colspan=\"2\">").append(entries.size() - SUMMARY_ROWS)
            .append(" more in results.json</td></tr>\n");
      }
    }
    if (rows.length() > 0) {
      h.append("<h3>Method diagnostics</h3>\n<p>Each method's own checks, as weighted means over the events.</p>\n<table>")
          .append("<tr><th>method</th><th>quantity</th><th>mean</th></tr>\n").append(rows).append("</table>\n");
    }
    for (RunResult.MethodResult mr : n.methods()) conservation(h, mr);
  }

  /** LRP's conservation summary, shown in its own table ({@link #conservation}). */
  private static final List<String> CONSERVATION = List.of("start relevance R_start", "input relevance (sum R)",
      "conservation gap (sum R - R_start)", "relative conservation gap");

  private static boolean conserves(RunResult.MethodResult mr) {
    Map<String, org.glassbox.api.WeightedStats> s = mr.attribution().summary();
    return s.containsKey(CONSERVATION.get(0)) && s.containsKey(CONSERVATION.get(2)) && s.containsKey(CONSERVATION.get(3));
  }

  /**
   * LRP's conservation check, when the method reports it: the relevance it started with, what
   * reached the inputs, the gap and the relative gap, and what they mean.
   */
  private static void conservation(StringBuilder h, RunResult.MethodResult mr) {
    if (!conserves(mr)) return;
    Map<String, org.glassbox.api.WeightedStats> s = mr.attribution().summary();
    var start = s.get(CONSERVATION.get(0));
    var sum = s.get(CONSERVATION.get(1));
    var gap = s.get(CONSERVATION.get(2));
    var relative = s.get(CONSERVATION.get(3));
    // The weighted mean is linear: mean(Σ R) = mean(R_start) + mean(gap), should a method not list Σ R.
    double total = sum != null ? sum.mean()[0] : start.mean()[0] + gap.mean()[0];
    h.append("<h3>").append(e(mr.id())).append(": relevance conservation</h3>\n<table><tr><th>start relevance R_start")
        .append("</th><th>input relevance Σ R</th><th>gap Σ R − R_start</th><th>relative gap |gap / R_start|</th></tr>\n<tr>")
        .append("<td class=\"num\">").append(e(fmt(start.mean()[0]))).append("</td><td class=\"num\">").append(e(fmt(total)))
        .append("</td><td class=\"num\">").append(e(fmt(gap.mean()[0]))).append("</td><td class=\"num\">")
        .append(e(fmt(relative.mean()[0]))).append("</td></tr></table>\n<p>Means over the events. LRP redistributes the")
        .append(" relevance R_start of the neuron layer by layer down to the inputs; a large gap means that biases and")
        .append(" stabilisers (ε) absorbed or added relevance on the way, so the inputs' relevances do not add up to the")
        .append(" neuron's value. Exact conservation is expected only for LRP-0 on bias-free ReLU networks.</p>\n");
  }

  /** Each method's input scores summed per model input, and per entry of each axis of an input (particle slot, feature). */
  private static void groups(StringBuilder h, RunResult.NeuronResult n, org.glassbox.engine.run.InputLayout layout) {
    List<RunResult.MethodResult> methods = n.methods().stream().filter(mr -> mr.inputScores().length == layout.size()).toList();
    if (methods.isEmpty()) return;
    List<Map<String, Map<String, Double>>> all = methods.stream().map(mr -> layout.groups(mr.inputScores())).toList();
    h.append("<h3>By input tensor, slot and feature</h3>\n<p>Each method's input scores summed over the values of a model")
        .append(" input, and over all but one axis of it. Inputs fed as they are (not differentiable) are not attributed.</p>\n");
    for (String group : all.get(0).keySet()) {
      h.append("<table><tr><th>").append(e(group)).append("</th>");
      for (RunResult.MethodResult mr : methods) h.append("<th>").append(e(mr.id())).append("</th>");
      h.append("</tr>");
      for (String entry : all.get(0).get(group).keySet()) {
        h.append("<tr><td>").append(e(entry)).append("</td>");
        for (var g : all) h.append("<td class=\"num\">").append(e(fmt(g.get(group).get(entry)))).append("</td>");
        h.append("</tr>");
      }
      h.append("</table>\n");
    }
  }

  /** The methods that give every attributed input the same score: they rank nothing. */
  private static List<String> unordered(RunResult.NeuronResult n, java.util.BitSet fixed) {
    return n.methods().stream().filter(mr -> Findings.Ranking.of(mr, fixed).flat()).map(RunResult.MethodResult::id).toList();
  }

  private static void matrix(StringBuilder h, String title, List<String> names, double[][] m) {
    h.append("<table><tr><th>").append(e(title)).append("</th>");
    for (String n : names) h.append("<th>").append(e(n)).append("</th>");
    h.append("</tr>");
    for (int i = 0; i < names.size(); i++) {
      h.append("<tr><th>").append(e(names.get(i))).append("</th>");
      for (int j = 0; j < names.size(); j++) h.append("<td class=\"num\">").append(e(fmt(m[i][j]))).append("</td>");
      h.append("</tr>");
    }
    h.append("</table>\n");
  }

  private static void population(StringBuilder h, RunResult.ModelResult m, RunResult.PopulationResult pr,
      Map<String, String> plots) {
    var pop = pr.population();
    int boundary = 0;
    for (boolean b : pop.onBoundary()) if (b) boundary++;
    h.append("<h2>").append(e(m.name())).append(" — ").append(e(pr.neuron())).append(": ").append(e(pr.method()))
        .append(" population</h2>\n<p>").append(pop.points().events()).append(" of ").append(pop.starts())
        .append(" starts reached the threshold; ").append(boundary).append(" of them on the input box's boundary. Shown on ")
        .append(e(String.join(", ", pr.projection()))).append(".</p>\n<div class=\"grid\">");
    String stem = Names.stem(m.name(), pr.neuron(), pr.method()) + "__population";
    for (String suffix : new String[] {"__hist1", "__hist2", "__hist2d1", "__hist2d2"}) {
      String p = plots.get(stem + suffix);
      if (p != null) h.append("<div><img src=\"").append(e(p)).append("\" alt=\"histogram\"></div>");
    }
    for (RunResult.ClusterResult c : pr.clusters()) {
      String p = plots.get(stem + "__" + Names.safe(c.method()));
      if (p != null) h.append("<div><img src=\"").append(e(p)).append("\" alt=\"").append(e(c.method())).append("\"></div>");
    }
    h.append("</div>\n");
    for (RunResult.ClusterResult c : pr.clusters()) {
      h.append("<p>").append(e(c.method())).append(": ").append(c.clusters().count()).append(" clusters in (")
          .append(e(String.join(", ", c.features()))).append(").</p>\n");
    }
  }

  private static void similarity(StringBuilder h, RunResult.SimilarityResult sr) {
    var s = sr.similarity();
    h.append("<h2>Similarity: ").append(e(sr.id())).append(" (").append(e(s.measure())).append(")</h2>\n");
    matrix(h, s.measure(), s.names(), s.matrix());
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    s.perFunction().values().forEach(m -> keys.addAll(m.keySet()));
    if (!keys.isEmpty()) {
      h.append("<table><tr><th>function</th>");
      for (String k : keys) h.append("<th>").append(e(k)).append("</th>");
      h.append("</tr>");
      // A column of whole numbers (counts, bins) prints them whole; any other column keeps four decimals.
      java.util.Set<String> whole = new java.util.HashSet<>();
      for (String k : keys) {
        boolean all = true;
        for (String n : s.names()) {
          Double v = s.perFunction().getOrDefault(n, Map.of()).get(k);
          all &= v == null || fmtWhole(v).indexOf('.') < 0 && Double.isFinite(v);
        }
        if (all) whole.add(k);
      }
      for (String n : s.names()) {
        h.append("<tr><th>").append(e(n)).append("</th>");
        for (String k : keys) {
          Double v = s.perFunction().getOrDefault(n, Map.of()).get(k);
          h.append("<td class=\"num\">").append(v == null ? "" : e(whole.contains(k) ? fmtWhole(v) : fmt(v))).append("</td>");
        }
        h.append("</tr>");
      }
      h.append("</table>\n");
    }
  }

  private static void surrogate(StringBuilder h, RunResult.SurrogateResult sr, Map<String, String> plots) {
    var s = sr.surrogate();
    h.append("<h2>Surrogate: ").append(e(sr.id())).append(" for ").append(e(sr.model())).append(" — ")
        .append(e(sr.neuron())).append("</h2>\n<p><code>").append(e(s.formula())).append("</code></p>\n<p>");
    for (var f : new java.util.TreeMap<>(s.fidelity()).entrySet()) {
      h.append(e(f.getKey())).append(" ").append(e(fmtWhole(f.getValue()))).append("; ");
    }
    h.append("</p>\n");
    java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
    s.table().forEach(row -> cols.addAll(JsonResults.ordered(row).keySet()));
    if (!cols.isEmpty()) {
      h.append("<table><tr>");
      for (String c : cols) h.append("<th>").append(e(c)).append("</th>");
      h.append("</tr>");
      for (Map<String, Object> row : s.table()) {
        h.append("<tr>");
        for (String c : cols) {
          Object v = row.get(c);
          h.append(v instanceof Number num ? "<td class=\"num\">" + e(fmt(num)) : "<td>" + e(v == null ? "" : String.valueOf(v)))
              .append("</td>");
        }
        h.append("</tr>");
      }
      h.append("</table>\n");
    }
    String plot = plots.get("surrogate__" + Names.safe(sr.id()) + "__" + Names.safe(sr.model()));
    if (plot != null) h.append("<img src=\"").append(e(plot)).append("\" alt=\"").append(e(sr.id())).append(" per pass\">\n");
  }

  private static void training(StringBuilder h, RunResult.ModelResult m, Map<String, String> plots) {
    RunResult.Training t = m.training();
    h.append("<h2>").append(e(m.name())).append(" — trained by Glassbox</h2>\n<p>")
        .append(t.spec().conv().isEmpty() ? "MLP " : "CNN ").append(t.inputs()).append(" inputs");
    for (var b : t.spec().conv()) h.append(" → conv ").append(b.channels()).append("×").append(b.kernel()).append(" + max-pool");
    for (int w : t.spec().hidden()) h.append(" → ").append(w);
    h.append(" → 1 (").append(e(t.spec().activation().yamlName())).append(", sigmoid output; ").append(t.parameters())
        .append(" parameters), Adam at ").append(fmt(t.spec().options().learningRate())).append(", batches of ")
        .append(t.spec().options().batchSize()).append("; kept epoch ").append(t.bestEpoch()).append(" of ")
        .append(t.history().size()).append(". The model is <a href=\"").append(e(m.file())).append("\">")
        .append(e(m.file())).append("</a>.</p>\n");
    String plot = plots.get(Names.stem(m.name(), "training", null));
    if (plot != null) h.append("<img src=\"").append(e(plot)).append("\" alt=\"training loss\">\n");
  }

  private static void learningProgress(StringBuilder h, RunResult.ModelResult m, Map<String, String> plots) {
    if (!m.progress().isEmpty()) {
      h.append("<h3>").append(e(m.name())).append(" — learning progress</h3>\n<p>Each method's scores on the network's")
          .append(" checkpoints (seed 003): which features the network learned first, and when. Tables:")
          .append(" <code>tables/*__progress.csv</code>.</p>\n<div class=\"grid\">");
      for (RunResult.LearningProgress lp : m.progress()) {
        String p = plots.get(Names.stem(m.name(), lp.neuron(), lp.method()) + "__progress");
        if (p != null) h.append("<div><img src=\"").append(e(p)).append("\" alt=\"").append(e(lp.method()))
            .append(" during training\"></div>");
      }
      h.append("</div>\n");
    }
  }

  static int[] order(double[] v) {
    return java.util.stream.IntStream.range(0, v.length).boxed()
        .sorted(java.util.Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }

  /** A table cell: integers (pass, trainings) as they are, other numbers as {@link #fmt(double)}. */
  static String fmt(Number v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return String.valueOf(v.longValue());
    return fmt(v.doubleValue());
  }

  /** A count or other whole number (bins: 16, trainings: 4) without decimals; anything else as {@link #fmt(double)}. */
  static String fmtWhole(double v) {
    if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) >= 1 && Math.abs(v) < 1e15) return Long.toString((long) v);
    return fmt(v);
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) return "–";
    return String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 || v == 0 ? "%.4f" : "%.3e", v);
  }

  private static String e(String s) {
    return Encode.forHtml(s);
  }
}
