package org.glassbox.engine.derive;

import static org.glassbox.engine.derive.OperatorRuleTest.c;
import static org.glassbox.engine.derive.OperatorRuleTest.perEvent;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.math3.special.Erf;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.derive.OperatorRuleTest.Case;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.model.TensorInfo;
import org.glassbox.engine.testing.FiniteDifferences;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of issue 9 (elementwise, reductions, normalisation, indexing, Einsum) against central
 * finite differences, exactly as {@link OperatorRuleTest}: gradient and Hessian (closure) of
 * out = Σ w_j (y_j + ½ y_j²) on one-operator models, in float64 where ONNX Runtime has the kernels.
 * Operators whose derivative vanishes (Floor, comparisons, logic, Where's condition) appear as
 * factors or conditions of a differentiable expression, so the model must load and their inputs
 * must carry no gradient.
 */
class OperatorRuleMoreTest {

  static Stream<Case> cases() {
    return Stream.of(elementwise(), reductions(), normalisation(), indexing(), einsum()).flatMap(s -> s);
  }

  static Stream<Case> elementwise() {
    return Stream.of(
        c("Pow square", 6, 13, (b, x) -> b.node("Pow", x, b.scalar(2))),
        c("Pow cube", 6, 13, (b, x) -> b.node("Pow", x, b.scalar(3))),
        c("Pow square root", 6, 13, (b, x) -> b.node("Pow", positive(b, x), b.scalar(0.5))),
        c("Pow per-element exponents", 6, 13, (b, x) -> b.node("Pow", x, b.floats(new double[] {2, 3, 1, 0, 4, -1}, 6))),
        c("Pow int64 exponent", 6, 13, (b, x) -> b.node("Pow", x, b.longsShaped(new long[] {3}))),
        c("Pow int64 exponents", 6, 13, (b, x) -> b.node("Pow", x, b.longsShaped(new long[] {2, 3, 1, 0, 4, -1}, 6))),
        c("Pow both active", 6, 13, (b, x) -> b.node("Pow", positive(b, x), x)),
        c("Pow exponent broadcast", 6, 13, (b, x) -> b.node("Pow", positive(b, x),
            b.node("Mul", b.node("Slice", new String[] {x, b.longs(0), b.longs(1), b.longs(1)}), b.scalar(2)))),
        c("Pow base broadcast", 6, 13, (b, x) -> b.node("Pow", b.scalar(1.7), x)),
        c("Max variadic broadcast", 6, 13, (b, x) -> b.node("Max", new String[] {x, b.node("Mul", x, b.scalar(-0.8)),
            b.random(6), b.random(1, 1)})),
        c("Max ties split", 6, 13, (b, x) -> b.node("Max", new String[] {x, x, b.node("Neg", x)})),
        c("Max single", 6, 13, (b, x) -> b.node("Max", x)),
        c("Min variadic broadcast", 6, 13, (b, x) -> b.node("Min", new String[] {b.reshape(x, 0, 2, 3),
            b.node("Tanh", b.reshape(x, 0, 2, 3)), b.random(3), b.scalar(0.3)})),
        c("Min ties split", 6, 13, (b, x) -> b.node("Min", new String[] {x, b.node("Identity", x)})),
        c("Mean variadic broadcast", 6, 13, (b, x) -> b.node("Mean", new String[] {x, b.node("Mul", x, x), b.random(6)})),
        c("Sum broadcast", 6, 13, (b, x) -> b.node("Sum", new String[] {b.reshape(x, 0, 2, 3), b.random(3),
            b.node("Slice", new String[] {b.reshape(x, 0, 2, 3), b.longs(0), b.longs(1), b.longs(1)})})),
        c("Erf", 5, 13, (b, x) -> b.node("Erf", b.node("Mul", x, b.scalar(1.5)))),
        c("Atan", 5, 13, (b, x) -> b.node("Atan", b.node("Mul", x, b.scalar(2)))),
        c("Reciprocal", 5, 13, (b, x) -> b.node("Reciprocal", b.node("Add", x, b.scalar(1.5)))),
        c("Softplus", 5, 13, (b, x) -> b.node("Softplus", b.node("Mul", x, b.scalar(2)))),
        c("Softsign", 5, 13, (b, x) -> b.node("Softsign", x)),
        c("HardSigmoid default", 5, 13, (b, x) -> b.node("HardSigmoid", x)),
        c("HardSigmoid clipped", 8, 13, (b, x) -> b.node("HardSigmoid", x, Attr.f("alpha", 1.0), Attr.f("beta", 0.15))),
        c("PRelu per-element slope", 6, 13, (b, x) -> b.node("PRelu", x, b.random(6))),
        c("PRelu channel slope", 6, 13, (b, x) -> b.node("PRelu", b.reshape(x, 0, 2, 3), b.random(2, 1))),
        c("PRelu slope active", 6, 13, (b, x) -> b.node("PRelu", b.reshape(x, 0, 2, 3),
            b.node("Tanh", b.reshape(b.node("Slice", new String[] {x, b.longs(4), b.longs(6), b.longs(1)}), 0, 2, 1)))),
        c("Gelu", 6, 20, (b, x) -> b.node("Gelu", b.node("Mul", x, b.scalar(2)))),
        c("Gelu tanh", 6, 20, (b, x) -> b.node("Gelu", b.node("Mul", x, b.scalar(2)), Attr.s("approximate", "tanh"))),
        c("Gelu decomposed (exporters before opset 20)", 6, 13, (b, x) -> b.node("Mul", b.node("Mul", x, b.scalar(0.5)),
            b.node("Add", b.scalar(1), b.node("Erf", b.node("Div", x, b.scalar(1.4142135623730951)))))),
        c("Gelu tanh decomposed with Pow (exporters)", 6, 13, (b, x) -> {
          String cube = b.node("Mul", b.node("Pow", x, b.scalar(3)), b.scalar(0.044715));
          String t = b.node("Tanh", b.node("Mul", b.node("Add", x, cube), b.scalar(Math.sqrt(2 / Math.PI))));
          return b.node("Mul", b.node("Mul", x, b.scalar(0.5)), b.node("Add", t, b.scalar(1)));
        }),
        c("Floor Ceil Round Sign: zero derivative", 6, 13, (b, x) -> b.node("Mul", x, b.node("Sum", new String[] {
            b.node("Floor", b.node("Mul", x, b.scalar(3))), b.node("Ceil", b.node("Mul", x, b.scalar(2))),
            b.node("Round", b.node("Mul", x, b.scalar(5))), b.node("Sign", x)}))),
        c("Comparisons Not And Or as Where's condition", 8, 13, (b, x) -> b.node("Where", new String[] {
            b.node("Or", b.node("And", b.node("GreaterOrEqual", x, b.scalar(-0.5)), b.node("Not", b.node("Greater", x, b.scalar(0.5)))),
                b.node("Or", b.node("Equal", x, b.scalar(0.25)), b.node("And", b.node("Less", x, b.scalar(-0.8)),
                    b.node("LessOrEqual", b.node("Mul", x, x), b.scalar(0.95))))),
            b.node("Mul", x, x), b.node("Tanh", x)})));
  }

  static Stream<Case> reductions() {
    return Stream.of(
        c("ReduceMax", 6, 13, (b, x) -> b.node("ReduceMax", b.reshape(x, 0, 2, 3), Attr.ints("axes", 2))),
        c("ReduceMax opset 18 keepdims 0", 6, 18, (b, x) -> b.node("ReduceMax", b.reshape(x, 0, 2, 3), b.longs(1), Attr.i("keepdims", 0))),
        c("ReduceMax ties split", 6, 13, (b, x) -> b.node("ReduceMax",
            b.reshape(b.node("Concat", new String[] {x, x}, Attr.i("axis", 1)), 0, 2, 6), Attr.ints("axes", 1))),
        c("ReduceMax noop_with_empty_axes", 6, 18, (b, x) -> b.node("ReduceMax", new String[] {x, b.longsShaped(new long[0], 0)}, Attr.i("noop_with_empty_axes", 1))),
        c("ReduceMin two axes", 12, 13, (b, x) -> b.node("ReduceMin", b.reshape(x, 0, 2, 3, 2), Attr.ints("axes", 1, -1),
            Attr.i("keepdims", 0))),
        c("ReduceMax opset 11", 6, 11, (b, x) -> b.node("ReduceMax", b.reshape(x, 0, 2, 3), Attr.ints("axes", 1), Attr.i("keepdims", 0))),
        c("ReduceMin opset 18", 6, 18, (b, x) -> b.node("ReduceMin", b.reshape(x, 0, 2, 3), b.longs(-1))),
        c("ReduceL1", 6, 13, (b, x) -> b.node("ReduceL1", b.reshape(x, 0, 2, 3), Attr.ints("axes", 2))),
        c("ReduceL2", 6, 13, (b, x) -> b.node("ReduceL2", b.reshape(x, 0, 2, 3), Attr.ints("axes", 2), Attr.i("keepdims", 0))),
        c("ReduceL2 opset 18", 6, 18, (b, x) -> b.node("ReduceL2", b.reshape(x, 0, 2, 3), b.longs(1, 2))),
        c("ReduceSumSquare", 6, 13, (b, x) -> b.node("ReduceSumSquare", b.reshape(x, 0, 2, 3), Attr.ints("axes", 1))),
        c("ReduceSumSquare opset 18", 6, 18, (b, x) -> b.node("ReduceSumSquare", b.reshape(x, 0, 2, 3), b.longs(2), Attr.i("keepdims", 0))),
        c("ReduceLogSumExp", 6, 13, (b, x) -> b.node("ReduceLogSumExp", b.reshape(x, 0, 2, 3), Attr.ints("axes", 2))),
        c("ReduceLogSumExp opset 18", 6, 18, (b, x) -> b.node("ReduceLogSumExp", b.reshape(x, 0, 2, 3), b.longs(1), Attr.i("keepdims", 0))),
        c("ReduceProd", 6, 13, (b, x) -> b.node("ReduceProd", b.reshape(x, 0, 2, 3), Attr.ints("axes", 2))),
        c("ReduceProd opset 18 two axes", 12, 18, (b, x) -> b.node("ReduceProd", b.reshape(x, 0, 2, 3, 2), b.longs(1, 3),
            Attr.i("keepdims", 0))),
        c("ReduceSum opset 18 noop_with_empty_axes", 6, 18, (b, x) -> b.node("ReduceSum", new String[] {x, b.longsShaped(new long[0], 0)}, Attr.i("noop_with_empty_axes", 1))));
  }

  static Stream<Case> normalisation() {
    return Stream.of(
        c("LayerNormalization last axis", 6, 17, (b, x) -> b.node("LayerNormalization",
            new String[] {b.reshape(x, 0, 2, 3), b.random(3), b.random(3)}, Attr.f("epsilon", 0.01))),
        c("LayerNormalization axis 1 no bias", 6, 17, (b, x) -> b.node("LayerNormalization",
            new String[] {b.reshape(x, 0, 2, 3), b.random(2, 3)}, Attr.i("axis", 1))),
        c("LayerNormalization all outputs", 6, 17, (b, x) -> {
          String[] o = outputs(b, "LayerNormalization", new String[] {b.reshape(x, 0, 2, 3), b.random(3), b.random(3)}, 3,
              Attr.f("epsilon", 0.1));
          return b.node("Sum", new String[] {o[0], b.node("Mul", o[1], b.scalar(2)), b.node("Mul", o[2], b.scalar(0.3))});
        }),
        c("LayerNormalization mean and inverse deviation only", 6, 17, (b, x) -> {
          String[] o = outputs(b, "LayerNormalization", new String[] {b.reshape(x, 0, 2, 3), b.random(3)}, 3);
          return b.node("Concat", new String[] {o[1], o[2]}, Attr.i("axis", 2));
        }),
        c("InstanceNormalization 1-D", 6, 13, (b, x) -> b.node("InstanceNormalization",
            new String[] {b.reshape(x, 0, 2, 3), b.random(2), b.random(2)}, Attr.f("epsilon", 0.01))),
        c("InstanceNormalization 2-D", 16, 13, (b, x) -> b.node("InstanceNormalization",
            new String[] {b.reshape(x, 0, 2, 2, 4), b.random(2), b.random(2)})));
  }

  static Stream<Case> indexing() {
    return Stream.of(
        c("Gather scalar index", 6, 13, (b, x) -> b.node("Gather", b.reshape(x, 0, 2, 3), b.longsShaped(new long[] {1}),
            Attr.i("axis", 2))),
        c("Gather scalar index (scatter-add)", 6, 16, (b, x) -> b.node("Gather", b.reshape(x, 0, 2, 3), b.longsShaped(new long[] {-2}),
            Attr.i("axis", 1))),
        c("Gather opset 11 (one-hot)", 6, 11, (b, x) -> b.node("Gather", b.reshape(x, 0, 2, 3), b.longsShaped(new long[] {2, 0, 2}, 3),
            Attr.i("axis", 2))),
        c("Gather duplicates negative (one-hot)", 6, 13, (b, x) -> b.node("Gather", x,
            b.longsShaped(new long[] {0, 5, -1, 2}, 2, 2), Attr.i("axis", 1))),
        c("Gather duplicates negative (scatter-add)", 6, 16, (b, x) -> b.node("Gather", x,
            b.longsShaped(new long[] {0, 5, -1, 2}, 2, 2), Attr.i("axis", 1))),
        c("Gather middle axis", 12, 16, (b, x) -> b.node("Gather", b.reshape(x, 0, 3, 4), b.longsShaped(new long[] {2, 2, 0}, 3),
            Attr.i("axis", 1))),
        c("GatherND batch_dims 1", 6, 16, (b, x) -> b.node("GatherND", b.reshape(x, 0, 2, 3),
            perEvent(b, x, new long[] {1, 0, 1}, 3, 1), Attr.i("batch_dims", 1))),
        c("GatherND batch_dims 1 elements", 6, 16, (b, x) -> b.node("GatherND", b.reshape(x, 0, 2, 3),
            perEvent(b, x, new long[] {1, 2, 0, 0, 1, 2}, 3, 2), Attr.i("batch_dims", 1))),
        c("GatherND", 6, 16, (b, x) -> b.node("Transpose", b.node("GatherND",
            b.node("Transpose", b.reshape(x, 0, 2, 3), Attr.ints("perm", 1, 2, 0)),
            b.longsShaped(new long[] {1, 2, 0, 0, 1, 2}, 3, 2)))),
        c("ScatterND", 6, 16, (b, x) -> scatterND(b, x, new long[] {0, 1, 1, 2, 0, 0}, "none")),
        c("ScatterND add duplicates", 6, 16, (b, x) -> scatterND(b, x, new long[] {0, 1, 1, 2, 0, 1}, "add")),
        c("Split opset 13", 6, 13, (b, x) -> {
          String[] o = outputs(b, "Split", new String[] {x, b.longs(2, 4)}, 2, Attr.i("axis", 1));
          return b.node("Concat", new String[] {b.node("Tanh", o[1]), b.node("Mul", o[0], o[0])}, Attr.i("axis", 1));
        }),
        c("Split opset 18 num_outputs, one used", 6, 18, (b, x) -> {
          String[] o = outputs(b, "Split", new String[] {b.reshape(x, 0, 3, 2)}, 3, Attr.i("axis", 1), Attr.i("num_outputs", 3));
          return b.node("Tanh", o[1]);
        }),
        c("Split opset 11", 6, 11, (b, x) -> {
          String[] o = outputs(b, "Split", new String[] {x}, 3, Attr.i("axis", 1), Attr.ints("split", 1, 2, 3));
          return b.node("Concat", new String[] {o[2], b.node("Mul", o[0], o[2])}, Attr.i("axis", 1));
        }),
        c("Tile", 6, 13, (b, x) -> b.node("Tile", b.reshape(x, 0, 2, 3), b.longs(1, 2, 3))),
        c("Tile one axis", 6, 13, (b, x) -> b.node("Tile", x, b.longs(1, 3))),
        c("Slice step 2", 6, 13, (b, x) -> b.node("Slice", new String[] {x, b.longs(1), b.longs(6), b.longs(1), b.longs(2)})),
        c("Slice step 3 uneven", 8, 13, (b, x) -> b.node("Slice", new String[] {x, b.longs(0), b.longs(7), b.longs(1), b.longs(3)})),
        c("Slice reverse", 6, 13, (b, x) -> b.node("Slice", new String[] {x, b.longs(-1), b.longs(Long.MIN_VALUE), b.longs(1), b.longs(-1)})),
        c("Slice step -2 clamped", 7, 13, (b, x) -> b.node("Slice", new String[] {x, b.longs(100), b.longs(-100), b.longs(1), b.longs(-2)})),
        c("Slice mixed steps", 12, 13, (b, x) -> b.node("Slice", new String[] {b.reshape(x, 0, 3, 4), b.longs(-1, 0, 0),
            b.longs(0, 3, Long.MAX_VALUE), b.longs(1, 2, 0), b.longs(-1, 2, 1)})),
        c("TopK values", 6, 11, (b, x) -> outputs(b, "TopK", new String[] {x, b.longs(3)}, 2, Attr.i("axis", 1))[0]),
        c("TopK smallest with indices", 6, 13, (b, x) -> {
          String[] o = outputs(b, "TopK", new String[] {b.reshape(x, 0, 2, 3), b.longs(2)}, 2, Attr.i("largest", 0));
          return b.node("Mul", o[0], b.node("Cast", o[1], Attr.i("to", TensorInfo.FLOAT)));
        }),
        c("Trilu upper", 9, 14, (b, x) -> b.node("Trilu", b.reshape(x, 0, 3, 3))),
        c("Trilu lower k=1", 12, 14, (b, x) -> b.node("Trilu", new String[] {b.reshape(x, 0, 3, 4), b.longsShaped(new long[] {1})},
            Attr.i("upper", 0))),
        c("MatMul broadcast batch both active", 12, 13, (b, x) -> b.node("MatMul", b.reshape(x, 0, 2, 2, 3),
            b.reshape(b.node("Slice", new String[] {x, b.longs(0), b.longs(6), b.longs(1)}), 0, 1, 3, 2))));
  }

  static Stream<Case> einsum() {
    return Stream.of(
        c("Einsum bhqd,bhkd->bhqk", 24, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 3, 4),
            b.node("Tanh", b.reshape(x, 0, 2, 3, 4)), Attr.s("equation", "bhqd,bhkd->bhqk"))),
        c("Einsum bhqk,bhkd->bhqd", 24, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 3, 4),
            b.node("Transpose", b.node("Tanh", b.reshape(x, 0, 2, 3, 4)), Attr.ints("perm", 0, 1, 3, 2)),
            Attr.s("equation", "bhqk,bhkd->bhqd"))),
        c("Einsum bij,bjk->bik", 6, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 3),
            b.node("Transpose", b.reshape(x, 0, 2, 3), Attr.ints("perm", 0, 2, 1)), Attr.s("equation", "bij,bjk->bik"))),
        c("Einsum implicit with weights", 6, 13, (b, x) -> b.node("Einsum", x, b.random(6, 4), Attr.s("equation", "bi, ij"))),
        c("Einsum summed subscript", 6, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 3), Attr.s("equation", "bij->bi"))),
        c("Einsum three operands", 6, 13, (b, x) -> b.node("Einsum", new String[] {x, b.random(6, 3), b.node("Tanh", x)},
            Attr.s("equation", "bi,ij,bk->bjk"))),
        c("Einsum ellipsis broadcast", 12, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 2, 3),
            b.reshape(b.node("Slice", new String[] {x, b.longs(0), b.longs(6), b.longs(1)}), 0, 1, 3, 2),
            Attr.s("equation", "...ij,...jk->...ik"))),
        c("Einsum ellipsis with weights", 6, 13, (b, x) -> b.node("Einsum", b.reshape(x, 0, 2, 3), b.random(3, 4),
            Attr.s("equation", "...ij,jk->...ik"))));
  }

  /** Scatters two rows of a per-event slice into data whose batch axis is last (so events stay independent). */
  static String scatterND(TinyGraph b, String x, long[] indices, String reduction) {
    String data = b.node("Transpose", b.reshape(x, 0, 2, 3), Attr.ints("perm", 1, 2, 0));
    String updates = b.node("Transpose", b.node("Mul", b.node("Slice", new String[] {x, b.longs(0), b.longs(3), b.longs(1)}),
        b.scalar(3)), Attr.ints("perm", 1, 0));
    String scattered = b.node("ScatterND", new String[] {data, b.longsShaped(indices, 3, 2), updates},
        Attr.s("reduction", reduction));
    return b.node("Transpose", scattered, Attr.ints("perm", 2, 0, 1));
  }

  /** x² + ½: a positive base. */
  static String positive(TinyGraph b, String x) {
    return b.node("Add", b.node("Mul", x, x), b.scalar(0.5));
  }

  /**
   * A node with several outputs, named {@code <first>}, {@code <first>_1}, ... TinyGraph makes
   * single-output nodes; the extra outputs are added to its graph in place.
   */
  static String[] outputs(TinyGraph b, String op, String[] inputs, int count, AttributeProto... attrs) {
    String first = b.node(op, inputs, attrs);
    String[] names = new String[count];
    names[0] = first;
    for (int i = 1; i < count; i++) names[i] = first + "_" + i;
    try {
      java.lang.reflect.Field f = TinyGraph.class.getDeclaredField("g");
      f.setAccessible(true);
      GraphProto.Builder g = (GraphProto.Builder) f.get(b);
      NodeProto.Builder n = g.getNodeBuilder(g.getNodeCount() - 1);
      for (int i = 1; i < count; i++) n.addOutput(names[i]);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientAndHessianMatchFiniteDifferences(Case c) {
    OperatorRuleTest.check(c);
  }

  // ---- float64 references for operators ONNX Runtime runs only in float32 ----

  /**
   * An operator without float64 kernels and the same function written in operators that have them
   * (drawing the same random constants in the same order, so both models share their weights).
   */
  record Decomposed(String name, int features, int opset, BiFunction<TinyGraph, String, String> body,
      BiFunction<TinyGraph, String, String> reference) {
    @Override
    public String toString() {
      return name + " (opset " + opset + ")";
    }
  }

  static Stream<Decomposed> decomposed() {
    return Stream.of(
        new Decomposed("Mean", 6, 13, (b, x) -> b.node("Mean", new String[] {x, b.node("Mul", x, x), b.random(1, 6)}),
            (b, x) -> b.node("Mul", b.node("Sum", new String[] {x, b.node("Mul", x, x), b.random(1, 6)}), b.scalar(1 / 3.0))),
        new Decomposed("Softplus", 5, 13, (b, x) -> b.node("Softplus", b.node("Mul", x, b.scalar(2))),
            (b, x) -> b.node("Log", b.node("Add", b.scalar(1), b.node("Exp", b.node("Mul", x, b.scalar(2)))))),
        new Decomposed("Softsign", 5, 13, (b, x) -> b.node("Softsign", x),
            (b, x) -> b.node("Div", x, b.node("Add", b.scalar(1), b.node("Abs", x)))),
        new Decomposed("HardSigmoid clipped", 8, 13, (b, x) -> b.node("HardSigmoid", x, Attr.f("alpha", 1.0), Attr.f("beta", 0.15)),
            (b, x) -> b.node("Clip", new String[] {b.node("Add", x, b.scalar(0.15)), b.scalar(0), b.scalar(1)})),
        new Decomposed("PRelu channel slope", 6, 13, (b, x) -> b.node("PRelu", b.reshape(x, 0, 2, 3), b.random(2, 1)),
            (b, x) -> {
              String xr = b.reshape(x, 0, 2, 3);
              return b.node("Where", new String[] {b.node("Greater", xr, b.scalar(0)), xr, b.node("Mul", xr, b.random(2, 1))});
            }),
        new Decomposed("PRelu slope active", 6, 13, (b, x) -> b.node("PRelu", x, b.node("Tanh", x)),
            (b, x) -> b.node("Where", new String[] {b.node("Greater", x, b.scalar(0)), x, b.node("Mul", x, b.node("Tanh", x))})),
        new Decomposed("Gelu tanh", 6, 20, (b, x) -> b.node("Gelu", x, Attr.s("approximate", "tanh")), (b, x) -> {
          String inner = b.node("Mul", b.node("Add", x, b.node("Mul", b.node("Mul", b.node("Mul", x, x), x), b.scalar(0.044715))),
              b.scalar(Math.sqrt(2 / Math.PI)));
          return b.node("Mul", b.node("Mul", x, b.scalar(0.5)), b.node("Add", b.scalar(1), b.node("Tanh", inner)));
        }),
        new Decomposed("InstanceNormalization", 12, 13, (b, x) -> b.node("InstanceNormalization",
            new String[] {b.reshape(x, 0, 2, 2, 3), b.random(2), b.random(2)}, Attr.f("epsilon", 0.01)),
            (b, x) -> {
              String xr = b.reshape(x, 0, 2, 2, 3);
              String scale = b.reshape(b.random(2), 2, 1, 1);
              String bias = b.reshape(b.random(2), 2, 1, 1);
              return b.node("Add", b.node("Mul", normalised(b, xr, 0.01, 2, 3), scale), bias);
            }),
        new Decomposed("LayerNormalization all outputs", 6, 17, (b, x) -> {
          String[] o = outputs(b, "LayerNormalization", new String[] {b.reshape(x, 0, 2, 3), b.random(3), b.random(3)}, 3,
              Attr.f("epsilon", 0.1));
          return b.node("Sum", new String[] {o[0], b.node("Mul", o[1], b.scalar(2)), b.node("Mul", o[2], b.scalar(0.3))});
        }, (b, x) -> {
          String xr = b.reshape(x, 0, 2, 3);
          String scale = b.random(3);
          String bias = b.random(3);
          String mean = b.node("ReduceMean", xr, Attr.ints("axes", 2));
          String centred = b.node("Sub", xr, mean);
          String inv = b.node("Div", b.scalar(1), b.node("Sqrt", b.node("Add",
              b.node("ReduceMean", b.node("Mul", centred, centred), Attr.ints("axes", 2)), b.scalar(0.1))));
          String y = b.node("Add", b.node("Mul", b.node("Mul", centred, inv), scale), bias);
          return b.node("Sum", new String[] {y, b.node("Mul", mean, b.scalar(2)), b.node("Mul", inv, b.scalar(0.3))});
        }));
  }

  /** (x - mean) / √(var + ε) over the given axes, in opset-13 operators. */
  static String normalised(TinyGraph b, String x, double eps, long... axes) {
    String centred = b.node("Sub", x, b.node("ReduceMean", x, Attr.ints("axes", axes)));
    String var = b.node("ReduceMean", b.node("Mul", centred, centred), Attr.ints("axes", axes));
    return b.node("Div", centred, b.node("Sqrt", b.node("Add", var, b.scalar(eps))));
  }

  /** The rules' float32 derivatives of the operator against float64 finite differences of its decomposition. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("decomposed")
  void matchesFloat64DecomposedReference(Decomposed c) {
    TinyGraph b = new TinyGraph(c.features(), c.opset(), c.name().hashCode());
    ModelProto proto = b.scalarModel(c.body().apply(b, "x"));
    TinyGraph r = new TinyGraph(c.features(), c.opset(), c.name().hashCode());
    ModelProto reference = r.scalarModel(c.reference().apply(r, "x"));
    double[] x = OperatorRuleTest.randomInputs(c.features(), c.name().hashCode() + 7L);
    FloatTensor xf = OperatorRuleTest.toFloat(x, c.features());
    try (OnnxModel model = OnnxModel.of(proto, c.name(), ExecutionOptions.defaults().withThreads(1));
        OnnxModel ref = OnnxModel.of(reference, c.name() + " reference", ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(model);
      try (FiniteDifferences fd = FiniteDifferences.inDouble(reference)) {
        assertNotNull(fd, c + ": the reference must run in float64");
        AutogradReferenceTest.assertClose(fd.jacobian(x, OperatorRuleTest.EVENTS, 1e-5), d.gradient(z, xf).data(), 2e-4,
            c + " gradient against the float64 decomposition");
      }
      ModelProto refGradient = Derivatives.of(ref).gradientModel(ref.resolve(new NeuronId.Output(0)), "x");
      try (FiniteDifferences fd = FiniteDifferences.inDouble(refGradient)) {
        assertNotNull(fd, c + ": the reference's gradient must run in float64");
        AutogradReferenceTest.assertClose(fd.jacobian(x, OperatorRuleTest.EVENTS, 1e-5), d.hessian(z, xf).data(), 5e-4,
            c + " Hessian against the float64 decomposition");
      }
    }
  }

  /** A unary operator with its first and second derivatives in closed form (Java, float64). */
  record ClosedForm(String name, String op, AttributeProto[] attrs, DoubleUnaryOperator d1, DoubleUnaryOperator d2) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ClosedForm> closedForms() {
    double c = Math.sqrt(2 / Math.PI);
    DoubleUnaryOperator pdf = t -> Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    return Stream.of(
        new ClosedForm("Erf", "Erf", new AttributeProto[0], t -> 2 / Math.sqrt(Math.PI) * Math.exp(-t * t),
            t -> -4 * t / Math.sqrt(Math.PI) * Math.exp(-t * t)),
        new ClosedForm("Atan", "Atan", new AttributeProto[0], t -> 1 / (1 + t * t), t -> -2 * t / ((1 + t * t) * (1 + t * t))),
        new ClosedForm("Gelu", "Gelu", new AttributeProto[0],
            t -> 0.5 * (1 + Erf.erf(t / Math.sqrt(2))) + t * pdf.applyAsDouble(t), t -> pdf.applyAsDouble(t) * (2 - t * t)),
        new ClosedForm("Gelu tanh", "Gelu", new AttributeProto[] {Attr.s("approximate", "tanh")}, t -> {
          double th = Math.tanh(c * (t + 0.044715 * t * t * t));
          return 0.5 * (1 + th) + 0.5 * t * (1 - th * th) * c * (1 + 3 * 0.044715 * t * t);
        }, t -> {
          double th = Math.tanh(c * (t + 0.044715 * t * t * t));
          double u1 = c * (1 + 3 * 0.044715 * t * t);
          double u2 = c * 6 * 0.044715 * t;
          return (1 - th * th) * u1 + 0.5 * t * (-2 * th * (1 - th * th) * u1 * u1 + (1 - th * th) * u2);
        }));
  }

  /**
   * out = Σ_j f(2 x_j): the gradient is 2 f'(2 x_j) and the Hessian diagonal 4 f''(2 x_j), against
   * closed forms in float64 (the rules run in float32, so the tolerance is float32's).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("closedForms")
  void matchesFloat64ClosedForm(ClosedForm f) {
    int features = 5;
    TinyGraph b = new TinyGraph(features, 20, f.name().hashCode());
    String y = b.node(f.op(), new String[] {b.node("Mul", "x", b.scalar(2))}, f.attrs());
    ModelProto proto = b.model(b.node("ReduceSum", y, b.longs(1), Attr.i("keepdims", 1)));
    double[] x = OperatorRuleTest.randomInputs(features, f.name().hashCode() + 7L);
    int n = OperatorRuleTest.EVENTS;
    double[] grad = new double[n * features];
    double[] hess = new double[n * features * features];
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < features; j++) {
        double t = 2 * (float) x[e * features + j];
        grad[e * features + j] = 2 * f.d1().applyAsDouble(t);
        hess[(e * features + j) * features + j] = 4 * f.d2().applyAsDouble(t);
      }
    }
    FloatTensor xf = OperatorRuleTest.toFloat(x, features);
    try (OnnxModel model = OnnxModel.of(proto, f.name(), ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(model);
      AutogradReferenceTest.assertClose(grad, d.gradient(z, xf).data(), 1e-5, f + " gradient against the closed form");
      AutogradReferenceTest.assertClose(hess, d.hessian(z, xf).data(), 1e-5, f + " Hessian against the closed form");
    }
  }

  /**
   * An MLP with Softplus is a chain of affine maps and activations: its Hessian takes the layered
   * formula (ChainHessian's Softplus slope and curvature, reachable now that Softplus has a rule),
   * checked against float64 differences of the gradient of the same network with Softplus written
   * as log(1 + exp).
   */
  @org.junit.jupiter.api.Test
  void softplusNetworkTakesTheLayeredHessian() {
    BiFunction<TinyGraph, Boolean, ModelProto> mlp = (b, decomposed) -> {
      String h = b.node("Gemm", new String[] {"x", b.random(4, 5), b.random(5)});
      String a = decomposed ? b.node("Log", b.node("Add", b.scalar(1), b.node("Exp", h))) : b.node("Softplus", h);
      return b.model(b.node("Gemm", new String[] {a, b.random(5, 2), b.random(2)}));
    };
    ModelProto proto = mlp.apply(new TinyGraph(4, 13, 11), false);
    ModelProto reference = mlp.apply(new TinyGraph(4, 13, 11), true);
    double[] x = OperatorRuleTest.randomInputs(4, 12);
    try (OnnxModel model = OnnxModel.of(proto, "softplus mlp", ExecutionOptions.defaults().withThreads(1));
        OnnxModel ref = OnnxModel.of(reference, "decomposed", ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(1));
      Derivatives d = Derivatives.of(model);
      org.junit.jupiter.api.Assertions.assertEquals("layered", d.hessianStrategy(z));
      ModelProto refGradient = Derivatives.of(ref).gradientModel(ref.resolve(new NeuronId.Output(1)), "x");
      try (FiniteDifferences fd = FiniteDifferences.inDouble(refGradient)) {
        assertNotNull(fd);
        AutogradReferenceTest.assertClose(fd.jacobian(x, OperatorRuleTest.EVENTS, 1e-5),
            d.hessian(z, OperatorRuleTest.toFloat(x, 4)).data(), 5e-4, "layered Hessian of a Softplus network");
      }
    }
  }

  // ---- gradients with respect to weights (the trainer's question) ----

  /**
   * A model whose body registers its parameters (initializers) in {@code params}; the reference, if
   * any, computes the same function in operators with float64 kernels and registers its parameters
   * in the same order.
   */
  record ParamCase(String name, int features, int opset, ParamBody body, ParamBody reference) {
    @Override
    public String toString() {
      return name + " (opset " + opset + ")";
    }
  }

  @FunctionalInterface
  interface ParamBody {
    String apply(TinyGraph b, String x, java.util.List<String> params);
  }

  static String param(java.util.List<String> params, String name) {
    params.add(name);
    return name;
  }

  /** Per-event indices 0..rows-1 computed from x (an embedding lookup). */
  static String indicesFrom(TinyGraph b, String x, int rows) {
    String scaled = b.node("Mul", b.node("Add", x, b.scalar(1)), b.scalar(rows / 2.0));
    return b.node("Cast", b.node("Floor", scaled), Attr.i("to", TensorInfo.INT64));
  }

  static Stream<ParamCase> parameterCases() {
    ParamBody prelu = (b, x, p) -> b.node("PRelu", b.reshape(x, 0, 2, 3), param(p, b.random(2, 1)));
    ParamBody instanceNorm = (b, x, p) -> b.node("InstanceNormalization",
        new String[] {b.reshape(x, 0, 2, 3), param(p, b.random(2)), param(p, b.random(2))});
    return Stream.of(
        new ParamCase("LayerNormalization scale and bias", 6, 17, (b, x, p) -> b.node("LayerNormalization",
            new String[] {b.reshape(x, 0, 2, 3), param(p, b.random(3)), param(p, b.random(3))}), null),
        new ParamCase("InstanceNormalization scale and bias", 6, 13, instanceNorm, (b, x, p) -> {
          String xr = b.reshape(x, 0, 2, 3);
          String scale = param(p, b.random(2));
          String bias = param(p, b.random(2));
          return b.node("Add", b.node("Mul", normalised(b, xr, 1e-5, 2), b.reshape(scale, 2, 1)), b.reshape(bias, 2, 1));
        }),
        new ParamCase("PRelu slope", 6, 13, prelu, (b, x, p) -> {
          String xr = b.reshape(x, 0, 2, 3);
          return b.node("Where", new String[] {b.node("Greater", xr, b.scalar(0)), xr, b.node("Mul", xr, param(p, b.random(2, 1)))});
        }),
        new ParamCase("Gather embedding (one-hot)", 4, 13, (b, x, p) -> b.node("Gather", param(p, b.random(5, 3)), indicesFrom(b, x, 5)), null),
        new ParamCase("Gather embedding (scatter-add)", 4, 16, (b, x, p) -> b.node("Gather", param(p, b.random(5, 3)), indicesFrom(b, x, 5)), null),
        new ParamCase("GatherND rows of a table", 4, 16, (b, x, p) -> b.node("GatherND", param(p, b.random(5, 3)),
            b.node("Unsqueeze", indicesFrom(b, x, 5), b.longs(2))), null),
        new ParamCase("Pow exponents", 6, 13, (b, x, p) -> b.node("Pow", positive(b, x), param(p, b.random(6))), null),
        new ParamCase("Einsum weights", 6, 13, (b, x, p) -> b.node("Einsum", b.reshape(x, 0, 2, 3), param(p, b.random(3, 4)),
            Attr.s("equation", "bij,jk->bik")), null),
        new ParamCase("Max with weights", 6, 13, (b, x, p) -> b.node("Max", new String[] {x, param(p, b.random(1, 6))}), null));
  }

  /** ∂(Σ_events out)/∂θ from the derived graph against float64 central differences in θ. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("parameterCases")
  void weightGradientsMatchFiniteDifferences(ParamCase c) {
    java.util.List<String> params = new java.util.ArrayList<>();
    TinyGraph b = new TinyGraph(c.features(), c.opset(), c.name().hashCode());
    ModelProto proto = b.scalarModel(c.body().apply(b, "x", params));
    java.util.List<String> refParams = new java.util.ArrayList<>();
    ModelProto reference = proto;
    if (c.reference() != null) {
      TinyGraph r = new TinyGraph(c.features(), c.opset(), c.name().hashCode());
      reference = r.scalarModel(c.reference().apply(r, "x", refParams));
    } else {
      refParams = params;
    }
    double[] x = OperatorRuleTest.randomInputs(c.features(), c.name().hashCode() + 7L);
    FloatTensor xf = OperatorRuleTest.toFloat(x, c.features());
    BackwardBuilder.Derived d = BackwardBuilder.derive(proto, org.glassbox.engine.model.ShapeProbe.probe(proto),
        GradientRules.standard(), new BackwardBuilder.Request("out", new Seed.OneHot(0), params, java.util.List.of()));
    java.util.List<FloatTensor> grads;
    try (org.glassbox.engine.exec.CompiledGraph g = new org.glassbox.engine.exec.CompiledGraph(d.model().toByteArray(),
        ExecutionOptions.defaults().withThreads(1), c.name())) {
      grads = g.run(java.util.Map.of("x", xf), d.gradientOutputs());
    }
    ModelProto dbl = org.glassbox.engine.model.Precision.toDouble(reference);
    for (int k = 0; k < params.size(); k++) {
      String name = refParams.get(k);
      double[] theta = org.glassbox.engine.model.Protos.doubles(dbl.getGraph().getInitializerList().stream()
          .filter(t -> t.getName().equals(name)).findFirst().orElseThrow());
      double[] fd = new double[theta.length];
      double h = 1e-5;
      for (int i = 0; i < theta.length; i++) {
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[i] += h;
        down[i] -= h;
        fd[i] = (sumOut(withInitializer(dbl, name, up), x) - sumOut(withInitializer(dbl, name, down), x)) / (2 * h);
      }
      AutogradReferenceTest.assertClose(fd, grads.get(k).data(), 2e-4, c + " gradient with respect to parameter " + k);
    }
  }

  static ModelProto withInitializer(ModelProto m, String name, double[] values) {
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double v : values) bb.putDouble(v);
    GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        g.setInitializer(i, g.getInitializer(i).toBuilder().clearFloatData().clearDoubleData()
            .setDataType(TensorInfo.DOUBLE).setRawData(com.google.protobuf.ByteString.copyFrom(bb.array())));
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  static double sumOut(ModelProto m, double[] x) {
    try (FiniteDifferences fd = FiniteDifferences.inDouble(m)) {
      assertNotNull(fd, "the reference must run in float64");
      double sum = 0;
      for (double v : fd.run(x, OperatorRuleTest.EVENTS)) sum += v;
      return sum;
    }
  }
}
