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

/**
 * Mistakes a new user makes in an analysis file, each refused by validation (what {@code run --check}
 * does) with the file, line and column and what to write instead, not by a stack trace or a failure
 * after the run started.
 */
class ValidationMessagesTest {
  static final Path EXAMPLE = Path.of("..", "examples", "product-sign");
  static final Path MULTI = Path.of("src/test/resources/fixtures/multi-input");
  @TempDir Path dir;
  Analysis analysis;

  @BeforeEach
  void copyExample() throws IOException {
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), dir.resolve("model.onnx"));
    Files.copy(EXAMPLE.resolve("product_sign.csv"), dir.resolve("events.csv"));
    analysis = new Analysis(List.of());
  }

  static final String GOOD = """
      name: t
      seed: 1
      model: model.onnx
      data:
        file: events.csv
        features: [x, y, noise]
        label: label
      neurons: [output, L1N0]
      methods:
        gradient: {}
      """;

  String message(String yaml) throws IOException {
    Path f = dir.resolve("analysis.yaml");
    Files.writeString(f, yaml);
    return assertThrows(GlassboxException.class, () -> analysis.validate(f)).getMessage();
  }

  String replaced(String from, String to) {
    assertTrue(GOOD.contains(from), from);
    return GOOD.replace(from, to);
  }

  @Test
  void theGoodFileIsValid() throws IOException {
    Path f = dir.resolve("analysis.yaml");
    Files.writeString(f, GOOD);
    assertEquals(2, analysis.validate(f).neurons().size());
  }

  @Test
  void anEmptyNeuronListSaysWhatToWrite() throws IOException {
    String m = message(replaced("[output, L1N0]", "[]"));
    assertTrue(m.contains("analysis.yaml:8:10: 'neurons': no neurons listed") && m.contains("neurons: [output]"), m);
  }

  @Test
  void duplicateKeysAreRefusedWithBothLines() throws IOException {
    String m = message(replaced("seed: 1\n", "seed: 1\nseed: 2\n"));
    assertTrue(m.contains("analysis.yaml:3:1: 'seed': given twice (first at line 2)"), m);
    m = message(replaced("  label: label\n", "  label: label\n  features: [x]\n"));
    assertTrue(m.contains("analysis.yaml:8:3: 'data.features': given twice (first at line 6)"), m);
    // Inside a method's options too, which are read only by the method.
    m = message(replaced("gradient: {}", "gradient: {per_event: true, per_event: false}"));
    assertTrue(m.contains("analysis.yaml:10:31: 'methods.gradient.per_event': given twice"), m);
  }

  @Test
  void indentationErrorsSayToCheckTheIndentation() throws IOException {
    String m = message(replaced("  label: label", " label: label"));
    assertTrue(m.contains("analysis.yaml:7:2: not valid YAML") && m.contains("Check the indentation of this line and the"
        + " one before (YAML uses spaces, nested keys are indented more than their parent)."), m);
    m = message(replaced("  label: label", "    label: label"));
    assertTrue(m.contains("Check the indentation of this line and the one before"), m);
  }

  @Test
  void unquotedBracketsInAListSayToQuoteTheName() throws IOException {
    String m = message(replaced("[output, L1N0]", "[output[1]]"));
    assertTrue(m.contains("analysis.yaml:8:17: not valid YAML") && m.contains("Write neuron names with brackets in quotes:"
        + " 'output[1]'"), m);
    m = message(replaced("[output, L1N0]", "[output, dense_1[3]]   # a hidden tensor"));
    assertTrue(m.contains("'dense_1[3]'"), m);
    assertTrue(!m.contains("indentation"), m);
  }

  @Test
  void aModelPathThatIsADirectoryIsNamedSo() throws IOException {
    Files.createDirectory(dir.resolve("m"));
    String m = message(replaced("model: model.onnx", "model: m"));
    assertTrue(m.contains("analysis.yaml:3:8: 'model': ") && m.contains("m is a directory; a model file is expected"), m);
  }

  @Test
  void badMethodOptionsAreFoundAtValidationWithTheirLine() throws IOException {
    String m = message(replaced("gradient: {}", "gradient: {}\n  integrated-gradients: {steps: -3}"));
    assertTrue(m.contains("analysis.yaml:11:33: 'methods.integrated-gradients.steps': steps is the number of quadrature"
        + " nodes, 1 to 10000, got -3."), m);
    m = message(replaced("gradient: {}", "smoothgrad: {noise: -1}"));
    assertTrue(m.contains("analysis.yaml:10:23: 'methods.smoothgrad.noise': noise is"), m);
  }

  @Test
  void optionErrorsThatNeedTheDataNameTheOptionsLineToo() throws IOException {
    // baseline: reference is checked against the data, so only when the method runs; the error still names the line.
    Path f = dir.resolve("analysis.yaml");
    Files.writeString(f, replaced("gradient: {}", "integrated-gradients: {baseline: reference, steps: 4}"));
    RunSpec spec = analysis.validate(f);
    String m = assertThrows(GlassboxException.class, () -> analysis.run(spec, false, org.glassbox.api.Progress.NONE,
        out -> { })).getMessage();
    assertTrue(m.contains("analysis.yaml:10:36: 'methods.integrated-gradients.baseline': baseline: reference takes each"
        + " event's reference from the data"), m);
  }

  @Test
  void misspeltColumnsAreFoundInTheDataFilesHeader() throws IOException {
    String m = message(replaced("label: label", "label: lable"));
    assertTrue(m.contains("analysis.yaml:7:10: 'data.label': ") && m.contains("'lable'") && m.contains("Did you mean 'label'?"), m);
    m = message(replaced("[x, y, noise]", "[x, yy, noise]"));
    assertTrue(m.contains("analysis.yaml:6:17: 'data.features[1]': ") && m.contains("no column 'yy'"), m);
  }

  @Test
  void neuronsThatTheModelLacksAreNamed() throws IOException {
    String m = message(replaced("[output, L1N0]", "[output, L99N0]"));
    assertTrue(m.contains("analysis.yaml:8:19: 'neurons[1]': L99N0 does not exist: model.onnx has 3 layers"), m);
    m = message(replaced("[output, L1N0]", "['output[1]']"));
    assertTrue(m.contains("analysis.yaml:8:11: 'neurons[0]': output[1] does not exist: the output of model.onnx has one"
        + " element per event (output, or output[0])."), m);
  }

  @Test
  void theDataMustHoldTheModelsInputWidth() throws IOException {
    String m = message(replaced("[x, y, noise]", "[x, y]"));
    assertTrue(m.contains("analysis.yaml:6:13: 'data.features': the data has 2 values per event (2 features [x, y]) but"
        + " model model.onnx expects input 'x' of shape [N, 3]"), m);
  }

  @Test
  void dataInputsMustMapEveryModelInputToAnArrayThatExists() throws IOException {
    Files.copy(MULTI.resolve("particlenet.onnx"), dir.resolve("pn.onnx"));
    Files.copy(MULTI.resolve("particlenet.inputs.npz"), dir.resolve("jets.npz"));
    String yaml = """
        model: pn.onnx
        data:
          file: jets.npz
          label: label
          inputs:
            points: {array: points, differentiable: false}
            features: {array: features}
            mask: {array: mask, differentiable: false}
        methods:
          gradient: {}
        """;
    Path f = dir.resolve("analysis.yaml");
    Files.writeString(f, yaml);
    analysis.validate(f);
    String m = message(yaml.replace("    mask: {array: mask, differentiable: false}\n", ""));
    assertTrue(m.contains("analysis.yaml:6:5: 'data.inputs': model input [mask] of pn.onnx has no array"), m);
    m = message(yaml.replace("{array: features}", "{array: feature}"));
    assertTrue(m.contains("analysis.yaml:7:23: 'data.inputs.features.array': jets.npz has no array 'feature'."), m);
    m = message(yaml.replace("    features: {", "    feature: {"));
    assertTrue(m.contains("'data.inputs.feature'") && m.contains("not an input of pn.onnx"), m);
    // The label, the weight and references are arrays of the same file: a misspelt one is found at its line.
    m = message(yaml.replace("  label: label\n", "  label: labl\n"));
    assertTrue(m.contains("analysis.yaml:4:10: 'data.label': jets.npz has no array 'labl'. Did you mean 'label'?"), m);
    m = message(yaml.replace("  label: label\n", "  label: label\n  weight: wt\n"));
    assertTrue(m.contains("'data.weight': jets.npz has no array 'wt'."), m);
    m = message(yaml.replace("{array: features}", "{array: features, reference: fref}"));
    assertTrue(m.contains("'data.inputs.features.reference': jets.npz has no array 'fref'."), m);
    // Without data.inputs, a model with several inputs is refused at validation too.
    m = message("model: pn.onnx\ndata: {file: jets.npz, dataset: features}\nmethods: {gradient: {}}\n");
    assertTrue(m.contains("analysis.yaml:2:7: 'data': pn.onnx has 3 inputs [points, features, mask]; map each"), m);
  }
}
