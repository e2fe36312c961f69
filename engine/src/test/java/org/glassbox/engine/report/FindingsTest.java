package org.glassbox.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.engine.run.InputLayout;
import org.glassbox.engine.run.RunResult;
import org.junit.jupiter.api.Test;

/**
 * The summary sentences never claim an order that ties make up: tied scores are said as ties, a
 * method whose scores all tie (or are all 0) ranks nothing, a neuron no method sees respond has
 * nothing to attribute, inputs fed but not attributed are never named, and a constant function
 * resembles no observable.
 */
class FindingsTest {
  static final List<String> XYN = List.of("x", "y", "noise");

  static WeightedStats stats(double... means) {
    return new WeightedStats(means.clone(), new double[means.length], 1, 1);
  }

  static RunResult.MethodResult method(String id, List<String> features, double... scores) {
    return method(id, features, Map.of(), scores);
  }

  static RunResult.MethodResult method(String id, List<String> features, Map<String, WeightedStats> summary,
      double... scores) {
    Attribution a = Attribution.ofInputs(features, stats(scores), Optional.empty(), summary, "score");
    return new RunResult.MethodResult(id, "1", new Options(Map.of()), "", a, scores.clone(), 0, List.of(), null);
  }

  /** A neuron's result with the methods' comparison as the engine makes it (top-k overlap given, 1 elsewhere). */
  static RunResult.NeuronResult neuron(String label, double auc, double[][] overlap, Map<String, Double> area,
      RunResult.MethodResult... ms) {
    int k = ms.length;
    double[][] ones = new double[k][k];
    for (double[] row : ones) java.util.Arrays.fill(row, 1);
    List<String> ids = java.util.Arrays.stream(ms).map(RunResult.MethodResult::id).toList();
    Map<String, double[]> curves = new LinkedHashMap<>();
    area.keySet().forEach(m -> curves.put(m, new double[] {auc, 0.5}));
    var c = new RunResult.ComparisonResult(ids, ones, ones, overlap == null ? ones : overlap, 2, new int[] {0, 1}, curves,
        area);
    return new RunResult.NeuronResult(new Neuron(label, "t", 0, 1), auc, List.of(ms), c);
  }

  static RunResult.ModelResult model(RunResult.NeuronResult... n) {
    return new RunResult.ModelResult("product_sign", "product_sign.onnx", "0", "test", 17, List.of(n), null, List.of(),
        List.of());
  }

  static String sentence(RunResult.NeuronResult n) {
    return Findings.of(model(n), n);
  }

  @Test
  void aMethodWhoseScoresAllTieRanksNothing() {
    // examples/product-sign with lrp: {} (flat rule on a dense first layer): x 1.0, y 1.0, noise 1.0.
    String s = sentence(neuron("output", 1.0, null, Map.of(), method("gradient", XYN, 0.2, 0.3, 0.01),
        method("lrp", XYN, 1.0, 1.0, 1.0)));
    assertTrue(s.contains("gradient ranks y first (then x)"), s);
    assertTrue(s.contains("lrp gives every input the same score"), s);
    assertFalse(s.contains("lrp ranks"), s);
  }

  @Test
  void tiesAtTheTopAndInSecondPlaceAreSaidAsTies() {
    String s = sentence(neuron("output", 0.9, null, Map.of(), method("a", XYN, 0.5, 0.5, 0.1), method("b", XYN, 0.9, 0.2, 0.2),
        method("c", List.of("p", "q", "r", "s", "t"), 1, 1, 1, 1, 0.5)));
    assertTrue(s.contains("a ties x and y first"), s);
    assertTrue(s.contains("b ranks x first (then y and noise, tied)"), s);
    assertTrue(s.contains("c ties p, q, r and 1 more first"), s);
    // Equal up to float32 rounding is a tie; a real difference is not.
    String t = sentence(neuron("output", 0.9, null, Map.of(), method("d", XYN, 1.0, 1.0 - 1e-8, 0.3),
        method("e", XYN, 1.0, 0.999, 0.3)));
    assertTrue(t.contains("d ties x and y first"), t);
    assertTrue(t.contains("e ranks x first (then y)"), t);
  }

  @Test
  void allScoresZeroMeansNothingToAttribute() {
    String s = sentence(neuron("L2N3", 0.5, null, Map.of("gradient", 0.5, "lrp", 0.5), method("gradient", XYN, 0, 0, 0),
        method("lrp", XYN, 0, 0, 0)));
    assertEquals("L2N3 of product_sign (AUC 0.500): gradient and lrp score every input 0: L2N3 does not change with its"
        + " inputs on these events (a constant or dead neuron): nothing to attribute.", s);
    // One method at zero among others that rank: that method says so, the others rank.
    String t = sentence(neuron("output", 0.8, null, Map.of(), method("gradient", XYN, 0.3, 0.1, 0.2),
        method("lrp", XYN, 0, 0, 0)));
    assertTrue(t.contains("gradient ranks x first (then noise); lrp scores every input 0"), t);
  }

  /** Equal faithfulness areas (e.g. two inputs permuted in the same order) name no single method as fastest. */
  @Test
  void tiedFaithfulnessAreasAreNamedTogether() {
    double[][] overlap = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
    Map<String, Double> area = new LinkedHashMap<>();
    area.put("gradient", 0.5);
    area.put("taylor", 0.5);
    area.put("lrp", 0.6);
    String s = sentence(neuron("output", 1.0, overlap, area, method("gradient", XYN, 0.3, 0.2, 0.1),
        method("taylor", XYN, 0.5, 0.4, 0.0), method("lrp", XYN, 0.3, 0.2, 0.1)));
    assertTrue(s.contains("Permuting inputs in the order of gradient or taylor removes the separation (AUC towards 0.5)"
        + " equally fast, and fastest"), s);
    Map<String, Double> same = new LinkedHashMap<>();
    same.put("gradient", 0.5);
    same.put("taylor", 0.5);
    same.put("lrp", 0.5);
    String t = sentence(neuron("output", 1.0, overlap, same, method("gradient", XYN, 0.3, 0.2, 0.1),
        method("taylor", XYN, 0.5, 0.4, 0.0), method("lrp", XYN, 0.3, 0.2, 0.1)));
    assertTrue(t.contains("Permuting inputs in any method's order removes the separation equally fast"), t);
    assertFalse(t.contains("gradient's order"), t);
  }

  @Test
  void agreementAndFaithfulnessLeaveOutMethodsThatDoNotRank() {
    double[][] overlap = {{1, 1, 0.5}, {1, 1, 0.5}, {0.5, 0.5, 1}};
    Map<String, Double> area = new LinkedHashMap<>();
    area.put("gradient", 0.6);
    area.put("taylor", 0.62);
    area.put("lrp", 0.55);
    String s = sentence(neuron("output", 1.0, overlap, area, method("gradient", XYN, 0.2, 0.3, 0.01),
        method("taylor", XYN, 0.4, 0.5, 0.0), method("lrp", XYN, 1, 1, 1)));
    assertTrue(s.contains("The top 2 inputs of gradient and taylor overlap by at least 100%"), s);
    assertTrue(s.contains("Permuting inputs in gradient's order removes the separation"), s);
    assertFalse(s.contains("lrp's order"), s);
    // With every method ranking, the sentence is as before.
    String t = sentence(neuron("output", 1.0, overlap, Map.of("gradient", 0.6, "lrp", 0.55), method("gradient", XYN, 0.2,
        0.3, 0.01), method("taylor", XYN, 0.4, 0.5, 0.0), method("lrp", XYN, 0.3, 0.2, 0.1)));
    assertTrue(t.contains("The methods' top 2 inputs overlap by at least 50%"), t);
    assertTrue(t.contains("Permuting inputs in lrp's order"), t);
  }

  static final InputLayout LAYOUT = new InputLayout(List.of(
      new InputLayout.Input("points", "points", new long[] {2, 2}, List.of("particle", "feature"), List.of(), false),
      new InputLayout.Input("features", "features", new long[] {2, 2}, List.of("particle", "feature"), List.of("pt", "eta"),
          true),
      new InputLayout.Input("mask", "mask", new long[] {2, 1}, List.of("particle", "feature"), List.of(), false)));

  @Test
  void inputsFedButNotAttributedAreNeverNamed() {
    List<String> names = LAYOUT.featureNames();
    BitSet fixed = LAYOUT.fixed();
    // Fed inputs score 0; with every attributed input at 0 too, the lowest index would be a fed one.
    double[] zeros = new double[names.size()];
    RunResult.NeuronResult dead = neuron("L2N3", 0.5, null, Map.of(), method("gradient", names, zeros));
    String s = Findings.of(model(dead), dead, fixed);
    assertFalse(s.contains("points") || s.contains("mask"), s);
    assertTrue(s.contains("nothing to attribute"), s);
    // A ranking over the attributed inputs only: points and mask (0) would tie below them otherwise.
    double[] scores = new double[names.size()];
    scores[names.indexOf("features[1].eta")] = 0.4;
    scores[names.indexOf("features[0].pt")] = 0.1;
    RunResult.NeuronResult n = neuron("output", 0.9, null, Map.of(), method("gradient", names, scores));
    String t = Findings.of(model(n), n, fixed);
    assertTrue(t.contains("gradient ranks features[1].eta first (then features[0].pt)"), t);
    scores[names.indexOf("features[0].pt")] = 0;
    RunResult.NeuronResult one = neuron("output", 0.9, null, Map.of(), method("gradient", names, scores));
    String u = Findings.of(model(one), one, fixed);
    assertTrue(u.contains("gradient ranks features[1].eta first (then features[0].pt, features[0].eta and features[1].pt,"
        + " tied)"), u);
  }

  static RunResult run(Similarity s, RunResult.ModelResult m, InputLayout layout) {
    var data = new RunResult.DataSummary("d.npz", "0", 10, 0, layout == null ? XYN : layout.featureNames(), true, false, null, 0,
        0, layout);
    return new RunResult(null, Map.of(), data, List.of(m), List.of(),
        List.of(new RunResult.SimilarityResult("ado", new Options(Map.of()), s, 0)), List.of());
  }

  @Test
  void aConstantFunctionResemblesNothing() {
    // particlenet's L2N3 on examples/particle-tagger: ADO 0.5 with everything, itself included.
    List<String> names = List.of("product_sign", "efp_a", "efp_b");
    double[][] constant = {{0.5, 0.5, 0.5}, {0.5, 1, 0.97}, {0.5, 0.97, 1}};
    List<String> f = Findings.of(run(new Similarity("ado", names, constant, Map.of()), model(), null));
    assertEquals(List.of("ado: product_sign is constant on these events (ado 0.500 with every function, itself included):"
        + " it resembles none of them"), f);
    double[][] tied = {{1, 0.8, 0.8}, {0.8, 1, 1}, {0.8, 1, 1}};
    assertEquals(List.of("ado: product_sign resembles efp_a and efp_b most, equally (ado 0.800)"),
        Findings.of(run(new Similarity("ado", names, tied, Map.of()), model(), null)));
    double[][] plain = {{1, 0.8, 0.7}, {0.8, 1, 0.9}, {0.7, 0.9, 1}};
    assertEquals(List.of("ado: product_sign resembles efp_a most (ado 0.800)"),
        Findings.of(run(new Similarity("ado", names, plain, Map.of()), model(), null)));
    // Mutual information of a constant: 0 with everything, itself included.
    double[][] mi = {{0, 0, 0}, {0, 2.1, 0.4}, {0, 0.4, 1.9}};
    assertTrue(Findings.of(run(new Similarity("mutual information", names, mi, Map.of()), model(), null)).get(0)
        .contains("is constant on these events"));
  }

  @Test
  void notesAreSummaryEntriesNamedNoteWithTheShareOfEvents() {
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    summary.put("relative conservation gap", stats(0.3));
    summary.put("note: all of them", stats(1));
    summary.put("note: some of them", stats(0.25));
    summary.put("note: none of them", stats(0));
    RunResult.MethodResult mr = method("lrp", XYN, summary, 0.1, 0.2, 0.3);
    assertEquals(List.of("all of them", "some of them (on 25% of the events)"), Findings.notes(mr));
    List<String> numbers = new ArrayList<>();
    for (String k : mr.attribution().summary().keySet()) if (!Findings.isNote(k)) numbers.add(k);
    assertEquals(List.of("relative conservation gap"), numbers);
  }
}
