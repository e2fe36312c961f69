package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Neuron;
import org.glassbox.data.DataSpec;
import org.glassbox.data.NanPolicy;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.InputPacking;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.api.Test;

/**
 * Models with several input tensors (issue 9), exported by PyTorch with their reference values
 * from autograd in float64 (make_multi_input.py beside the fixtures): the data file's arrays are
 * packed into one row per event, and the gradient with respect to each input tensor, unpacked,
 * equals autograd's. Inputs declared not differentiable get a zero gradient and leave the others'
 * unchanged.
 */
class MultiInputTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/multi-input");

  /** The fixture's data file mapped input by input; float inputs differentiable unless named in {@code fixed}. */
  private static DataSource.File source(String name, List<String> inputs, List<String> fixed) {
    List<DataSource.InputArray> arrays = new ArrayList<>();
    for (String in : inputs) arrays.add(new DataSource.InputArray(in, in, List.of(), List.of(), !fixed.contains(in)));
    DataSpec spec = new DataSpec(DIR.resolve(name + ".inputs.npz"), List.of(), "label", null, 0, NanPolicy.ERROR, null);
    return new DataSource.File(spec, List.of(), null, 0, arrays);
  }

  private record Run(InputLayout layout, FloatTensor x, float[] value, float[] gradient) {}

  private static Run run(String name, List<String> inputs, List<String> fixed) {
    DataSource.Loaded loaded = source(name, inputs, fixed).load();
    InputLayout layout = loaded.layout().orElseThrow();
    try (OnnxModel model = OnnxModel.load(DIR.resolve(name + ".onnx"), ExecutionOptions.defaults(), layout.packing());
        OnnxModelAccess access = new OnnxModelAccess(model)) {
      assertEquals(List.of(InputPacking.PACKED), model.inputs().stream().map(t -> t.name()).toList());
      Neuron output = access.neuron("output", 1);
      FloatTensor x = loaded.table().features();
      return new Run(layout, x, access.value(output, x).data(), access.gradient(output, x).data());
    }
  }

  /** The values of one input tensor, per event, out of packed rows. */
  private static float[] segment(InputLayout layout, float[] packed, int events, String input) {
    int width = layout.size();
    int offset = 0;
    for (InputLayout.Input in : layout.inputs()) {
      if (in.name().equals(input)) {
        float[] out = new float[events * in.size()];
        for (int e = 0; e < events; e++) System.arraycopy(packed, e * width + offset, out, e * in.size(), in.size());
        return out;
      }
      offset += in.size();
    }
    throw new AssertionError("no input " + input);
  }

  private static void assertClose(double[] ref, float[] got, double tol, String what) {
    assertEquals(ref.length, got.length, what + " size");
    double scale = Arrays.stream(ref).map(Math::abs).max().orElse(0);
    for (int i = 0; i < ref.length; i++) {
      double err = Math.abs(ref[i] - got[i]);
      final int at = i;
      assertTrue(err <= tol * scale + 1e-7, () -> what + ": error " + err + " at " + at + " (ref " + ref[at] + ", got "
          + got[at] + ", scale " + scale + ")");
    }
  }

  @Test
  void particleNetGradientPerInputTensorMatchesAutograd() {
    List<String> inputs = List.of("points", "features", "mask");
    Run r = run("particlenet", inputs, List.of());
    int n = r.x().events();
    assertClose(Npy.read(DIR.resolve("particlenet.y.npy")).values(), r.value(), 2e-6, "forward");
    for (String in : inputs) {
      assertClose(Npy.read(DIR.resolve("particlenet.grad_" + in + ".npy")).values(), segment(r.layout(), r.gradient(), n, in),
          2e-5, "gradient w.r.t. " + in);
    }
  }

  @Test
  void inputsDeclaredNotDifferentiableGetNoGradientAndLeaveTheOthersExact() {
    Run r = run("particlenet", List.of("points", "features", "mask"), List.of("points", "mask"));
    int n = r.x().events();
    for (String in : List.of("points", "mask")) {
      for (float v : segment(r.layout(), r.gradient(), n, in)) assertEquals(0f, v, in + " is fed, not differentiated");
    }
    assertClose(Npy.read(DIR.resolve("particlenet.grad_features.npy")).values(),
        segment(r.layout(), r.gradient(), n, "features"), 2e-5, "gradient w.r.t. features with points held");
    assertEquals(16 * 2 + 16, r.layout().fixed().cardinality(), "points and mask values are fixed");
    assertClose(Npy.read(DIR.resolve("particlenet.y.npy")).values(), r.value(), 2e-6, "forward unchanged");
  }

  @Test
  void integerAndBooleanInputsAreCastAndOnlyFloatInputsDifferentiated() {
    Run r = run("embedding", List.of("features", "pid", "mask"), List.of("pid", "mask"));
    int n = r.x().events();
    assertClose(Npy.read(DIR.resolve("embedding.y.npy")).values(), r.value(), 2e-6, "forward with int64 and bool inputs");
    assertClose(Npy.read(DIR.resolve("embedding.grad_features.npy")).values(), segment(r.layout(), r.gradient(), n, "features"),
        2e-5, "gradient w.r.t. features");
  }

  @Test
  void featureNamesSayTensorSlotAndFeature() {
    DataSource.File src = new DataSource.File(new DataSpec(DIR.resolve("particlenet.inputs.npz"), List.of(), "label", null, 0,
        NanPolicy.ERROR, null), List.of(), null, 0, List.of(
            new DataSource.InputArray("features", "features", List.of("particle", "feature"), List.of("pt", "eta", "phi"), true),
            new DataSource.InputArray("points", "points", List.of(), List.of(), false),
            new DataSource.InputArray("mask", "mask", List.of(), List.of(), false)));
    DataSource.Loaded loaded = src.load();
    List<String> names = loaded.table().featureNames();
    assertEquals("features[0].pt", names.get(0));
    assertEquals("features[1].eta", names.get(4));
    assertEquals("points[0,1]", names.get(48 + 1));
    assertEquals("mask[15,0]", names.get(48 + 32 + 15));
    // Packed in the order of data.inputs, not the model's: the model still gets each tensor by name.
    try (OnnxModel model = OnnxModel.load(DIR.resolve("particlenet.onnx"), ExecutionOptions.defaults(),
        loaded.layout().orElseThrow().packing())) {
      float[] reordered = model.evaluate(loaded.table().features()).data();
      assertClose(Npy.read(DIR.resolve("particlenet.y.npy")).values(), reordered, 2e-6, "forward, inputs in another order");
    }
  }

  @Test
  void groupsSumTheScoresOfEachTensorSlotAndFeature() {
    InputLayout layout = new InputLayout(List.of(
        new InputLayout.Input("features", "f", new long[] {4, 3}, List.of("particle", "feature"), List.of("pt", "eta", "phi"), true),
        new InputLayout.Input("mask", "m", new long[] {4}, List.of("particle"), List.of(), false)));
    double[] scores = new double[16];
    for (int i = 0; i < scores.length; i++) scores[i] = i + 1;
    Map<String, Map<String, Double>> g = layout.groups(scores);
    assertEquals(List.of("input", "features.particle", "features.feature"), List.copyOf(g.keySet()));
    assertEquals(78.0, g.get("input").get("features"), "1 + ... + 12");
    assertEquals(1.0 + 2 + 3, g.get("features.particle").get("0"));
    assertEquals(10.0 + 11 + 12, g.get("features.particle").get("3"));
    assertEquals(1.0 + 4 + 7 + 10, g.get("features.feature").get("pt"));
    assertEquals(3.0 + 6 + 9 + 12, g.get("features.feature").get("phi"));
    assertTrue(!g.get("input").containsKey("mask"), "fixed inputs are not attributed");
  }

  @Test
  void unmappedWrongShapeAndIntegerInputsAreRefusedByName() {
    Path model = DIR.resolve("particlenet.onnx");
    GlassboxException missing = assertThrows(GlassboxException.class, () -> OnnxModel.load(model, ExecutionOptions.defaults(),
        new InputPacking(List.of(new InputPacking.Segment("features", new long[] {16, 3}, true)))));
    assertTrue(missing.getMessage().contains("[points, mask]") && missing.getMessage().contains("data.inputs"), missing.getMessage());
    GlassboxException shape = assertThrows(GlassboxException.class, () -> OnnxModel.load(model, ExecutionOptions.defaults(),
        new InputPacking(List.of(new InputPacking.Segment("points", new long[] {16, 3}, true),
            new InputPacking.Segment("features", new long[] {16, 3}, true), new InputPacking.Segment("mask", new long[] {16, 1}, true)))));
    assertTrue(shape.getMessage().contains("'points'") && shape.getMessage().contains("[16, 3]"), shape.getMessage());
    GlassboxException unknown = assertThrows(GlassboxException.class, () -> OnnxModel.load(model, ExecutionOptions.defaults(),
        new InputPacking(List.of(new InputPacking.Segment("jets", new long[] {3}, true)))));
    assertTrue(unknown.getMessage().contains("'jets'") && unknown.getMessage().contains("[points, features, mask]"),
        unknown.getMessage());
    GlassboxException integer = assertThrows(GlassboxException.class, () -> OnnxModel.load(DIR.resolve("embedding.onnx"),
        ExecutionOptions.defaults(), new InputPacking(List.of(new InputPacking.Segment("features", new long[] {16, 3}, true),
            new InputPacking.Segment("pid", new long[] {16}, true), new InputPacking.Segment("mask", new long[] {16}, false)))));
    assertTrue(integer.getMessage().contains("'pid'") && integer.getMessage().contains("differentiable: false"),
        integer.getMessage());
    GlassboxException plain = assertThrows(GlassboxException.class, () -> {
      try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults())) {
        m.input();
      }
    });
    assertTrue(plain.getMessage().contains("data.inputs"), plain.getMessage());
  }

  /**
   * ParticleNet here is piecewise linear (ReLU, max over neighbours, Linear, masks, a mean over
   * particles), so LRP-0 must equal gradient x input on the particle features, with the
   * neighbour-search coordinates and the mask fed as they are: a check of the LRP rules for Gather,
   * Sub, ReduceMax, ReduceSum and Div by a count, against autograd's gradient.
   */
  @Test
  void lrpZeroEqualsGradientTimesInputOnTheGraphNetwork() {
    DataSource.Loaded loaded = source("particlenet", List.of("points", "features", "mask"), List.of("points", "mask")).load();
    InputLayout layout = loaded.layout().orElseThrow();
    FloatTensor x = loaded.table().features();
    int n = x.events();
    try (OnnxModel model = OnnxModel.load(DIR.resolve("particlenet.onnx"), ExecutionOptions.defaults(), layout.packing());
        OnnxModelAccess access = new OnnxModelAccess(model)) {
      var lrp0 = new org.glassbox.api.attribution.LrpComposite("all-lrp-0", new org.glassbox.api.attribution.LrpRule.Zero(),
          new org.glassbox.api.attribution.LrpRule.Zero(), java.util.Optional.empty(), Map.of());
      var r = access.relevance(access.neuron("output", 1), x, lrp0, true);
      float[] relevance = segment(layout, r.inputs().data(), n, "features");
      float[] features = segment(layout, x.data(), n, "features");
      double[] grad = Npy.read(DIR.resolve("particlenet.grad_features.npy")).values();
      double[] y = Npy.read(DIR.resolve("particlenet.y.npy")).values();
      double[] gxi = new double[grad.length];
      // The reference gradient is of the sigmoid's output; LRP starts at its logit: divide by sigma'.
      int per = grad.length / n;
      for (int e = 0; e < n; e++) {
        double slope = y[e] * (1 - y[e]);
        for (int k = 0; k < per; k++) gxi[e * per + k] = grad[e * per + k] / slope * features[e * per + k];
      }
      assertClose(gxi, relevance, 1e-4, "LRP-0 relevance of the particle features vs gradient x input");
      for (String in : List.of("points", "mask")) {
        for (float v : segment(layout, r.inputs().data(), n, in)) assertEquals(0f, v, in + " takes no relevance");
      }
    }
  }
}
