package org.glassbox.engine.derive;

import static org.glassbox.engine.derive.OperatorRuleTest.c;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.api.Test;
import org.glassbox.engine.derive.OperatorRuleTest.Case;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gather's adjoint before opset 16 (the sorted segment sum of {@link IndexRules}) against finite
 * differences, gradient and Hessian, as {@link OperatorRuleTest}: many duplicate indices
 * (multiplicities 1 to 8), negative indices, absent targets, several axes, a gather of a gather (whose
 * Hessian differentiates the segment sum itself); the same models at opset 16 (ScatterElements with
 * reduction 'add') as a control. Also: float32 accuracy on a large gather, and duplicates along the
 * batch axis, whose extent is known at run time only (also covered by {@link TaggerReferenceTest}'s
 * EdgeConv and {@link RecurrentRuleTest}'s batch-axis Gather).
 */
class GatherSegmentSumTest {

  /** Index i (0..7) appears i+1 times, shuffled, every other occurrence written as i - 8. */
  static long[] multiplicities() {
    long[] order = {5, 2, 7, 0, 7, 3, 6, 4, 1, 7, 5, 6, 3, 7, 2, 6, 4, 5, 7, 6, 1, 4, 7, 5, 3, 6, 7, 4, 5, 6, 7, 3, 4, 5, 6, 2};
    long[] out = new long[order.length];
    for (int i = 0; i < order.length; i++) out[i] = i % 2 == 1 ? order[i] - 8 : order[i];
    return out;
  }

  static Stream<Case> cases() {
    return Stream.of(13, 11, 16).flatMap(opset -> Stream.of(
        c("Gather multiplicities 1..8 negative opset " + opset, 8, opset, (b, x) -> b.node("Gather", x,
            b.longsShaped(multiplicities(), 4, 9), org.glassbox.engine.derive.Attr.i("axis", 1))),
        c("Gather absent targets opset " + opset, 12, opset, (b, x) -> b.node("Gather", b.reshape(x, 0, 6, 2),
            b.longsShaped(new long[] {-1, 5, 5, 0, -6, 2, -1}, 7), org.glassbox.engine.derive.Attr.i("axis", 1))),
        c("Gather last axis duplicates opset " + opset, 12, opset, (b, x) -> b.node("Gather", b.reshape(x, 0, 2, 6),
            b.longsShaped(new long[] {3, -3, 3, 0, 0, -6, 1, 1, 1, -5}, 2, 5), org.glassbox.engine.derive.Attr.i("axis", 2))),
        c("Gather scalar negative index opset " + opset, 6, opset, (b, x) -> b.node("Gather", b.reshape(x, 0, 3, 2),
            b.longsShaped(new long[] {-3}), org.glassbox.engine.derive.Attr.i("axis", 1))),
        c("Gather twice (gather of gather) opset " + opset, 8, opset, (b, x) -> b.node("Gather",
            b.node("Gather", x, b.longsShaped(new long[] {7, 7, 1, -1, 0, 7, 2}, 7), org.glassbox.engine.derive.Attr.i("axis", 1)),
            b.longsShaped(new long[] {6, 6, 0, -1, 3, 3, 3, 2}, 2, 4), org.glassbox.engine.derive.Attr.i("axis", 1)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientAndHessianMatchFiniteDifferences(Case c) {
    OperatorRuleTest.check(c);
  }

  /**
   * Float32 accuracy on a large gather: 8192 indices into 64 targets (multiplicity about 128, so
   * the prefix sums run over thousands of rows), values scaled by 1e3 on half the rows so that the
   * prefix is much larger than most segments. The opset-13 segment sum must agree with opset 16's
   * ScatterElements-add to float32 rounding and be no less accurate against float64 finite differences.
   */
  @Test
  void largeGatherMatchesScatterAddInFloat32() {
    int features = 64;
    int count = 8192;
    SplittableRandom r = new SplittableRandom(42);
    long[] indices = new long[count];
    for (int i = 0; i < count; i++) indices[i] = r.nextInt(2 * features) - features;
    double[] x = OperatorRuleTest.randomInputs(features, 5);
    FloatTensor xf = OperatorRuleTest.toFloat(x, features);
    float[][] grads = new float[2][];
    double[] ref = null;
    int[] opsets = {13, 16};
    for (int k = 0; k < 2; k++) {
      TinyGraph b = new TinyGraph(features, opsets[k], 9);
      double[] scale = new double[features];
      for (int j = 0; j < features; j++) scale[j] = j % 2 == 0 ? 1e3 : 1;
      String scaled = b.node("Mul", "x", b.floats(scale, features));
      String y = b.node("Gather", scaled, b.longsShaped(indices, count), org.glassbox.engine.derive.Attr.i("axis", 1));
      ModelProto proto = b.scalarModel(b.node("Tanh", y));
      try (OnnxModel model = OnnxModel.of(proto, "large gather " + opsets[k], ExecutionOptions.defaults().withThreads(1))) {
        ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
        grads[k] = Derivatives.of(model).gradient(z, xf).data();
      }
      if (k == 1) {
        try (org.glassbox.engine.testing.FiniteDifferences fd = org.glassbox.engine.testing.FiniteDifferences.inDouble(proto)) {
          ref = fd.jacobian(x, OperatorRuleTest.EVENTS, 1e-6);
        }
      }
    }
    double worst = 0;
    double[] errs = new double[2];
    for (int i = 0; i < grads[0].length; i++) {
      double rel = Math.abs(grads[0][i] - grads[1][i]) / Math.max(Math.abs(grads[1][i]), 1e-30);
      worst = Math.max(worst, rel);
      for (int k = 0; k < 2; k++) errs[k] = Math.max(errs[k], Math.abs(grads[k][i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-30));
    }
    double w = worst;
    System.out.println("[GatherSegmentSumTest] opset 13 vs 16, largest relative difference " + w + " vs FD64: opset13 " + errs[0] + " opset16 " + errs[1]);
    // Elementwise relative errors of a float32 sum of ~128 mixed-sign terms are ~1e-5 on either path;
    // measured against the largest entry both agree far closer, and the float64 prefix is no worse
    // than ONNX Runtime's float32 scatter-add against float64 finite differences.
    double[] control = new double[grads[1].length];
    for (int i = 0; i < control.length; i++) control[i] = grads[1][i];
    AutogradReferenceTest.assertClose(control, grads[0], 1e-6,
        "opset 13 against opset 16");
    assertTrue(errs[0] <= 2 * errs[1] + 1e-6, () -> "opset 13 " + errs[0] + " vs opset 16 " + errs[1] + " against FD64");
  }

  /**
   * The batch axis, whose extent N is known at run time only, with duplicates: indices [N-1, -1, 0,
   * ..., N-3], so that events 0 and 1 both read the last event. Events then share inputs, which the
   * per-event finite differences of {@link OperatorRuleTest#check} do not see (they miss the other
   * event's share at opset 16 just as well), so gradient and Hessian are compared with opset 16's.
   */
  @Test
  void batchAxisDuplicatesMatchScatterAdd() {
    float[][] grads = new float[2][];
    float[][] hessians = new float[2][];
    int[] opsets = {13, 16};
    double[] x = OperatorRuleTest.randomInputs(6, 3);
    FloatTensor xf = OperatorRuleTest.toFloat(x, 6);
    for (int k = 0; k < 2; k++) {
      TinyGraph b = new TinyGraph(6, opsets[k], 11);
      String n = b.node("Gather", b.node("Shape", "x"), b.longsShaped(new long[] {0}, 1));
      String rest = b.node("Range", new String[] {b.longsShaped(new long[] {0}),
          b.node("Squeeze", b.node("Sub", n, b.longsShaped(new long[] {2}, 1))), b.longsShaped(new long[] {1})});
      String idx = b.node("Concat", new String[] {b.node("Sub", n, b.longsShaped(new long[] {1}, 1)),
          b.longsShaped(new long[] {-1}, 1), rest}, org.glassbox.engine.derive.Attr.i("axis", 0));
      String xr = b.node("Gather", "x", idx, org.glassbox.engine.derive.Attr.i("axis", 0));
      String y = b.node("Gather", b.node("Mul", b.node("Tanh", xr), xr), idx, org.glassbox.engine.derive.Attr.i("axis", 0));
      try (OnnxModel model = OnnxModel.of(b.scalarModel(y), "batch gather " + opsets[k], ExecutionOptions.defaults().withThreads(1))) {
        ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
        Derivatives d = Derivatives.of(model);
        grads[k] = d.gradient(z, xf).data();
        hessians[k] = d.hessian(z, xf).data();
      }
    }
    double[] g16 = new double[grads[1].length];
    for (int i = 0; i < g16.length; i++) g16[i] = grads[1][i];
    double[] h16 = new double[hessians[1].length];
    for (int i = 0; i < h16.length; i++) h16[i] = hessians[1][i];
    AutogradReferenceTest.assertClose(g16, grads[0], 1e-6, "batch-axis gradient, opset 13 against 16");
    AutogradReferenceTest.assertClose(h16, hessians[0], 1e-6, "batch-axis Hessian, opset 13 against 16");
  }
}
