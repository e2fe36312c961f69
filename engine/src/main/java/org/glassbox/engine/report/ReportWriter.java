package org.glassbox.engine.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.data.Npy;
import org.glassbox.engine.run.RunResult;

/** Writes a run's results into an {@link OutputFolder}: arrays, tables, plots, results.json, index.html. */
public final class ReportWriter {

  /** Writes everything and returns the relative paths of the per-event arrays. */
  public void write(RunResult r, OutputFolder out) {
    try {
      Map<String, String> arrays = new LinkedHashMap<>();
      Map<String, String> plots = new LinkedHashMap<>();
      for (RunResult.ModelResult m : r.models()) {
        if (m.training() != null) training(out, m, plots);
        for (RunResult.NeuronResult n : m.neurons()) {
          for (RunResult.MethodResult mr : n.methods()) {
            String stem = Names.stem(m.name(), n.neuron().label(), mr.id());
            if (mr.attribution().perEvent().isPresent()) {
              String rel = "arrays/" + stem + ".npy";
              FloatTensor t = mr.attribution().perEvent().get();
              try (OutputStream os = Files.newOutputStream(out.file(rel))) {
                Npy.write(os, t.data(), t.shape());
              }
              arrays.put(stem, rel);
            }
            table(out, "tables/" + stem + ".csv", mr);
            int[] order = HtmlReport.order(mr.attribution().values());
            Plots.ranking(out.file("plots/" + stem + ".png").resolveSibling(stem), m.name() + " " + n.neuron().label() + ": "
                + mr.id(), mr.attribution().scoreName(), mr.attribution().features(), mr.attribution().values(),
                mr.attribution().errors(), order);
            plots.put(stem, "plots/" + stem + ".png");
            for (int k = 0; k < mr.profiles().size(); k++) {
              RunResult.Profile p = mr.profiles().get(k);
              String ps = stem + "__profile" + (k + 1);
              Plots.profile(out.file("plots/" + ps + ".png").resolveSibling(ps), m.name() + " " + n.neuron().label() + ": "
                  + mr.id() + " against " + p.feature(), p.feature(), p.x(), p.mean());
              plots.put(ps, "plots/" + ps + ".png");
            }
            if (mr.heatMaps() != null) {
              RunResult.HeatMaps hm = mr.heatMaps();
              for (String cls : new String[] {"signal", "background"}) {
                String hs = stem + "__map_" + cls;
                Plots.heatMap(out.file("plots/" + hs + ".png").resolveSibling(hs), m.name() + " " + n.neuron().label() + ": mean "
                    + mr.id() + ", " + cls, hm.height(), hm.width(), cls.equals("signal") ? hm.signal() : hm.background());
                plots.put(hs, "plots/" + hs + ".png");
              }
            }
          }
          RunResult.ComparisonResult c = n.comparison();
          String stem = Names.stem(m.name(), n.neuron().label(), null);
          comparisonTable(out, "tables/" + stem + "__agreement.csv", c);
          if (!c.faithfulness().isEmpty()) {
            Plots.faithfulness(out.file("plots/" + stem + "__faithfulness.png").resolveSibling(stem + "__faithfulness"),
                m.name() + " " + n.neuron().label() + ": faithfulness", c.permutedCounts(), c.faithfulness());
            plots.put(stem + "__faithfulness", "plots/" + stem + "__faithfulness.png");
          }
        }
      }
      for (RunResult.ModelResult m : r.models()) {
        for (RunResult.LearningProgress lp : m.progress()) learningProgress(out, m, lp, plots);
      }
      for (RunResult.ModelResult m : r.models()) {
        for (RunResult.PopulationResult pr : m.populations()) population(out, m, pr, arrays, plots);
      }
      for (RunResult.SimilarityResult sr : r.similarity()) similarity(out, sr);
      for (RunResult.SurrogateResult sr : r.surrogates()) surrogate(out, sr, plots);
      try (OutputStream os = Files.newOutputStream(out.file("results.json"))) {
        JsonResults.write(r, arrays, os);
      }
      Files.writeString(out.file("index.html"), HtmlReport.render(r, plots), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GlassboxException("Cannot write results into " + out.partialPath() + ": " + e.getMessage(), e);
    }
  }

  /** A trained model's ONNX file (and checkpoints), its loss table and loss plot. */
  private static void training(OutputFolder out, RunResult.ModelResult m, Map<String, String> plots) throws IOException {
    RunResult.Training t = m.training();
    Files.write(out.file(m.file()), t.onnx());
    for (RunResult.Checkpoint c : t.checkpoints()) Files.write(out.file(checkpointFile(m, c)), c.onnx());
    String stem = Names.stem(m.name(), "training", null);
    int n = t.history().size();
    double[] epochs = new double[n];
    double[] train = new double[n];
    double[] validation = new double[n];
    try (Writer w = Files.newBufferedWriter(out.file("tables/" + stem + ".csv"), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("epoch", "training_loss", "validation_loss")
            .build())) {
      for (int i = 0; i < n; i++) {
        var e = t.history().get(i);
        epochs[i] = e.epoch();
        train[i] = e.trainingLoss();
        validation[i] = e.validationLoss();
        csv.printRecord(e.epoch(), e.trainingLoss(), e.validationLoss());
      }
    }
    boolean held = n > 0 && !Double.isNaN(validation[0]);
    Plots.training(out.file("plots/" + stem + ".png").resolveSibling(stem), m.name() + ": training (kept epoch "
        + t.bestEpoch() + ")", epochs, train, held ? validation : null);
    plots.put(stem, "plots/" + stem + ".png");
  }

  /** The scores per checkpoint as a table (step, one column per feature), and the leading features against the step. */
  private static void learningProgress(OutputFolder out, RunResult.ModelResult m, RunResult.LearningProgress lp,
      Map<String, String> plots) throws IOException {
    String stem = Names.stem(m.name(), lp.neuron(), lp.method()) + "__progress";
    List<String> header = new java.util.ArrayList<>();
    header.add("step");
    header.addAll(lp.features());
    try (Writer w = Files.newBufferedWriter(out.file("tables/" + stem + ".csv"), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
      for (int c = 0; c < lp.steps().length; c++) {
        List<Object> row = new java.util.ArrayList<>();
        row.add(lp.steps()[c]);
        for (double v : lp.scores()[c]) row.add(v);
        csv.printRecord(row);
      }
    }
    int last = lp.steps().length - 1;
    int[] order = HtmlReport.order(lp.scores()[last]);
    int shown = Math.min(6, order.length);
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (int i = 0; i < shown; i++) {
      double[] y = new double[lp.steps().length];
      for (int c = 0; c < y.length; c++) y[c] = lp.scores()[c][order[i]];
      curves.put(lp.features().get(order[i]), y);
    }
    double[] steps = new double[lp.steps().length];
    for (int c = 0; c < steps.length; c++) steps[c] = lp.steps()[c];
    Plots.progress(out.file("plots/" + stem + ".png").resolveSibling(stem), m.name() + " " + lp.neuron() + ": " + lp.method()
        + " during training", steps, curves);
    plots.put(stem, "plots/" + stem + ".png");
  }

  static String populationStem(RunResult.ModelResult m, RunResult.PopulationResult pr) {
    return Names.stem(m.name(), pr.neuron(), pr.method()) + "__population";
  }

  /** A population as NPY and CSV, histograms of its projection inputs, a 2-D map, and a scatter per clustering. */
  private static void population(OutputFolder out, RunResult.ModelResult m, RunResult.PopulationResult pr,
      Map<String, String> arrays, Map<String, String> plots) throws IOException {
    var pop = pr.population();
    String stem = populationStem(m, pr);
    String rel = "arrays/" + stem + ".npy";
    try (OutputStream os = Files.newOutputStream(out.file(rel))) {
      Npy.write(os, pop.points().data(), new long[] {pop.points().events(), pop.features().size()});
    }
    arrays.put(stem, rel);
    List<String> header = new java.util.ArrayList<>(pop.features());
    header.add("value");
    header.add("on_boundary");
    int f = pop.features().size();
    int n = pop.points().events();
    try (Writer w = Files.newBufferedWriter(out.file("tables/" + stem + ".csv"), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
      for (int p = 0; p < n; p++) {
        List<Object> row = new java.util.ArrayList<>();
        for (int j = 0; j < f; j++) row.add(pop.points().data()[p * f + j]);
        row.add(pop.values()[p]);
        row.add(pop.onBoundary()[p]);
        csv.printRecord(row);
      }
    }
    if (n == 0) return;
    int[] cols = new int[pr.projection().size()];
    for (int k = 0; k < cols.length; k++) cols[k] = pop.features().indexOf(pr.projection().get(k));
    for (int k = 0; k < cols.length; k++) {
      if (cols[k] < 0) return;
      double[] v = new double[n];
      for (int p = 0; p < n; p++) v[p] = pop.points().data()[p * f + cols[k]];
      String hs = stem + "__hist" + (k + 1);
      Plots.histogram(out.file("plots/" + hs + ".png").resolveSibling(hs), m.name() + " " + pr.neuron() + ": " + pr.method()
          + " population", pr.projection().get(k), v);
      plots.put(hs, "plots/" + hs + ".png");
    }
    List<List<String>> pairs = new java.util.ArrayList<>();
    if (pr.projection().size() == 2) pairs.add(pr.projection());
    if (pr.dependentPair().size() == 2 && !new java.util.HashSet<>(pr.dependentPair()).equals(new java.util.HashSet<>(
        pr.projection()))) {
      pairs.add(pr.dependentPair());
    }
    for (int q = 0; q < pairs.size(); q++) {
      int a = pop.features().indexOf(pairs.get(q).get(0));
      int b = pop.features().indexOf(pairs.get(q).get(1));
      String hs = stem + "__hist2d" + (q + 1);
      Plots.histogram2d(out.file("plots/" + hs + ".png").resolveSibling(hs), m.name() + " " + pr.neuron() + ": " + pr.method()
          + (q == 0 ? " population" : " population, most dependent pair"), pairs.get(q).get(0), pairs.get(q).get(1),
          column(pop.points().data(), f, a), column(pop.points().data(), f, b));
      plots.put(hs, "plots/" + hs + ".png");
    }
    if (cols.length == 2) {
      double[] x = new double[n];
      double[] y = new double[n];
      for (int p = 0; p < n; p++) {
        x[p] = pop.points().data()[p * f + cols[0]];
        y[p] = pop.points().data()[p * f + cols[1]];
      }
      for (RunResult.ClusterResult c : pr.clusters()) {
        String cs = stem + "__" + Names.safe(c.method());
        Plots.clusters(out.file("plots/" + cs + ".png").resolveSibling(cs), m.name() + " " + pr.neuron() + ": " + c.method()
            + " on the " + pr.method() + " population", pr.projection().get(0), pr.projection().get(1), x, y,
            c.clusters().labels());
        plots.put(cs, "plots/" + cs + ".png");
      }
    }
  }

  private static double[] column(float[] data, int f, int j) {
    double[] c = new double[data.length / f];
    for (int p = 0; p < c.length; p++) c[p] = data[p * f + j];
    return c;
  }

  /** The similarity matrix (first column: the function) and the per-function values. */
  private static void similarity(OutputFolder out, RunResult.SimilarityResult sr) throws IOException {
    var s = sr.similarity();
    List<String> header = new java.util.ArrayList<>();
    header.add("function");
    header.addAll(s.names());
    try (Writer w = Files.newBufferedWriter(out.file("tables/similarity__" + Names.safe(sr.id()) + ".csv"), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
      for (int i = 0; i < s.names().size(); i++) {
        List<Object> row = new java.util.ArrayList<>();
        row.add(s.names().get(i));
        for (double v : s.matrix()[i]) row.add(v);
        csv.printRecord(row);
      }
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    s.perFunction().values().forEach(m -> keys.addAll(m.keySet()));
    if (keys.isEmpty()) return;
    List<String> cols = new java.util.ArrayList<>();
    cols.add("function");
    cols.addAll(keys);
    try (Writer w = Files.newBufferedWriter(out.file("tables/similarity__" + Names.safe(sr.id()) + "__per_function.csv"),
        StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(cols.toArray(String[]::new)).build())) {
      for (String n : s.names()) {
        List<Object> row = new java.util.ArrayList<>();
        row.add(n);
        for (String k : keys) row.add(s.perFunction().getOrDefault(n, Map.of()).get(k));
        csv.printRecord(row);
      }
    }
  }

  /** A surrogate's table (one row per step) and, when it has passes, its numeric columns against the pass. */
  private static void surrogate(OutputFolder out, RunResult.SurrogateResult sr, Map<String, String> plots) throws IOException {
    var s = sr.surrogate();
    String stem = "surrogate__" + Names.safe(sr.id()) + "__" + Names.safe(sr.model());
    java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
    s.table().forEach(row -> cols.addAll(row.keySet()));
    if (cols.isEmpty()) return;
    try (Writer w = Files.newBufferedWriter(out.file("tables/" + stem + ".csv"), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(cols.toArray(String[]::new)).build())) {
      for (Map<String, Object> row : s.table()) {
        List<Object> values = new java.util.ArrayList<>();
        for (String c : cols) values.add(row.get(c));
        csv.printRecord(values);
      }
    }
    if (!cols.contains("pass")) return;
    // One curve per (strategy, measure): the AUC and ADO columns of seed 002's figure when present.
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    List<String> measures = cols.stream().filter(c -> c.startsWith("dnn_")).toList();
    for (Map<String, Object> row : s.table()) {
      String strategy = String.valueOf(row.getOrDefault("strategy", ""));
      if (!(row.get("pass") instanceof Number pass)) continue;
      for (String m : measures) {
        if (row.get(m) instanceof Number v) {
          curves.computeIfAbsent((strategy.isEmpty() ? "" : strategy + ": ") + m, k -> new java.util.ArrayList<>())
              .add(new double[] {pass.doubleValue(), v.doubleValue()});
        }
      }
    }
    if (curves.isEmpty()) return;
    Plots.passes(out.file("plots/" + stem + ".png").resolveSibling(stem), sr.model() + ": " + sr.id(), curves);
    plots.put(stem, "plots/" + stem + ".png");
  }

  static String checkpointFile(RunResult.ModelResult m, RunResult.Checkpoint c) {
    return "models/" + m.name() + "__step" + c.step() + ".onnx";
  }

  private static void table(OutputFolder out, String rel, RunResult.MethodResult mr) throws IOException {
    int[] order = HtmlReport.order(mr.attribution().values());
    try (Writer w = Files.newBufferedWriter(out.file(rel), StandardCharsets.UTF_8);
        CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("rank", "feature", "score", "standard_error").build())) {
      for (int i = 0; i < order.length; i++) {
        int f = order[i];
        p.printRecord(i + 1, mr.attribution().features().get(f), mr.attribution().values()[f], mr.attribution().errors()[f]);
      }
    }
  }

  private static void comparisonTable(OutputFolder out, String rel, RunResult.ComparisonResult c) throws IOException {
    try (Writer w = Files.newBufferedWriter(out.file(rel), StandardCharsets.UTF_8);
        CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
            .setHeader("method_a", "method_b", "spearman", "kendall_tau_b", "top_k_overlap", "faithfulness_area_a").build())) {
      for (int i = 0; i < c.methods().size(); i++) {
        for (int j = 0; j < c.methods().size(); j++) {
          p.printRecord(c.methods().get(i), c.methods().get(j), c.spearman()[i][j], c.kendall()[i][j], c.topKOverlap()[i][j],
              c.faithfulnessArea().getOrDefault(c.methods().get(i), Double.NaN));
        }
      }
    }
  }
}
