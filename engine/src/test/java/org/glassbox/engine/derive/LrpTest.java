package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.api.attribution.Relevance;
import org.glassbox.engine.Fixtures;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.api.Test;

/** LRP identities that hold exactly: LRP-0 is gradient × input for ReLU nets; bias-free LRP-0 conserves relevance. */
class LrpTest {
  static LrpComposite all(LrpRule r) {
    return new LrpComposite("all-" + r.name(), r, r, Optional.empty(), Map.of());
  }

  @Test
  void lrpZeroEqualsGradientTimesInputForReluNetsFromTheLogit() {
    Fixtures.Case c = Fixtures.cases().stream().filter(k -> k.name().equals("mlp_relu")).findFirst().orElseThrow();
    FloatTensor x = c.array("x").toFloat();
    try (OnnxModel m = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      ResolvedNeuron out = m.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(m);
      Relevance r = d.relevance(out, all(new LrpRule.Zero()), true, x);
      // The logit is the input of the final Sigmoid: differentiate it directly.
      String logit = m.proto().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Sigmoid")).findFirst()
          .orElseThrow().getInput(0);
      assertEquals(logit, r.startTensor());
      float[] g = d.gradient(new ResolvedNeuron("logit", logit, 0), x).data();
      double[] gxi = new double[g.length];
      for (int i = 0; i < g.length; i++) gxi[i] = g[i] * x.data()[i];
      AutogradReferenceTest.assertClose(gxi, r.inputs().data(), 1e-5, "LRP-0 vs gradient x input");
      float[] logits = m.evaluate(x, List.of(logit)).get(0).data();
      for (int e = 0; e < x.events(); e++) assertEquals(logits[e], r.start()[e], 1e-6, "R starts at the logit");
    }
  }

  @Test
  void biasFreeReluNetConservesRelevanceExactly() {
    TinyGraph b = new TinyGraph(5, 13, 3);
    String h1 = b.node("Relu", b.node("Gemm", new String[] {"x", b.random(5, 7)}));
    String h2 = b.node("Relu", b.node("MatMul", h1, b.random(7, 6)));
    ModelProto proto = b.model(b.node("Gemm", new String[] {h2, b.random(1, 6)}, Attr.i("transB", 1)));
    float[] v = new float[4 * 5];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(1.7 * i + 0.3);
    FloatTensor x = FloatTensor.of(v, 4, 5);
    try (OnnxModel m = OnnxModel.of(proto, "bias-free", ExecutionOptions.defaults())) {
      Relevance r = Derivatives.of(m).relevance(m.resolve(new NeuronId.Output(0)), all(new LrpRule.Zero()), false, x);
      for (int e = 0; e < 4; e++) {
        double sum = 0;
        for (int i = 0; i < 5; i++) sum += r.inputs().data()[e * 5 + i];
        assertEquals(r.start()[e], sum, 1e-5 * Math.max(1, Math.abs(r.start()[e])), "event " + e);
      }
    }
  }
}
