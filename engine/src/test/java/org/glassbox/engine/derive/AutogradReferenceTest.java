package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.Fixtures;
import org.glassbox.api.FloatTensor;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients and Hessians of models exported by PyTorch's ONNX exporter (and hand-built tf2onnx-style
 * graphs) against PyTorch autograd in double precision; see make_fixtures.py beside the fixtures.
 */
class AutogradReferenceTest {

  static Stream<Fixtures.Case> cases() {
    return Fixtures.cases().stream();
  }

  static Stream<Fixtures.Case> hessianCases() {
    return Fixtures.cases().stream().filter(Fixtures.Case::hasHessian);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesPytorch(Fixtures.Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      FloatTensor x = c.array("x").toFloat();
      FloatTensor y = model.evaluate(x);
      assertClose(c.array("y").values(), y.data(), 2e-6, c + " forward");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesAutograd(Fixtures.Case c) {
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
  void hessianMatchesAutograd(Fixtures.Case c) {
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(c.target()));
      Derivatives d = Derivatives.of(model);
      FloatTensor h = d.hessian(z, c.array("x").toFloat());
      // Both strategies must meet autograd: plain MLPs take the layered formula, the others the HVP path.
      assertEquals(c.name().startsWith("mlp_") && !c.name().contains("bn") && !c.name().contains("dropout") ? "layered" : "hvp",
          d.hessianStrategy(z), c.name());
      Npy.Array ref = c.array("hess");
      assertEquals(ref.values().length, h.data().length);
      assertClose(ref.values(), h.data(), 1e-4, c + " Hessian");
    }
  }

  /** |a - b| <= tol * (max |ref| over the array) + 1e-7: float32 against a double reference. */
  static void assertClose(double[] ref, float[] got, double tol, String what) {
    double scale = 0;
    for (double r : ref) scale = Math.max(scale, Math.abs(r));
    double worst = 0;
    int at = -1;
    for (int i = 0; i < ref.length; i++) {
      double err = Math.abs(ref[i] - got[i]);
      if (err > worst) {
        worst = err;
        at = i;
      }
    }
    final int idx = at;
    final double w = worst;
    final double s = scale;
    assertTrue(worst <= tol * scale + 1e-7, () -> what + ": max error " + w + " at " + idx + " (ref "
        + (idx >= 0 ? ref[idx] : 0) + ", got " + (idx >= 0 ? got[idx] : 0) + ", scale " + s + ")");
  }
}
