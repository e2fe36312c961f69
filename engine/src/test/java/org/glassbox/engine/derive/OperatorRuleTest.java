package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.glassbox.api.NeuronId;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.testing.FiniteDifferences;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backward rule against central finite differences in float64, on one-operator models
 * (out = Σ w_j (y_j + ½ y_j²) with y the operator's output). Second order checks closure: the
 * Hessian graph (the builder applied to its own output) against finite differences of the
 * gradient graph run in float64.
 */
class OperatorRuleTest {
  static final int EVENTS = 3;

  record Case(String name, int features, int opset, BiFunction<TinyGraph, String, String> body) {
    @Override
    public String toString() {
      return name + " (opset " + opset + ")";
    }
  }

  static Case c(String name, int features, int opset, BiFunction<TinyGraph, String, String> body) {
    return new Case(name, features, opset, body);
  }

  static Stream<Case> cases() {
    return Stream.of(
        c("Add broadcast", 6, 13, (b, x) -> b.node("Add", x, b.random(6))),
        c("Add scalar first", 6, 13, (b, x) -> b.node("Add", b.random(1, 1), x)),
        c("Sub both active", 6, 13, (b, x) -> b.node("Sub", x, b.node("Mul", x, x))),
        c("Mul both active", 6, 13, (b, x) -> b.node("Mul", x, b.node("Tanh", x))),
        c("Div both active", 6, 13, (b, x) -> b.node("Div", x, b.node("Add", b.node("Mul", x, x), b.scalar(1)))),
        c("Sum variadic", 6, 13, (b, x) -> b.node("Sum", new String[] {x, b.node("Mul", x, x), b.random(6)})),
        c("Neg", 5, 13, (b, x) -> b.node("Neg", x)),
        c("Exp", 5, 13, (b, x) -> b.node("Exp", x)),
        c("Log", 5, 13, (b, x) -> b.node("Log", b.node("Add", b.node("Mul", x, x), b.scalar(1)))),
        c("Sqrt", 5, 13, (b, x) -> b.node("Sqrt", b.node("Add", b.node("Mul", x, x), b.scalar(1)))),
        c("Abs", 5, 13, (b, x) -> b.node("Abs", x)),
        c("Tanh", 5, 13, (b, x) -> b.node("Tanh", x)),
        c("Sigmoid", 5, 13, (b, x) -> b.node("Sigmoid", x)),
        c("Relu", 5, 13, (b, x) -> b.node("Relu", x)),
        c("LeakyRelu 0.2", 5, 13, (b, x) -> b.node("LeakyRelu", x, Attr.f("alpha", 0.2))),
        c("LeakyRelu negative slope", 5, 13, (b, x) -> b.node("LeakyRelu", x, Attr.f("alpha", -0.5))),
        c("Elu", 5, 13, (b, x) -> b.node("Elu", x, Attr.f("alpha", 0.7))),
        c("Selu", 5, 13, (b, x) -> b.node("Selu", x)),
        c("Softmax axis 1", 5, 13, (b, x) -> b.node("Softmax", x, Attr.i("axis", 1))),
        c("Softmax 3-D last axis", 6, 13, (b, x) -> b.node("Softmax", b.reshape(x, 0, 2, 3))),
        c("Softmax opset 11 coerced 2-D", 6, 11, (b, x) -> b.node("Softmax", b.reshape(x, 0, 2, 3), Attr.i("axis", 1))),
        c("LogSoftmax", 5, 13, (b, x) -> b.node("LogSoftmax", x, Attr.i("axis", 1))),
        c("Clip", 6, 13, (b, x) -> b.node("Clip", new String[] {x, b.scalar(-0.5), b.scalar(0.7)})),
        c("Clip max only", 6, 13, (b, x) -> b.node("Clip", new String[] {x, "", b.scalar(0.3)})),
        c("Where", 6, 13, (b, x) -> b.node("Where", new String[] {b.node("Greater", x, b.scalar(0)), b.node("Mul", x, x), b.node("Neg", x)})),
        c("Expand", 6, 13, (b, x) -> b.node("Expand", b.reshape(x, 0, 1, 6), b.longs(1, 3, 6))),
        c("CumSum", 6, 13, (b, x) -> b.node("CumSum", x, b.longs(1))),
        c("CumSum reverse exclusive", 6, 13, (b, x) -> b.node("CumSum", x, b.longs(1), Attr.i("reverse", 1), Attr.i("exclusive", 1))),
        c("Gemm", 6, 13, (b, x) -> b.node("Gemm", new String[] {x, b.random(6, 4), b.random(4)})),
        c("Gemm transB alpha beta", 6, 13, (b, x) -> b.node("Gemm", new String[] {x, b.random(4, 6), b.random(1, 4)},
            Attr.i("transB", 1), Attr.f("alpha", 0.7), Attr.f("beta", 1.3))),
        c("Gemm transA", 6, 13, (b, x) -> b.node("Gemm", new String[] {b.node("Transpose", x), b.random(6, 4)}, Attr.i("transA", 1))),
        c("Gemm x as B", 6, 13, (b, x) -> b.node("Transpose", b.node("Gemm", new String[] {b.random(3, 6), x}, Attr.i("transB", 1)))),
        c("Gemm x as transposed B", 6, 13, (b, x) -> b.node("Transpose",
            b.node("Gemm", new String[] {b.random(3, 6), b.node("Transpose", x)}))),
        c("MatMul", 6, 13, (b, x) -> b.node("MatMul", x, b.random(6, 4))),
        c("MatMul batched constant", 6, 13, (b, x) -> b.node("MatMul", b.reshape(x, 0, 2, 3), b.random(3, 4))),
        c("MatMul both active", 6, 13, (b, x) -> b.node("MatMul", b.reshape(x, 0, 2, 3),
            b.node("Transpose", b.reshape(x, 0, 2, 3), Attr.ints("perm", 0, 2, 1)))),
        c("MatMul vector", 6, 13, (b, x) -> b.node("MatMul", x, b.random(6))),
        c("Transpose", 6, 13, (b, x) -> b.node("Transpose", b.reshape(x, 0, 2, 3), Attr.ints("perm", 0, 2, 1))),
        c("Flatten", 6, 13, (b, x) -> b.node("Flatten", b.reshape(x, 0, 2, 3))),
        c("Unsqueeze Squeeze", 6, 13, (b, x) -> b.node("Squeeze", b.node("Unsqueeze", x, b.longs(1)), b.longs(1))),
        c("Unsqueeze opset 11", 6, 11, (b, x) -> b.node("Unsqueeze", x, Attr.ints("axes", 2))),
        c("Concat", 4, 13, (b, x) -> b.node("Concat", new String[] {x, b.node("Mul", x, x), b.node("Tanh", x)}, Attr.i("axis", 1))),
        c("Slice", 6, 13, (b, x) -> b.node("Slice", new String[] {x, b.longs(1), b.longs(-1), b.longs(1)})),
        c("Slice batch full", 6, 13, (b, x) -> b.node("Slice", new String[] {b.reshape(x, 0, 2, 3), b.longs(0, 1), b.longs(Long.MAX_VALUE, 3), b.longs(0, 2)})),
        c("Pad", 6, 13, (b, x) -> b.node("Pad", new String[] {b.reshape(x, 0, 2, 3), b.longs(0, 1, 0, 0, 2, 1), b.scalar(0.25)})),
        c("Pad negative", 6, 13, (b, x) -> b.node("Pad", new String[] {x, b.longs(0, -1, 0, 2)})),
        c("ReduceSum keepdims 0", 6, 13, (b, x) -> b.node("ReduceSum", b.reshape(x, 0, 2, 3), b.longs(2), Attr.i("keepdims", 0))),
        c("ReduceSum opset 11", 6, 11, (b, x) -> b.node("ReduceSum", b.reshape(x, 0, 2, 3), Attr.ints("axes", 1))),
        c("ReduceMean", 6, 13, (b, x) -> b.node("ReduceMean", b.reshape(x, 0, 2, 3), Attr.ints("axes", -1))),
        c("ReduceMean opset 18", 6, 18, (b, x) -> b.node("ReduceMean", b.reshape(x, 0, 2, 3), b.longs(1), Attr.i("keepdims", 0))),
        c("BatchNormalization", 6, 13, (b, x) -> b.node("BatchNormalization", new String[] {b.reshape(x, 0, 2, 3),
            b.floats(new double[] {1.5, -0.5}, 2), b.random(2), b.random(2), b.floats(new double[] {0.7, 2.0}, 2)})),
        c("Conv 1-D stride 2", 12, 13, (b, x) -> b.node("Conv", new String[] {b.reshape(x, 0, 2, 6), b.random(3, 2, 3), b.random(3)},
            Attr.ints("strides", 2), Attr.ints("pads", 1, 1))),
        c("Conv 2-D same", 16, 13, (b, x) -> b.node("Conv", new String[] {b.reshape(x, 0, 1, 4, 4), b.random(2, 1, 3, 3)},
            Attr.ints("pads", 1, 1, 1, 1))),
        c("Conv 2-D groups dilation", 32, 13, (b, x) -> b.node("Conv", new String[] {b.reshape(x, 0, 2, 4, 4), b.random(4, 1, 2, 2)},
            Attr.i("group", 2), Attr.ints("dilations", 2, 2), Attr.ints("pads", 1, 0, 1, 1))),
        c("Conv 2-D auto_pad SAME_UPPER stride 2", 25, 13, (b, x) -> b.node("Conv", new String[] {b.reshape(x, 0, 1, 5, 5), b.random(2, 1, 2, 2)},
            Attr.s("auto_pad", "SAME_UPPER"), Attr.ints("strides", 2, 2))),
        c("Conv 2-D stride 2 uneven", 25, 13, (b, x) -> b.node("Conv", new String[] {b.reshape(x, 0, 1, 5, 5), b.random(2, 1, 3, 3)},
            Attr.ints("strides", 2, 2))),
        c("ConvTranspose", 6, 13, (b, x) -> b.node("ConvTranspose", new String[] {b.reshape(x, 0, 2, 3), b.random(2, 3, 3), b.random(3)},
            Attr.ints("strides", 2), Attr.ints("pads", 1, 0), Attr.ints("output_padding", 1))),
        c("MaxPool 2x2 after Relu", 32, 13, (b, x) -> b.node("MaxPool", b.node("Relu", b.reshape(x, 0, 2, 4, 4)),
            Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2))),
        c("MaxPool overlapping padded", 16, 13, (b, x) -> b.node("MaxPool", b.reshape(x, 0, 1, 4, 4),
            Attr.ints("kernel_shape", 3, 3), Attr.ints("pads", 1, 1, 1, 1))),
        c("MaxPool 1-D ceil", 10, 13, (b, x) -> b.node("MaxPool", b.reshape(x, 0, 2, 5),
            Attr.ints("kernel_shape", 2), Attr.ints("strides", 2), Attr.i("ceil_mode", 1))),
        c("AveragePool padded", 16, 13, (b, x) -> b.node("AveragePool", b.reshape(x, 0, 1, 4, 4),
            Attr.ints("kernel_shape", 2, 2), Attr.ints("pads", 1, 1, 0, 0))),
        c("AveragePool count_include_pad", 16, 13, (b, x) -> b.node("AveragePool", b.reshape(x, 0, 1, 4, 4),
            Attr.ints("kernel_shape", 3, 3), Attr.ints("pads", 1, 1, 1, 1), Attr.i("count_include_pad", 1))),
        c("AveragePool 1-D ceil", 10, 13, (b, x) -> b.node("AveragePool", b.reshape(x, 0, 2, 5),
            Attr.ints("kernel_shape", 2), Attr.ints("strides", 2), Attr.i("ceil_mode", 1))),
        c("GlobalAveragePool", 18, 13, (b, x) -> b.node("GlobalAveragePool", b.reshape(x, 0, 2, 3, 3))),
        c("GatherElements duplicates", 6, 16, (b, x) -> b.node("GatherElements", b.reshape(x, 0, 2, 3),
            perEvent(b, x, new long[] {2, 0, 2, 1, 1, 1, 0, 2}, 2, 4), Attr.i("axis", 2))),
        c("ScatterElements", 6, 16, (b, x) -> b.node("ScatterElements", new String[] {x, perEvent(b, x, new long[] {4, 0}, 2),
            b.node("Mul", b.node("Slice", new String[] {x, b.longs(0), b.longs(2), b.longs(1)}), b.scalar(3))},
            Attr.i("axis", 1))));
  }

  /** Constant indices repeated for every event: Expand to [N, dims...] with N taken from x at run time. */
  static String perEvent(TinyGraph b, String x, long[] values, long... dims) {
    long[] withBatch = new long[dims.length + 1];
    withBatch[0] = 1;
    System.arraycopy(dims, 0, withBatch, 1, dims.length);
    String events = b.node("Slice", new String[] {b.node("Shape", x), b.longs(0), b.longs(1)});
    String shape = b.node("Concat", new String[] {events, b.longs(dims)}, Attr.i("axis", 0));
    return b.node("Expand", b.longsShaped(values, withBatch), shape);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientAndHessianMatchFiniteDifferences(Case c) {
    check(c);
  }

  /** The check of every rule test: gradient and Hessian against finite differences (float64 where ONNX Runtime allows). */
  static void check(Case c) {
    TinyGraph b = new TinyGraph(c.features(), c.opset(), c.name().hashCode());
    ModelProto proto = b.scalarModel(c.body().apply(b, "x"));
    double[] x = randomInputs(c.features(), c.name().hashCode() + 7L);
    FloatTensor xf = toFloat(x, c.features());
    try (OnnxModel model = OnnxModel.of(proto, c.name(), ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(model);
      float[] grad = d.gradient(z, xf).data();
      float[] hess = d.hessian(z, xf).data();

      FiniteDifferences forward = FiniteDifferences.inDouble(proto);
      boolean dbl = forward != null;
      if (!dbl) {
        System.out.println("[OperatorRuleTest] no float64 kernels for " + c + "; finite differences in float32");
        forward = FiniteDifferences.inFloat(proto);
      }
      try (FiniteDifferences fd = forward) {
        double[] ref = fd.jacobian(x, EVENTS, dbl ? 1e-5 : 2e-3);
        AutogradReferenceTest.assertClose(ref, grad, dbl ? 2e-4 : 2e-2, c + " gradient" + (dbl ? "" : " (float32 FD)"));
      }
      ModelProto gradGraph = d.gradientModel(z, "x");
      FiniteDifferences second = FiniteDifferences.inDouble(gradGraph);
      boolean dbl2 = second != null;
      if (!dbl2) {
        System.out.println("[OperatorRuleTest] no float64 kernels in the gradient graph of " + c + "; Hessian finite differences in float32");
        second = FiniteDifferences.inFloat(gradGraph);
      }
      try (FiniteDifferences fd = second) {
        double[] ref = fd.jacobian(x, EVENTS, dbl2 ? 1e-5 : 2e-3);
        AutogradReferenceTest.assertClose(ref, hess, dbl2 ? 5e-4 : 3e-2, c + " Hessian" + (dbl2 ? "" : " (float32 FD)"));
      }
    }
  }

  static double[] randomInputs(int features, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[EVENTS * features];
    // Keep inputs away from 0, where ReLU-like kinks would spoil finite differences, and distinct, so
    // that max-pooling windows have one clear winner.
    for (int i = 0; i < x.length; i++) x[i] = (r.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * r.nextDouble());
    return x;
  }

  static FloatTensor toFloat(double[] x, int features) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
    return FloatTensor.of(f, x.length / features, features);
  }

  static List<String> names() {
    return cases().map(Case::name).toList();
  }
}
