package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.Progress;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.testing.FiniteDifferences;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped example's model and events (examples/product-sign) and checks results.json against
 * computations that share nothing with the engine's derivative code: finite differences of the
 * model run in float64, a brute-force AUC over all signal/background pairs, and the CSV parsed by
 * hand.
 */
class AnalysisEndToEndTest {
  static final Path EXAMPLE = Path.of("..", "examples", "product-sign");
  @TempDir static Path tmp;
  static Path out;
  static JsonNode results;
  static double[][] x;
  static int[] labels;
  static double[] weights;

  /**
   * The example's model and events with the methods on this module's test class path (gradient and
   * lrp; the other plugins test against the engine, so they cannot be its test dependencies). The
   * CLI's tests run the example's own analysis file with every method.
   */
  static Path example() throws IOException {
    Path dir = tmp.resolve("example");
    if (Files.isDirectory(dir)) return dir.resolve("analysis.yaml");
    Files.createDirectories(dir);
    for (String f : List.of("product_sign.onnx", "product_sign.csv")) Files.copy(EXAMPLE.resolve(f), dir.resolve(f));
    Files.writeString(dir.resolve("analysis.yaml"), """
        name: product-sign
        seed: 1
        model: product_sign.onnx
        data: {file: product_sign.csv, features: [x, y, noise], label: label, weight: weight}
        neurons: [output, L1N0]
        methods:
          gradient: {}
          gradient-x-input: {per_event: true}
          lrp: {composite: epsilon-gamma-box, low: -1, high: 1}
        compare: {top_k: 2}
        """);
    return dir.resolve("analysis.yaml");
  }

  @BeforeAll
  static void run() throws IOException {
    Analysis analysis = new Analysis(List.of());
    RunSpec spec = analysis.validate(example()).withOutput(tmp.resolve("out"));
    out = analysis.run(spec, false, Progress.NONE, f -> { }).folder();
    results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    List<String> lines = Files.readAllLines(EXAMPLE.resolve("product_sign.csv"));
    int n = lines.size() - 1;
    x = new double[n][3];
    labels = new int[n];
    weights = new double[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      for (int j = 0; j < 3; j++) x[i][j] = Double.parseDouble(f[j]);
      labels[i] = Integer.parseInt(f[3]);
      weights[i] = Double.parseDouble(f[4]);
    }
  }

  static JsonNode neuron(String label) {
    for (JsonNode n : results.get("models").get(0).get("neurons")) if (n.get("neuron").asText().equals(label)) return n;
    throw new AssertionError("no neuron " + label);
  }

  static JsonNode method(JsonNode neuron, String id) {
    for (JsonNode m : neuron.get("methods")) if (m.get("id").asText().equals(id)) return m;
    throw new AssertionError("no method " + id);
  }

  @Test
  void gradientScoresAreWeightedMeanAbsoluteFiniteDifferences() {
    try (OnnxModel m = OnnxModel.load(EXAMPLE.resolve("product_sign.onnx"), ExecutionOptions.defaults());
        FiniteDifferences fd = FiniteDifferences.inDouble(m.proto())) {
      int n = x.length;
      double[] flat = new double[n * 3];
      for (int i = 0; i < n; i++) System.arraycopy(x[i], 0, flat, i * 3, 3);
      double[] jac = fd.jacobian(flat, n, 1e-6);
      double[] expected = new double[3];
      double wsum = 0;
      for (int i = 0; i < n; i++) {
        wsum += weights[i];
        for (int j = 0; j < 3; j++) expected[j] += weights[i] * Math.abs(jac[i * 3 + j]);
      }
      JsonNode scores = method(neuron("output"), "gradient").get("scores");
      for (int j = 0; j < 3; j++) assertEquals(expected[j] / wsum, scores.get(j).asDouble(), 1e-4 * Math.abs(expected[j] / wsum) + 1e-6);
    }
  }

  @Test
  void theNoiseInputRanksLastForEveryMethod() {
    for (JsonNode m : neuron("output").get("methods")) {
      JsonNode s = m.get("scores");
      assertTrue(s.get(2).asDouble() < s.get(0).asDouble() && s.get(2).asDouble() < s.get(1).asDouble(), m.get("id").asText());
    }
  }

  @Test
  void aucMatchesBruteForceOverAllPairs() {
    try (OnnxModel m = OnnxModel.load(EXAMPLE.resolve("product_sign.onnx"), ExecutionOptions.defaults());
        FiniteDifferences fd = FiniteDifferences.inDouble(m.proto())) {
      int n = x.length;
      double[] flat = new double[n * 3];
      for (int i = 0; i < n; i++) System.arraycopy(x[i], 0, flat, i * 3, 3);
      double[] p = fd.run(flat, n);
      double good = 0;
      double all = 0;
      for (int s = 0; s < n; s++) {
        if (labels[s] != 1) continue;
        for (int b = 0; b < n; b++) {
          if (labels[b] != 0) continue;
          double w = weights[s] * weights[b];
          all += w;
          good += w * (p[s] > p[b] ? 1 : p[s] == p[b] ? 0.5 : 0);
        }
      }
      assertEquals(good / all, neuron("output").get("auc").asDouble(), 2e-4);
      JsonNode curve = neuron("output").get("comparison").get("faithfulness").get("auc").get("gradient");
      assertEquals(neuron("output").get("auc").asDouble(), curve.get(0).asDouble(), 1e-12, "nothing permuted: the AUC itself");
      assertTrue(curve.get(curve.size() - 1).asDouble() < 0.65, "all inputs permuted: close to chance");
    }
  }

  @Test
  void perEventArrayIsInputTimesGradient() throws IOException {
    JsonNode m = method(neuron("output"), "gradient-x-input");
    Npy.Array a = Npy.read(out.resolve(m.get("per_event").asText()));
    assertArrayEquals(new long[] {x.length, 3}, a.shape());
    double sumAbs = 0;
    for (double v : a.values()) sumAbs += Math.abs(v);
    assertTrue(sumAbs > 0);
    // The weighted mean of |per-event values| is the reported score.
    double[] mean = new double[3];
    double wsum = 0;
    for (int i = 0; i < x.length; i++) {
      wsum += weights[i];
      for (int j = 0; j < 3; j++) mean[j] += weights[i] * Math.abs(a.values()[i * 3 + j]);
    }
    for (int j = 0; j < 3; j++) assertEquals(mean[j] / wsum, m.get("scores").get(j).asDouble(), 1e-9);
  }

  @Test
  void rankAgreementIsOneOnTheDiagonal() {
    JsonNode c = neuron("L1N0").get("comparison");
    for (String k : List.of("spearman", "kendall_tau_b", "top_k_overlap")) {
      for (int i = 0; i < 2; i++) assertEquals(1.0, c.get(k).get(i).get(i).asDouble(), 1e-12, k);
    }
  }

  @Test
  void sameAnalysisAndSeedGiveTheSameResultsJson() throws IOException {
    Analysis analysis = new Analysis(List.of());
    RunSpec spec = analysis.validate(example()).withOutput(tmp.resolve("again"));
    Path again = analysis.run(spec, false, Progress.NONE, f -> { }).folder();
    assertEquals(Files.readString(out.resolve("results.json")), Files.readString(again.resolve("results.json")));
  }

  @Test
  void reportShowsEveryMethodAndItsPlots() throws IOException {
    Document html = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
    String text = html.text();
    assertTrue(text.contains("gradient ranks") && text.contains("first"), text);
    for (var img : html.select("img")) assertTrue(Files.exists(out.resolve(img.attr("src"))), img.attr("src"));
    assertTrue(html.select("img").size() >= 5);
    assertTrue(Files.exists(out.resolve("plots").resolve(html.select("img").get(0).attr("src").replace("plots/", "")
        .replace(".png", ".svg"))));
    try (var s = Files.list(tmp)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".partial-")), "no partial folders left");
    }
  }
}
