package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.api.NeuronId;
import org.glassbox.api.FloatTensor;
import org.glassbox.data.Npy;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  static final Path MODEL = Path.of("..", "..", "examples", "models", "seed000_mlp.onnx");
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void inspectListsSeed000Layers() {
    Run r = run("inspect", MODEL.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("L12   Gemm           Tanh"), r.out());
    assertTrue(r.out().contains("Input    x"), r.out());
    assertTrue(r.out().contains("every operator on the path from the input has a rule"), r.out());
  }

  @Test
  void gradientCommandWritesWhatTheEngineComputes() throws IOException {
    float[] v = new float[3 * 19];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i);
    Path data = tmp.resolve("events.npy");
    try (OutputStream os = Files.newOutputStream(data)) {
      Npy.write(os, v, new long[] {3, 19});
    }
    Path out = tmp.resolve("grad.npy");
    Run r = run("gradient", MODEL.toString(), data.toString(), "--neuron", "L3N5", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    Npy.Array written = Npy.read(out);
    try (OnnxModel m = OnnxModel.load(MODEL, ExecutionOptions.defaults())) {
      FloatTensor g = Derivatives.of(m).gradient(m.resolve(NeuronId.parse("L3N5")), FloatTensor.of(v, 3, 19));
      for (int i = 0; i < g.data().length; i++) assertEquals(g.data()[i], written.values()[i], 0.0);
    }
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial files left");
    }
  }

  @Test
  void demoRunsEveryBundledMethodAndSaysWhatTheyFound() throws IOException {
    Path out = tmp.resolve("demo");
    Run r = run("demo", "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    for (String method : new String[] {"gradient", "gradient-x-input", "lrp", "taylor", "activation-difference"}) {
      assertTrue(r.out().contains(method + " ranks "), method + " missing from the findings: " + r.out());
    }
    assertTrue(r.out().contains("* output of product_sign"), r.out());
    // Seed 003's truth for the correlation toy, rediscovered by the network Glassbox trained.
    assertTrue(r.out().contains("taylor ranks x1*x2 first"), r.out());
    assertTrue(r.out().contains("guided-search imitates tagger output with DNN(mass, pt"), r.out());
    for (String part : new String[] {"product-sign", "taylor-toys", "two-prong-jets", "particle-tagger"}) {
      assertTrue(Files.exists(out.resolve(part).resolve("results.json")) && Files.exists(out.resolve(part).resolve("index.html")));
    }
    assertTrue(Files.exists(out.resolve("taylor-toys/models/mlp.onnx")), "the trained network is saved");
    // The product-sign toy's truth: the decoy input 'noise' (index 2) has the lowest input score for every method and neuron.
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("product-sign/results.json").toFile());
    for (var neuron : json.get("models").get(0).get("neurons")) {
      for (var method : neuron.get("methods")) {
        var s = method.get("input_scores");
        assertTrue(s.get(2).asDouble() < s.get(0).asDouble() && s.get(2).asDouble() < s.get(1).asDouble(),
            method.get("id") + " on " + neuron.get("neuron") + ": " + s);
      }
    }
    // The graph-network tagger with three inputs: only the particle features are attributed, and in the toy every
    // particle's pT is drawn alike for signal and background (the classes differ in angles), so pT sums lowest.
    var tagger = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("particle-tagger/results.json").toFile());
    assertEquals(3, tagger.get("data").get("inputs").size());
    for (var method : tagger.get("models").get(0).get("neurons").get(0).get("methods")) {
      var features = tagger.get("data").get("features");
      var scores = method.get("input_scores");
      double featureSum = 0;
      for (int i = 0; i < features.size(); i++) {
        String name = features.get(i).asText();
        if (!name.startsWith("features[")) assertEquals(0.0, scores.get(i).asDouble(), method.get("id") + ": " + name + " is fed, not attributed");
        else featureSum += scores.get(i).asDouble();
      }
      var groups = method.get("groups");
      assertEquals(featureSum, groups.get("input").get("features").asDouble(), 1e-9 * featureSum, method.get("id") + " group sum");
      var perFeature = groups.get("features.feature");
      assertTrue(perFeature.get("pt").asDouble() < perFeature.get("eta").asDouble()
          && perFeature.get("pt").asDouble() < perFeature.get("phi").asDouble(), method.get("id") + ": " + perFeature);
      assertEquals(16, groups.get("features.particle").size());
    }
    assertTrue(Files.exists(out.resolve("index.html")));
    // The demo replaces its own folder: a second run succeeds.
    assertEquals(0, run("demo", "--out", out.toString(), "--quiet").code());
  }

  @Test
  void initTemplateIsAValidAnalysisOnceItsFilesExist() throws IOException {
    Path file = tmp.resolve("analysis.yaml");
    assertEquals(0, run("init", file.toString()).code());
    Path example = Path.of("..", "..", "examples", "product-sign");
    Files.copy(example.resolve("product_sign.onnx"), tmp.resolve("model.onnx"));
    Files.copy(example.resolve("product_sign.csv"), tmp.resolve("events.csv"));
    Files.writeString(file, Files.readString(file).replace("[pt, eta, phi]", "[x, y, noise]"));
    Run r = run("run", "--check", file.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("is valid"), r.out());
    assertEquals(2, run("init", file.toString()).code(), "init never overwrites");
  }

  @Test
  void userErrorsGiveOneLineAndExitCode2() {
    Run r = run("inspect", tmp.resolve("missing.onnx").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: Model file not found: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace for user errors: " + r.err());
  }

  @Test
  void badNeuronNameIsExplained() throws IOException {
    Path data = tmp.resolve("events.npy");
    try (OutputStream os = Files.newOutputStream(data)) {
      Npy.write(os, new float[19], new long[] {1, 19});
    }
    Run r = run("gradient", MODEL.toString(), data.toString(), "--neuron", "L3X5", "-o", tmp.resolve("g.npy").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("L{layer}N{neuron}"), r.err());
    assertFalse(Files.exists(tmp.resolve("g.npy")));
  }
}
