package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed analysis files: each message names the file, line and column, and what to do. */
class RunSpecParserTest {
  static final Path EXAMPLE = Path.of("..", "examples", "product-sign");
  @TempDir Path dir;
  Analysis analysis;

  @BeforeEach
  void copyExample() throws IOException {
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), dir.resolve("model.onnx"));
    Files.copy(EXAMPLE.resolve("product_sign.csv"), dir.resolve("events.csv"));
    analysis = new Analysis(List.of());
  }

  Path write(String yaml) throws IOException {
    Path f = dir.resolve("analysis.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  static final String GOOD = """
      name: t
      model: model.onnx
      data:
        file: events.csv
        features: [x, y, noise]
        label: label
      methods:
        gradient: {}
      """;

  String message(String yaml) throws IOException {
    Path f = write(yaml);
    return assertThrows(GlassboxException.class, () -> analysis.validate(f)).getMessage();
  }

  @Test
  void validFileParses() throws IOException {
    RunSpec s = analysis.validate(write(GOOD));
    assertEquals("t", s.name());
    assertEquals(List.of("x", "y", "noise"), ((DataSource.File) s.data()).spec().features());
    assertEquals(List.of("output"), s.neurons());
    assertEquals(1, s.attribution().size());
  }

  static final String GENERATED = """
      name: t
      model: model.onnx
      data:
        generator: product-sign
        events: 500
        seed: 4
      methods:
        gradient: {}
      """;

  @Test
  void generatorDataDrawsTheToyWithItsOptions() throws IOException {
    RunSpec s = analysis.validate(write(GENERATED));
    var table = s.data().load().table();
    assertEquals(500, table.events());
    // The same seed gives the same events as the toys module called directly.
    var toy = org.glassbox.toys.ToyGenerators.generate("product-sign", java.util.Map.of("events", 500, "seed", 4));
    assertEquals(toy.featureNames(), table.featureNames());
    org.junit.jupiter.api.Assertions.assertArrayEquals(toy.features(), table.features().data());
    org.junit.jupiter.api.Assertions.assertArrayEquals(toy.labels(), table.labels());
  }

  @Test
  void unknownGeneratorAndGeneratorOptionAreNamed() throws IOException {
    String m = message(GENERATED.replace("product-sign", "product-sing"));
    assertTrue(m.contains("analysis.yaml:4:14") && m.contains("product-sign"), m);
    m = message(GENERATED.replace("  seed: 4", "  sead: 4"));
    assertTrue(m.contains("analysis.yaml:6:3") && m.contains("Did you mean 'seed'?"), m);
    m = message(GENERATED.replace("  seed: 4", "  signal_fraction: 7"));
    assertTrue(m.contains("analysis.yaml:"), m);
  }

  @Test
  void unknownKeySuggestsTheNearestWithLineAndColumn() throws IOException {
    String m = message(GOOD.replace("model:", "modle:"));
    assertTrue(m.contains("analysis.yaml:2:1"), m);
    assertTrue(m.contains("Did you mean 'model'?"), m);
  }

  @Test
  void unknownDataKey() throws IOException {
    String m = message(GOOD.replace("  label: label", "  labels: label"));
    assertTrue(m.contains("analysis.yaml:6:3") && m.contains("Did you mean 'label'?"), m);
  }

  @Test
  void syntaxErrorNamesTheLine() throws IOException {
    String m = message(GOOD.replace("features: [x, y, noise]", "features: [x, y, noise"));
    assertTrue(m.contains("not valid YAML"), m);
    assertTrue(m.matches("(?s).*analysis.yaml:\\d+:\\d+.*"), m);
  }

  @Test
  void unknownMethodListsInstalledOnes() throws IOException {
    String m = message(GOOD.replace("gradient: {}", "gradeint: {}"));
    assertTrue(m.contains("unknown method 'gradeint'") && m.contains("Did you mean 'gradient'?"), m);
    assertTrue(m.contains("analysis.yaml:8:"), m);
  }

  @Test
  void wrongOptionType() throws IOException {
    String m = message(GOOD.replace("gradient: {}", "gradient: {per_event: maybe}"));
    assertTrue(m.contains("expected true or false") && m.contains("methods.gradient.per_event"), m);
  }

  @Test
  void unknownOptionSuggests() throws IOException {
    String m = message(GOOD.replace("gradient: {}", "gradient: {per_events: true}"));
    assertTrue(m.contains("Did you mean 'per_event'?"), m);
  }

  @Test
  void missingModelFile() throws IOException {
    String m = message(GOOD.replace("model.onnx", "nowhere.onnx"));
    assertTrue(m.contains("model file not found") && m.contains("nowhere.onnx") && m.contains("analysis.yaml:2:8"), m);
  }

  @Test
  void badNeuronName() throws IOException {
    String m = message(GOOD + "neurons: [output, L3X5]\n");
    assertTrue(m.contains("analysis.yaml:9:") && m.contains("L{layer}N{neuron}"), m);
  }

  @Test
  void aliasBombIsRefused() throws IOException {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    String m = message(y.toString());
    assertTrue(m.contains("not valid YAML") || m.contains("alias"), m);
  }

  @Test
  void emptyFile() throws IOException {
    assertTrue(message("").contains("is empty"));
  }

  @Test
  void missingAnalysisFile() {
    String m = assertThrows(GlassboxException.class, () -> analysis.validate(dir.resolve("none.yaml"))).getMessage();
    assertTrue(m.contains("Analysis file not found") && m.contains("glassbox init"), m);
  }

  @Test
  void modelInputsMapToArraysAndConflictingKeysAreRefusedWithTheirLine() throws IOException {
    // Validation opens the model and lists the file's arrays: a model with these three inputs, and an .npz with the arrays.
    Files.copy(Path.of("src/test/resources/fixtures/multi-input/particlenet.onnx"), dir.resolve("pn.onnx"));
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(dir.resolve("jets.npz")))) {
      for (String array : List.of("pf", "mask", "pts", "label")) {
        zip.putNextEntry(new java.util.zip.ZipEntry(array + ".npy"));
        org.glassbox.data.Npy.write(zip, new float[2], new long[] {2, 1});
        zip.closeEntry();
      }
    }
    RunSpec s = analysis.validate(write("""
        model: pn.onnx
        methods: {gradient: {}}
        data:
          file: jets.npz
          label: label
          inputs:
            features: {array: pf, axes: [particle, feature], names: [pt, eta, phi]}
            mask: {differentiable: false}
            points: pts
        """));
    List<DataSource.InputArray> in = ((DataSource.File) s.data()).inputs();
    assertEquals(List.of(new DataSource.InputArray("features", "pf", List.of("particle", "feature"), List.of("pt", "eta", "phi"), true),
        new DataSource.InputArray("mask", "mask", List.of(), List.of(), false),
        new DataSource.InputArray("points", "pts", List.of(), List.of(), true)), in);
    String stream = message("""
        model: model.onnx
        methods: {gradient: {}}
        data:
          file: jets.npz
          stream: 1000
          inputs: {features: {array: pf, reference: pf_ref}}
        """);
    assertTrue(stream.contains("analysis.yaml:5:") && stream.contains("stream cannot be used with a reference"), stream);
    String csv = message("""
        model: model.onnx
        methods: {gradient: {}}
        data:
          file: events.csv
          inputs: {features: pf}
        """);
    assertTrue(csv.contains("analysis.yaml:5:") && csv.contains("NPZ or HDF5"), csv);
    String key = message("""
        model: model.onnx
        methods: {gradient: {}}
        data:
          file: jets.npz
          inputs: {features: {array: pf, differentiabel: false}}
        """);
    assertTrue(key.contains("differentiabel") && key.contains("differentiable"), key);
    String none = message("""
        model: model.onnx
        methods: {gradient: {}}
        data:
          file: jets.npz
          inputs: {mask: {differentiable: false}}
        """);
    assertTrue(none.contains("at least one must be attributed"), none);
  }
}
