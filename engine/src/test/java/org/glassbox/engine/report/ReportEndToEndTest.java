package org.glassbox.engine.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.RunSpec;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped examples as a new user runs them, through the report: examples/product-sign with
 * {@code lrp: {}} (the default epsilon-plus-flat composite, whose flat rule meets the MLP's dense
 * first layer), and examples/particle-tagger on a dead neuron. Only the gradient and LRP plugins are
 * on this module's test class path.
 */
class ReportEndToEndTest {
  static final Path PRODUCT_SIGN = Path.of("..", "examples", "product-sign");
  static final Path TAGGER = Path.of("..", "examples", "particle-tagger");
  static final String ANALYSIS = """
      name: product-sign
      seed: 1
      model: product_sign.onnx
      data: {file: product_sign.csv, features: [x, y, noise], label: label, weight: weight}
      neurons: [output, L1N0]
      methods:
        gradient: {}
        lrp: %s
      compare: {top_k: 2}
      """;
  static final List<String> LRP_SUMMARY = List.of("start relevance R_start", "input relevance (sum R)",
      "conservation gap (sum R - R_start)", "relative conservation gap");

  @TempDir static Path tmp;
  static Analysis.Outcome outcome;
  static JsonNode results;

  static Path productSign(String name, String lrpOptions) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    for (String f : List.of("product_sign.onnx", "product_sign.csv")) Files.copy(PRODUCT_SIGN.resolve(f), dir.resolve(f));
    Files.writeString(dir.resolve("analysis.yaml"), ANALYSIS.formatted(lrpOptions));
    return dir.resolve("analysis.yaml");
  }

  static Analysis.Outcome run(Path yaml, Path out) {
    Analysis analysis = new Analysis(List.of());
    RunSpec spec = analysis.validate(yaml).withOutput(out);
    return analysis.run(spec, false, Progress.NONE, f -> { });
  }

  @BeforeAll
  static void runDefaultLrp() throws IOException {
    outcome = run(productSign("default", "{}"), tmp.resolve("out"));
    results = new ObjectMapper().readTree(outcome.folder().resolve("results.json").toFile());
  }

  static List<JsonNode> lrpMethods() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : results.get("models").get(0).get("neurons")) {
      for (JsonNode m : n.get("methods")) if (m.get("id").asText().equals("lrp")) out.add(m);
    }
    return out;
  }

  @Test
  void theSummaryClaimsNoRankingWhenLrpScoresEveryInputTheSame() {
    List<String> findings = outcome.findings();
    assertEquals(2, findings.stream().filter(f -> f.contains("lrp gives every input the same score")).count(),
        String.join("\n", findings));
    assertTrue(findings.stream().noneMatch(f -> f.contains("lrp ranks")), String.join("\n", findings));
    // The gradient still ranks, and agreement is not claimed with a method that does not rank.
    assertTrue(findings.get(0).contains("gradient ranks"), findings.get(0));
    assertFalse(findings.get(0).contains("overlap"), findings.get(0));
  }

  @Test
  void resultsJsonCarriesTheFlatRuleNoteAndTheConservationInOneOrder() {
    assertEquals(2, lrpMethods().size());
    for (JsonNode m : lrpMethods()) {
      assertEquals("epsilon-plus-flat", m.get("options").get("composite").asText(), "the default stays");
      JsonNode s = m.get("scores");
      assertEquals(s.get(0).asDouble(), s.get(1).asDouble(), 1e-6);
      assertEquals(s.get(0).asDouble(), s.get(2).asDouble(), 1e-6);
      assertEquals(1, m.get("notes").size(), m.toString());
      assertTrue(m.get("notes").get(0).asText().startsWith("flat rule on the first (dense) layer: every input gets the same"
          + " relevance, so this ranking carries no information; use composite: epsilon or epsilon-gamma-box"), m.toString());
      List<String> keys = new ArrayList<>();
      m.get("summary").fieldNames().forEachRemaining(keys::add);
      assertEquals(LRP_SUMMARY, keys);
      JsonNode sum = m.get("summary");
      assertEquals(sum.get(LRP_SUMMARY.get(0)).asDouble() + sum.get(LRP_SUMMARY.get(2)).asDouble(),
          sum.get(LRP_SUMMARY.get(1)).asDouble(), 1e-6, "sums and gaps are float32 per event");
    }
  }

  @Test
  void theReportShowsTheNoteAndTheConservationCheck() throws IOException {
    Document html = Jsoup.parse(outcome.folder().resolve("index.html").toFile(), "UTF-8");
    List<String> notes = html.select("ul.note li").eachText();
    assertEquals(2, notes.stream().filter(t -> t.startsWith("lrp: flat rule on the first (dense) layer")).count(),
        String.join("\n", notes));
    assertEquals(2, notes.stream().filter(t -> t.startsWith("lrp gives every input the same score")).count(),
        String.join("\n", notes));
    List<Element> heads = html.select("h3:contains(lrp: relevance conservation)");
    assertEquals(2, heads.size());
    for (int k = 0; k < 2; k++) {
      JsonNode sum = lrpMethods().get(k).get("summary");
      Element table = heads.get(k).nextElementSibling();
      assertEquals("table", table.tagName());
      List<String> cells = table.select("td").eachText();
      List<String> want = LRP_SUMMARY.stream().map(key -> HtmlReport.fmt(sum.get(key).asDouble())).toList();
      assertEquals(want, cells);
      String meaning = table.nextElementSibling().text();
      assertTrue(meaning.contains("a large gap means that biases and stabilisers (ε) absorbed or added relevance")
          && meaning.contains("Exact conservation is expected only for LRP-0 on bias-free ReLU networks."), meaning);
    }
    // The other methods' diagnostics are listed too (the gradient's signed mean), LRP's once, in its own table.
    List<String> rows = html.select("h3:contains(Method diagnostics) + p + table tr").eachText();
    assertTrue(rows.stream().anyMatch(t -> t.startsWith("gradient signed mean")), rows.toString());
    assertTrue(rows.stream().noneMatch(t -> t.contains("conservation")), rows.toString());
    // The flat LRP orders nothing: its top-k overlap cells and its faithfulness area are "–", with the reason.
    assertTrue(html.select("p:contains(lrp gives every input the same score, so it orders no inputs)").size() >= 1, html.text());
    for (Element t : html.select("table:has(th:contains(overlap))")) {
      for (Element row : t.select("tr:has(th:matchesOwn(^lrp$))")) {
        assertTrue(row.select("td").eachText().stream().allMatch(c -> c.equals("–")), row.text());
      }
    }
    List<String> faith = html.select("h3:contains(Faithfulness) + p + table tr:has(td:matchesOwn(^lrp$)) td.num").eachText();
    assertTrue(!faith.isEmpty() && faith.stream().allMatch(c -> c.startsWith("– (no order")), faith.toString());
  }

  @Test
  void aLayerRuleForALayerTheModelLacksIsAnError() throws IOException {
    Path yaml = productSign("l7", "{layer_rules: ['L7: flat']}");
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(yaml, tmp.resolve("l7-out")));
    assertTrue(e.getMessage().contains("layer_rules") && e.getMessage().contains("L7")
        && e.getMessage().contains("L1 (Gemm), L2 (Gemm), L3 (Gemm)"), e.getMessage());
    // The layers that exist still take overrides.
    run(productSign("l3", "{layer_rules: ['L3: zplus']}"), tmp.resolve("l3-out"));
  }

  /**
   * results.json is byte-identical from one run to the next (README), also from one JVM to the
   * next: Map.of iterates in an order drawn when the JVM starts, so the runs are in fresh JVMs.
   */
  @Test
  void resultsJsonIsTheSameBytesInFreshJvms() throws Exception {
    Path yaml = productSign("twice", "{}");
    byte[] here = Files.readAllBytes(run(yaml, tmp.resolve("twice-0")).folder().resolve("results.json"));
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int k = 1; k <= 2; k++) {
      Path out = tmp.resolve("twice-" + k);
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FreshJvm.class.getName(),
          yaml.toString(), out.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run did not finish");
      assertEquals(0, p.exitValue(), log);
      // No field differs legitimately between runs on one machine (no timestamps, run times or paths).
      assertArrayEquals(here, Files.readAllBytes(out.resolve("results.json")), "results.json of run " + k);
    }
  }

  /** Runs an analysis into a folder: the other JVM of {@link #resultsJsonIsTheSameBytesInFreshJvms}. */
  public static final class FreshJvm {
    public static void main(String[] args) {
      run(Path.of(args[0]), Path.of(args[1]));
    }
  }

  @Test
  void aDeadNeuronHasNothingToAttributeAndFedInputsAreNeverNamed() throws IOException {
    Path dir = tmp.resolve("tagger");
    Files.createDirectories(dir);
    for (String f : List.of("particlenet.onnx", "jets.npz")) Files.copy(TAGGER.resolve(f), dir.resolve(f));
    Files.writeString(dir.resolve("analysis.yaml"), """
        name: particle-tagger
        seed: 1
        model: particlenet.onnx
        data:
          file: jets.npz
          label: label
          inputs:
            points: {differentiable: false}
            features: {axes: [particle, feature], names: [pt, eta, phi]}
            mask: {differentiable: false}
        neurons: [L2N3]
        methods:
          gradient: {}
          lrp: {composite: epsilon}
        compare: {faithfulness: false}
        """);
    Analysis.Outcome o = run(dir.resolve("analysis.yaml"), tmp.resolve("tagger-out"));
    JsonNode r = new ObjectMapper().readTree(o.folder().resolve("results.json").toFile());
    for (JsonNode m : r.get("models").get(0).get("neurons").get(0).get("methods")) {
      for (JsonNode s : m.get("scores")) assertEquals(0.0, s.asDouble(), m.get("id").asText() + ": L2N3 is dead on these events");
    }
    String f = o.findings().get(0);
    assertEquals("L2N3 of particlenet (AUC 0.500): gradient and lrp score every input 0: L2N3 does not change with its inputs"
        + " on these events (a constant or dead neuron): nothing to attribute.", f);
    Document html = Jsoup.parse(o.folder().resolve("index.html").toFile(), "UTF-8");
    String data = html.select("p:contains(Data: )").first().text();
    assertTrue(data.contains("96 input values, 48 attributed (points, mask fed as they are)"), data);
    // The rankings table lists the attributed inputs only.
    List<String> ranked = html.select("h3:contains(Rankings side by side) + table td:not(.num)").eachText();
    assertFalse(ranked.isEmpty());
    assertTrue(ranked.stream().allMatch(t -> t.startsWith("features[")), ranked.toString());
  }
}
