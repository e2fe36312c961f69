package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.toys.ToyDataSet;
import org.glassbox.toys.ToyGenerators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jet analysis from YAML with every non-attribution part: a network trained in the run on jet
 * images, EFPs computed from the particles, the ADO matrix between the network and observables, and
 * seed 002's guided search. Numbers are checked against brute force on the toy's own columns.
 */
class JetSearchTest {
  static final Map<String, Object> TOY = Map.of("events", 1200, "seed", 5, "image_size", 8, "with_images", true);
  @TempDir static Path tmp;
  static JsonNode results;
  static Path out;

  @BeforeAll
  static void run() throws IOException {
    Path yaml = tmp.resolve("jets.yaml");
    Files.writeString(yaml, """
        name: jets
        seed: 3
        data: {generator: two-prong-jets, events: 1200, seed: 5, image_size: 8, with_images: true, features: [image],
               observables: [mass, pt, multiplicity]}
        models:
          - {name: tagger, train: {hidden: [16], epochs: 3}}
        neurons: [output]
        observables:
          efp: {max_degree: 2, kappa: [1], beta: [1]}
        similarity:
          ado: {functions: [tagger, mass, pt, multiplicity]}
        surrogates:
          guided-search: {start: [mass], candidates: [pt, multiplicity, efp_d2_k1_b1_g2], passes: 2, epochs: 2, hidden: [8],
                          strategies: [black-box, truth, brute-force]}
        """);
    out = tmp.resolve("out");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.execute(new String[] {"run", yaml.toString(), "--out", out.toString(), "--quiet"}, new PrintWriter(o),
        new PrintWriter(e));
    assertEquals(0, code, e.toString());
    results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
  }

  /** The toy's events after the trained network's share (train_fraction 0.5): what the run analysed. */
  static ToyDataSet toy() {
    return ToyGenerators.generate("two-prong-jets", TOY);
  }

  /** Oriented ADO by brute force over all signal x background pairs, ties 1/2 (METHODS.md §7). */
  static double ado(double[] f, double[] g, int[] labels) {
    double sum = 0;
    double pairs = 0;
    for (int s = 0; s < labels.length; s++) {
      if (labels[s] != 1) continue;
      for (int b = 0; b < labels.length; b++) {
        if (labels[b] != 0) continue;
        double a = Math.signum(f[s] - f[b]) * Math.signum(g[s] - g[b]);
        sum += a > 0 ? 1 : a < 0 ? 0 : 0.5;
        pairs++;
      }
    }
    double v = sum / pairs;
    return Math.max(v, 1 - v);
  }

  static double auc(double[] f, int[] labels) {
    double sum = 0;
    double pairs = 0;
    for (int s = 0; s < labels.length; s++) {
      if (labels[s] != 1) continue;
      for (int b = 0; b < labels.length; b++) {
        if (labels[b] != 0) continue;
        sum += f[s] > f[b] ? 1 : f[s] == f[b] ? 0.5 : 0;
        pairs++;
      }
    }
    return sum / pairs;
  }

  static double[] secondHalf(float[] column) {
    int n = column.length;
    double[] d = new double[n - n / 2];
    for (int e = n / 2; e < n; e++) d[e - n / 2] = column[e];
    return d;
  }

  @Test
  void trainsOnTheFirstHalfAndAnalysesTheSecond() {
    assertEquals(600, results.get("data").get("training_events").asInt());
    assertEquals(600, results.get("data").get("events").asInt());
  }

  @Test
  void adoMatrixAndAucEqualBruteForceOnTheAnalysedEvents() {
    ToyDataSet t = toy();
    int[] all = t.labels();
    int[] labels = java.util.Arrays.copyOfRange(all, 600, 1200);
    Map<String, double[]> f = Map.of("mass", secondHalf(t.column("mass")), "pt", secondHalf(t.column("pt")),
        "multiplicity", secondHalf(t.column("multiplicity")));
    JsonNode sim = results.get("similarity").get(0);
    List<String> names = new ArrayList<>();
    sim.get("functions").forEach(n -> names.add(n.asText()));
    assertEquals(List.of("tagger", "mass", "pt", "multiplicity"), names);
    for (String a : f.keySet()) {
      for (String b : f.keySet()) {
        double got = sim.get("matrix").get(names.indexOf(a)).get(names.indexOf(b)).asDouble();
        assertEquals(ado(f.get(a), f.get(b), labels), got, 1e-12, a + " vs " + b);
      }
      double rawAuc = sim.get("per_function").get(a).get("auc_raw").asDouble();
      assertEquals(auc(f.get(a), labels), rawAuc, 1e-12, a);
    }
  }

  @Test
  void theSavedNetworkScoresTheAnalysedEventsAsReported() throws IOException {
    ToyDataSet t = toy();
    float[] images = t.images().orElseThrow().data();
    int pixels = 64;
    float[] x = java.util.Arrays.copyOfRange(images, 600 * pixels, 1200 * pixels);
    double[] p;
    try (OnnxModel m = OnnxModel.load(out.resolve("models/tagger.onnx"), ExecutionOptions.defaults())) {
      float[] z = m.evaluate(FloatTensor.of(x, 600, 1, 8, 8), List.of("p_signal")).get(0).data();
      p = new double[z.length];
      for (int e = 0; e < z.length; e++) p[e] = z[e];
    }
    int[] labels = java.util.Arrays.copyOfRange(t.labels(), 600, 1200);
    double neuronAuc = results.get("models").get(0).get("neurons").get(0).get("auc").asDouble();
    assertEquals(auc(p, labels), neuronAuc, 1e-9);
    // The similarity's tagger column is the same network on the same events.
    JsonNode sim = results.get("similarity").get(0);
    assertEquals(auc(p, labels), sim.get("per_function").get("tagger").get("auc_raw").asDouble(), 1e-9);
  }

  @Test
  void guidedSearchPicksCandidatesAndCountsItsTrainings() {
    JsonNode s = results.get("surrogates").get(0);
    assertEquals("tagger", s.get("model").asText());
    Set<String> candidates = new HashSet<>(List.of("pt", "multiplicity", "efp_d2_k1_b1_g2"));
    int bruteForceTrainings = 0;
    int lastPass = 0;
    for (JsonNode row : s.get("table")) {
      int pass = row.get("pass").asInt();
      if (pass > 0) assertTrue(candidates.contains(row.get("chosen").asText()), row.toString());
      if (row.get("strategy").asText().equals("brute-force")) {
        bruteForceTrainings = row.get("trainings").asInt();
        lastPass = pass;
      }
    }
    // Brute force trains DNN(HL) once, then one network per remaining candidate in each pass: 1 + 3 + 2 after two passes.
    assertTrue(lastPass >= 1, "brute force ran no pass");
    int expected = 1;
    for (int p = 1; p <= lastPass; p++) expected += 3 - (p - 1);
    assertEquals(expected, bruteForceTrainings);
    assertTrue(s.get("formula").asText().startsWith("DNN(mass"), s.get("formula").asText());
    // EFPs are described in the report.
    boolean described = false;
    for (JsonNode o : results.get("observables")) described |= o.get("name").asText().equals("efp_d2_k1_b1_g2")
        && !o.get("description").asText().isEmpty();
    assertTrue(described);
    assertTrue(Files.exists(out.resolve("plots/surrogate__guided-search__tagger.png")));
  }
}
