package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.api.attribution.Relevance;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LRP through recurrent cells (gates take no relevance: Arras et al., 2017) and attention (softmax
 * weights and LayerNorm scaling held constant: Ali et al., 2022). References: make_models.py beside the
 * fixtures, an independent float64 numpy implementation of the same propagation (no autograd).
 */
class LrpSequenceTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/lrp-seq");
  static final String[] MODELS = {"lstm_nobias", "gru_nobias", "gru_lbr_nobias", "attention_nobias"};

  static LrpComposite composite(String name) {
    LrpRule r = name.equals("zero") ? new LrpRule.Zero() : new LrpRule.Epsilon(0.01);
    return new LrpComposite(name, r, r, Optional.empty(), Map.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(MODELS).flatMap(m -> Stream.of(Arguments.of(m, "zero"), Arguments.of(m, "epsilon")));
  }

  private static Relevance relevance(String model, String rule) {
    FloatTensor x = Npy.read(DIR.resolve(model + ".x.npy")).toFloat();
    try (OnnxModel m = OnnxModel.load(DIR.resolve(model + ".onnx"), ExecutionOptions.defaults())) {
      return Derivatives.of(m).relevance(m.resolve(new NeuronId.Output(0)), composite(rule), false, x);
    }
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("cases")
  void relevanceMatchesTheFloat64Reference(String model, String rule) {
    Relevance r = relevance(model, rule);
    double[] start = Npy.read(DIR.resolve(model + ".start.npy")).values();
    AutogradReferenceTest.assertClose(start, r.start(), 1e-5, model + " start");
    double[] ref = Npy.read(DIR.resolve(model + "." + rule + ".npy")).values();
    AutogradReferenceTest.assertClose(ref, r.inputs().data(), 2e-4, model + " / " + rule + " relevance");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void biasFreeModelsConserveRelevance(String model) {
    Relevance r = relevance(model, "zero");
    int events = r.start().length;
    int per = r.inputs().data().length / events;
    for (int e = 0; e < events; e++) {
      double sum = 0;
      for (int i = 0; i < per; i++) sum += r.inputs().data()[e * per + i];
      // Sums take the z-rule with a 1e-6 stabiliser, so conservation holds up to that and float32 rounding.
      assertEquals(r.start()[e], sum, 1e-4 * Math.max(1, Math.abs(r.start()[e])), model + " event " + e);
    }
  }

  static Stream<String> models() {
    return Stream.of(MODELS);
  }

  /** y = (σ(b Wg) ⊙ (a Ws)) Wout with x = [a | b]: b only drives the gate. */
  private static ModelProto gated(String gateOp) {
    TinyGraph b = new TinyGraph(6, 13, 11);
    String a = b.node("Slice", new String[] {"x", b.longs(0), b.longs(3), b.longs(1)});
    String c = b.node("Slice", new String[] {"x", b.longs(3), b.longs(6), b.longs(1)});
    String signal = b.node("MatMul", a, b.random(3, 4));
    String gate = b.node("Sigmoid", b.node("MatMul", c, b.random(3, 4)));
    if (gateOp.equals("1-gate")) gate = b.node("Sub", b.scalar(1), gate);
    String prod = gateOp.equals("none") ? b.node("Mul", signal, b.node("Tanh", b.node("MatMul", c, b.random(3, 4))))
        : b.node("Mul", gate, signal);
    return b.model(b.node("MatMul", prod, b.random(4, 1)));
  }

  private static FloatTensor events() {
    float[] v = new float[5 * 6];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(1.3 * i + 0.4);
    return FloatTensor.of(v, 5, 6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void gateInputsReceiveNoRelevanceAndTheSignalAll(String gateOp) {
    FloatTensor x = events();
    try (OnnxModel m = OnnxModel.of(gated(gateOp), "gated", ExecutionOptions.defaults())) {
      Relevance r = Derivatives.of(m).relevance(m.resolve(new NeuronId.Output(0)), composite("zero"), false, x);
      float[] rel = r.inputs().data();
      for (int e = 0; e < 5; e++) {
        double signal = 0;
        for (int i = 0; i < 3; i++) signal += rel[e * 6 + i];
        for (int i = 3; i < 6; i++) assertEquals(0f, rel[e * 6 + i], "gate input " + i + " of event " + e);
        assertEquals(r.start()[e], signal, 1e-5 * Math.max(1, Math.abs(r.start()[e])), "event " + e);
        assertTrue(r.start()[e] != 0);
      }
    }
  }

  static Stream<String> gates() {
    return Stream.of("gate", "1-gate");
  }

  @Test
  void productsOfTwoVariablesWithoutAGateAreRefused() {
    try (OnnxModel m = OnnxModel.of(gated("none"), "ungated", ExecutionOptions.defaults())) {
      GlassboxException ex = assertThrows(GlassboxException.class, () -> Derivatives.of(m)
          .relevance(m.resolve(new NeuronId.Output(0)), composite("zero"), false, events()));
      assertTrue(ex.getMessage().contains("product of two variables"), ex.getMessage());
    }
  }

  @Test
  void matMulOfTwoVariablesWithoutASoftmaxIsRefused() {
    TinyGraph b = new TinyGraph(4, 13, 5);
    String p = b.reshape(b.node("MatMul", "x", b.random(4, 4)), -1, 2, 2);
    String q = b.reshape(b.node("Tanh", "x"), -1, 2, 2);
    ModelProto proto = b.model(b.node("MatMul", b.node("Flatten", b.node("MatMul", p, q), Attr.i("axis", 1)), b.random(4, 1)));
    float[] v = new float[3 * 4];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.cos(0.7 * i);
    try (OnnxModel m = OnnxModel.of(proto, "bilinear", ExecutionOptions.defaults())) {
      GlassboxException ex = assertThrows(GlassboxException.class, () -> Derivatives.of(m)
          .relevance(m.resolve(new NeuronId.Output(0)), composite("zero"), false, FloatTensor.of(v, 3, 4)));
      assertTrue(ex.getMessage().contains("neither comes from a Softmax"), ex.getMessage());
    }
  }
}
