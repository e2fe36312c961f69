package org.glassbox.engine.derive;

import org.glassbox.engine.Fixtures;
import org.glassbox.engine.Fixtures.Case;
import static org.glassbox.engine.derive.AutogradReferenceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LSTM, GRU and RNN models exported by PyTorch (and hand-built keras2onnx-style graphs) against
 * PyTorch autograd in float64: forward values (ONNX Runtime's kernels, and the unrolled primitive
 * form the derivatives are built on), per-event gradients and, for vector inputs, per-event
 * Hessians. See make_recurrent_fixtures.py beside the fixtures. Tolerances as in
 * {@link AutogradReferenceTest}.
 */
class RecurrentReferenceTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/recurrent");

  static Stream<Case> cases() {
    return Fixtures.cases(DIR).stream();
  }


  static Stream<Case> hessianCases() {
    return cases().filter(Case::hasHessian);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesPytorch(Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      assertTrue(model.proto().getGraph().getNodeList().stream().anyMatch(n -> Recurrent.OPS.contains(n.getOpType())),
          c + " has a recurrent node");
      assertClose(c.array("y").values(), model.evaluate(c.array("x").toFloat()).data(), 2e-6, c + " forward");
    }
  }

  /** The primitive form the derivatives differentiate computes what PyTorch computes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unrolledForwardMatchesPytorch(Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      Recurrent.Unrolled u = Recurrent.unrollAll(model.proto(), model.shapes());
      assertTrue(u.unrolled() > 0);
      assertTrue(u.model().getGraph().getNodeList().stream().noneMatch(n -> Recurrent.OPS.contains(n.getOpType())));
      try (OnnxModel unrolled = OnnxModel.of(u.model(), c.name() + " unrolled", ExecutionOptions.defaults())) {
        assertClose(c.array("y").values(), unrolled.evaluate(c.array("x").toFloat()).data(), 2e-6, c + " unrolled forward");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesAutograd(Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(c.target()));
      FloatTensor g = Derivatives.of(model).gradient(z, c.array("x").toFloat());
      Npy.Array ref = c.array("grad");
      assertEquals(ref.values().length, g.data().length);
      assertClose(ref.values(), g.data(), 2e-5, c + " gradient");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hessianCases")
  void hessianMatchesAutograd(Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(c.target()));
      Derivatives d = Derivatives.of(model);
      assertEquals("hvp", d.hessianStrategy(z));
      FloatTensor h = d.hessian(z, c.array("x").toFloat());
      Npy.Array ref = c.array("hess");
      assertEquals(ref.values().length, h.data().length);
      assertClose(ref.values(), h.data(), 1e-4, c + " Hessian");
    }
  }

  /**
   * Cost, measured once and printed (no timed assertion): per-event gradients of the LSTM tagger
   * against its forward pass (ONNX Runtime's fused LSTM kernel), batch 256.
   */
  @org.junit.jupiter.api.Test
  void lstmGradientCostAtBatch256() {
    Case c = cases().filter(k -> k.name().equals("lstm_tagger")).findFirst().orElseThrow();
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      int n = 256;
      java.util.SplittableRandom r = new java.util.SplittableRandom(1);
      float[] v = new float[n * 18];
      for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
      FloatTensor x = FloatTensor.of(v, n, 6, 3);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(model);
      for (int i = 0; i < 20; i++) {
        model.evaluate(x);
        d.gradient(z, x);
      }
      int reps = 200;
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) model.evaluate(x);
      long t1 = System.nanoTime();
      for (int i = 0; i < reps; i++) d.gradient(z, x);
      long t2 = System.nanoTime();
      double forward = (t1 - t0) / 1e6 / reps;
      double gradient = (t2 - t1) / 1e6 / reps;
      int nodes = d.gradientModel(z, model.input().name()).getGraph().getNodeCount();
      System.out.printf("[RecurrentReferenceTest] lstm_tagger, batch %d: forward %.3f ms, gradient %.3f ms, ratio %.1f"
          + " (gradient graph: %d nodes)%n", n, forward, gradient, gradient / forward, nodes);
      assertEquals(n * 18, d.gradient(z, x).data().length);
    }
  }

  static List<String> names() {
    return cases().map(Case::name).toList();
  }
}
