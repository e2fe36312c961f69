package org.glassbox.engine.derive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glassbox.engine.model.TensorInfo;

/**
 * The vector-Jacobian rules of exact differentiation, one per ONNX operator, each written in
 * standard ONNX operators that themselves have rules here (so second derivatives close).
 */
public final class GradientRules {
  private GradientRules() {}

  private static final RuleSet STANDARD = build();

  /** The rule set of exact first and higher derivatives. */
  public static RuleSet standard() {
    return STANDARD;
  }

  private static RuleSet build() {
    RuleSet.Builder b = RuleSet.builder("gradient");
    b.constant("Shape", "Size", "Constant", "ConstantOfShape", "Equal", "Greater", "Less", "GreaterOrEqual",
        "LessOrEqual", "Not", "And", "Or", "Xor", "Sign", "Floor", "Ceil", "Round", "ArgMax", "ArgMin", "NonZero",
        "Range", "OneHot", "IsNaN", "IsInf", "EyeLike", "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike");

    b.rule("Identity", v -> v.grad(0, v.dy()));
    // If on a condition known at run time only (one on a fixed shape is inlined first): an If on the same
    // condition whose branches are the vector-Jacobian products of the forward branches. The condition
    // carries no gradient.
    b.rule("If", Subgraphs.ifRule(GradientRules::standard), 0);
    b.rule("Dropout", v -> v.grad(0, v.dy()), 1, 2);
    b.rule("Add", v -> {
      v.grad(0, v.unbroadcast(v.dy(), v.in(0)));
      v.grad(1, v.unbroadcast(v.dy(), v.in(1)));
    });
    b.rule("Sub", v -> {
      v.grad(0, v.unbroadcast(v.dy(), v.in(0)));
      if (v.wants(1)) v.grad(1, v.unbroadcast(v.emit().neg(v.dy()), v.in(1)));
    });
    b.rule("Sum", v -> {
      for (int i = 0; i < v.node().getInputCount(); i++) v.grad(i, v.unbroadcast(v.dy(), v.in(i)));
    });
    b.rule("Mul", v -> {
      GraphEmitter e = v.emit();
      if (v.wants(0)) v.grad(0, v.unbroadcast(e.mul(v.dy(), v.in(1)), v.in(0)));
      if (v.wants(1)) v.grad(1, v.unbroadcast(e.mul(v.dy(), v.in(0)), v.in(1)));
    });
    b.rule("Div", v -> {
      GraphEmitter e = v.emit();
      if (v.wants(0)) v.grad(0, v.unbroadcast(e.div(v.dy(), v.in(1)), v.in(0)));
      if (v.wants(1)) v.grad(1, v.unbroadcast(e.neg(e.mul(v.dy(), e.div(v.out(0), v.in(1)))), v.in(1)));
    });
    b.rule("Neg", v -> v.grad(0, v.emit().neg(v.dy())));
    // ReLU's derivative is 1 where its output is > 0, else 0 (0 at 0, as in PyTorch). A mask times dy
    // runs far faster in ONNX Runtime than Where with a broadcast scalar.
    b.rule("Relu", v -> v.grad(0, v.emit().mul(v.dy(), positive(v, v.out(0)))));
    b.rule("LeakyRelu", v -> {
      GraphEmitter e = v.emit();
      float alpha = v.attrFloat("alpha", 0.01f);
      if (alpha > 0 && alpha <= 1) {
        // The output has the input's sign; max(mask, alpha) is 1 above 0 and alpha at and below (PyTorch's
        // convention at 0), one elementwise pass fewer than mask·(1 − alpha) + alpha (about 5% of a deep MLP's
        // gradient). Reading the output lets ONNX Runtime fuse Gemm and LeakyRelu.
        v.grad(0, e.mul(v.dy(), e.op("Max", positive(v, v.out(0)), v.scalar(alpha))));
      } else {
        v.grad(0, e.where(e.op("Greater", v.in(0), v.scalar(0)), v.dy(), e.mul(v.dy(), v.scalar(alpha))));
      }
    });
    b.rule("Elu", v -> {
      GraphEmitter e = v.emit();
      float alpha = v.attrFloat("alpha", 1f);
      v.grad(0, e.where(e.op("Greater", v.in(0), v.scalar(0)), v.dy(), e.mul(v.dy(), e.add(v.out(0), v.scalar(alpha)))));
    });
    b.rule("Selu", v -> {
      GraphEmitter e = v.emit();
      double alpha = v.attrFloat("alpha", 1.67326319217681884765625f);
      double gamma = v.attrFloat("gamma", 1.05070102214813232421875f);
      v.grad(0, e.where(e.op("Greater", v.in(0), v.scalar(0)), e.mul(v.dy(), v.scalar(gamma)),
          e.mul(v.dy(), e.add(v.out(0), v.scalar(gamma * alpha)))));
    });
    b.rule("Tanh", v -> {
      GraphEmitter e = v.emit();
      v.grad(0, e.mul(v.dy(), e.sub(v.scalar(1), e.mul(v.out(0), v.out(0)))));
    });
    b.rule("Sigmoid", v -> {
      GraphEmitter e = v.emit();
      v.grad(0, e.mul(v.dy(), e.mul(v.out(0), e.sub(v.scalar(1), v.out(0)))));
    });
    b.rule("Softmax", v -> {
      GraphEmitter e = v.emit();
      long[] axes = softmaxAxes(v);
      String s = e.reduceSum(e.mul(v.dy(), v.out(0)), axes, true);
      v.grad(0, e.mul(v.out(0), e.sub(v.dy(), s)));
    });
    b.rule("LogSoftmax", v -> {
      GraphEmitter e = v.emit();
      long[] axes = softmaxAxes(v);
      v.grad(0, e.sub(v.dy(), e.mul(e.op("Exp", v.out(0)), e.reduceSum(v.dy(), axes, true))));
    });
    b.rule("Exp", v -> v.grad(0, v.emit().mul(v.dy(), v.out(0))));
    b.rule("Log", v -> v.grad(0, v.emit().div(v.dy(), v.in(0))));
    b.rule("Sqrt", v -> v.grad(0, v.emit().div(v.emit().mul(v.dy(), v.scalar(0.5)), v.out(0))));
    b.rule("Abs", v -> v.grad(0, v.emit().mul(v.dy(), v.emit().op("Sign", v.in(0)))));
    b.rule("Clip", GradientRules::clip, 1, 2);
    b.rule("Where", v -> {
      GraphEmitter e = v.emit();
      if (v.wants(1)) v.grad(1, v.unbroadcast(e.where(v.in(0), v.dy(), v.scalar(0)), v.in(1)));
      if (v.wants(2)) v.grad(2, v.unbroadcast(e.where(v.in(0), v.scalar(0), v.dy()), v.in(2)));
    }, 0);
    b.rule("Cast", v -> {
      if (v.info(v.in(0)).isFloating() && v.info(v.out(0)).isFloating()) {
        v.grad(0, v.emit().op("Cast", List.of(v.dy()), Attr.i("to", v.info(v.in(0)).elemType())));
      }
    });
    b.rule("Expand", v -> v.grad(0, v.unbroadcast(v.dy(), v.in(0))), 1);
    b.rule("CumSum", v -> v.grad(0, v.emit().op("CumSum", List.of(v.dy(), v.in(1)),
        Attr.i("exclusive", v.attrInt("exclusive", 0)), Attr.i("reverse", 1 - v.attrInt("reverse", 0)))), 1);

    b.rule("Gemm", GradientRules::gemm);
    b.rule("MatMul", GradientRules::matMul);
    b.rule("Transpose", v -> {
      int rank = v.info(v.in(0)).rank();
      long[] perm = v.attrInts("perm", reversed(rank));
      long[] inverse = new long[rank];
      for (int i = 0; i < rank; i++) inverse[(int) perm[i]] = i;
      v.grad(0, v.emit().transpose(v.dy(), inverse));
    });
    VjpRule reshapeBack = v -> v.grad(0, v.emit().reshapeLike(v.dy(), v.in(0)));
    b.rule("Reshape", reshapeBack, 1);
    b.rule("Flatten", reshapeBack);
    b.rule("Squeeze", reshapeBack, 1);
    b.rule("Unsqueeze", reshapeBack, 1);
    b.rule("Concat", GradientRules::concat);
    b.rule("Slice", GradientRules::slice, 1, 2, 3, 4);
    b.rule("Pad", GradientRules::pad, 1, 2, 3);
    b.rule("BatchNormalization", GradientRules::batchNorm, 1, 2, 3, 4);

    ElementwiseRules.register(b);
    ReduceRules.register(b);
    NormRules.register(b);
    IndexRules.register(b);
    b.rule("Einsum", EinsumRule::apply);
    Recurrent.register(b);

    b.rule("Conv", ConvRules::conv);
    b.rule("ConvTranspose", ConvRules::convTranspose);
    b.rule("MaxPool", ConvRules::maxPool);
    b.rule("MaxUnpool", v -> {
      // MaxUnpool places x at flat indices; its adjoint gathers dy back from them.
      GraphEmitter e = v.emit();
      String flat = e.op("GatherElements", List.of(e.reshape(v.dy(), -1L), e.reshape(v.in(1), -1L)), Attr.i("axis", 0));
      v.grad(0, e.reshapeLike(flat, v.in(0)));
    }, 1, 2);
    b.rule("ScatterElements", GradientRules::scatterElements, 1);
    b.rule("GatherElements", GradientRules::gatherElements, 1);
    b.rule("AveragePool", ConvRules::averagePool);
    b.rule("GlobalAveragePool", ConvRules::globalAveragePool);
    return b.build();
  }

  /**
   * 1 where t > 0, else 0, in t's type: the (leaky) ReLU masks. Greater then Cast runs about a fifth
   * faster in ONNX Runtime than the unary Sign used before (measured on the seed 000 MLP's gradient).
   */
  static String positive(Vjp v, String t) {
    GraphEmitter e = v.emit();
    return e.op("Cast", List.of(e.op("Greater", t, v.scalar(0))), Attr.i("to", v.type()));
  }

  static long[] reversed(int rank) {
    long[] p = new long[rank];
    for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
    return p;
  }

  private static long[] softmaxAxes(Vjp v) {
    int rank = v.info(v.in(0)).rank();
    long axis = Vjp.axis(v.attrInt("axis", v.opset() >= 13 ? -1 : 1), rank);
    if (v.opset() >= 13) return new long[] {axis};
    // Before opset 13, Softmax coerced the input to 2-D at `axis`: normalisation runs over all later axes.
    long[] axes = new long[(int) (rank - axis)];
    for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
    return axes;
  }

  private static void clip(Vjp v) {
    GraphEmitter e = v.emit();
    String x = v.in(0);
    String inside = null;
    if (v.hasInput(1)) inside = e.op("Not", e.op("Less", x, v.in(1)));
    if (v.hasInput(2)) {
      String below = e.op("Not", e.op("Greater", x, v.in(2)));
      inside = inside == null ? below : e.op("And", inside, below);
    }
    v.grad(0, inside == null ? v.dy() : e.where(inside, v.dy(), v.scalar(0)));
  }

  private static void gemm(Vjp v) {
    GraphEmitter e = v.emit();
    String a = v.in(0);
    String b = v.in(1);
    boolean ta = v.attrInt("transA", 0) != 0;
    boolean tb = v.attrInt("transB", 0) != 0;
    float alpha = v.attrFloat("alpha", 1f);
    float beta = v.attrFloat("beta", 1f);
    if (v.wants(0)) {
      v.grad(0, ta
          ? e.op("Gemm", List.of(b, v.dy()), Attr.i("transA", tb ? 1 : 0), Attr.i("transB", 1), Attr.f("alpha", alpha))
          : e.op("Gemm", List.of(v.dy(), b), Attr.i("transB", tb ? 0 : 1), Attr.f("alpha", alpha)));
    }
    if (v.wants(1)) {
      v.grad(1, tb
          ? e.op("Gemm", List.of(v.dy(), a), Attr.i("transA", 1), Attr.i("transB", ta ? 1 : 0), Attr.f("alpha", alpha))
          : e.op("Gemm", List.of(a, v.dy()), Attr.i("transA", ta ? 0 : 1), Attr.f("alpha", alpha)));
    }
    if (v.wants(2)) {
      String scaled = beta == 1f ? v.dy() : e.mul(v.dy(), v.scalar(beta));
      v.grad(2, v.unbroadcast(scaled, v.in(2)));
    }
  }

  private static void matMul(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo ai = v.info(v.in(0));
    TensorInfo bi = v.info(v.in(1));
    long[] y = v.info(v.out(0)).dims();
    if (ai.rank() < 2) throw v.unsupported("MatMul with a 1-D first operand is not supported; reshape it to 2-D.");
    if (bi.rank() == 1) {
      // y[..., ] = a[..., K] @ b[K]
      String dy1 = e.unsqueeze(v.dy(), -1L);
      if (v.wants(0)) v.grad(0, e.mul(dy1, v.in(1)));
      if (v.wants(1)) {
        long[] axes = new long[ai.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        v.grad(1, e.reduceSum(e.mul(dy1, v.in(0)), axes, false));
      }
      return;
    }
    if (v.wants(0)) {
      String g = e.op("MatMul", v.dy(), swapLast(e, v.in(1), bi.rank()));
      long[] gd = concatDims(Arrays.copyOf(y, y.length - 2), ai.dim(-2), ai.dim(-1));
      v.grad(0, v.unbroadcast(g, gd, v.in(0)));
    }
    if (v.wants(1)) {
      String g = e.op("MatMul", swapLast(e, v.in(0), ai.rank()), v.dy());
      long[] gd = concatDims(Arrays.copyOf(y, y.length - 2), bi.dim(-2), bi.dim(-1));
      v.grad(1, v.unbroadcast(g, gd, v.in(1)));
    }
  }

  private static long[] concatDims(long[] lead, long a, long b) {
    long[] out = Arrays.copyOf(lead, lead.length + 2);
    out[lead.length] = a;
    out[lead.length + 1] = b;
    return out;
  }

  private static String swapLast(GraphEmitter e, String x, int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) perm[i] = i;
    perm[rank - 1] = rank - 2;
    perm[rank - 2] = rank - 1;
    return e.transpose(x, perm);
  }

  private static void concat(Vjp v) {
    GraphEmitter e = v.emit();
    int rank = v.info(v.out(0)).rank();
    long axis = Vjp.axis(v.attrInt("axis", 0), rank);
    long offset = 0;
    for (int i = 0; i < v.node().getInputCount(); i++) {
      long size = v.info(v.in(i)).dim((int) axis);
      if (size == TensorInfo.DYNAMIC) throw v.unsupported("concatenation along the batch axis is not supported.");
      if (v.wants(i)) {
        v.grad(i, e.op("Slice", List.of(v.dy(), e.longs(offset), e.longs(offset + size), e.longs(axis))));
      }
      offset += size;
    }
  }

  /**
   * The adjoint of Slice puts dy back where it came from, zeros elsewhere. For a step s the elements
   * of dy are first spread s apart (each followed by s - 1 zeros); a negative step is a positive one
   * over the reversed dy (reversing is a Slice with step -1, its own adjoint). One Pad then places
   * every axis at its start (negative pads crop what the spreading put past the end).
   */
  private static void slice(Vjp v) {
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    long[] starts = v.constLongs(1);
    long[] ends = v.constLongs(2);
    if (starts == null || ends == null) throw v.unsupported("Slice bounds computed at run time are not supported.");
    long[] axes = v.hasInput(3) ? v.constLongs(3) : null;
    long[] steps = v.hasInput(4) ? v.constLongs(4) : null;
    if ((v.hasInput(3) && axes == null) || (v.hasInput(4) && steps == null)) {
      throw v.unsupported("Slice axes or steps computed at run time are not supported.");
    }
    GraphEmitter e = v.emit();
    long[] yDims = v.info(v.out(0)).dims().clone();
    String g = v.dy();
    long[] pads = new long[2 * rank];
    for (int k = 0; k < starts.length; k++) {
      int axis = (int) Vjp.axis(axes == null ? k : axes[k], rank);
      long step = steps == null ? 1 : steps[k];
      long dim = x.dim(axis);
      long s = starts[k];
      long t = ends[k];
      if (dim == TensorInfo.DYNAMIC) {
        if (step == 1 && s == 0 && t >= Integer.MAX_VALUE) continue;
        throw v.unsupported("slicing the batch axis is not supported.");
      }
      long n = yDims[axis];
      long first;
      long stride = Math.abs(step);
      if (step > 0) {
        first = Math.min(Math.max(s < 0 ? s + dim : s, 0), dim);
      } else {
        // Clamped as ONNX does for negative steps, then read backwards: the last element taken comes first.
        long start = Math.min(Math.max(s < 0 ? s + dim : s, 0), dim - 1);
        first = start - (n - 1) * stride;
        if (n > 0) {
          g = e.op("Slice", List.of(g, e.longs(-1), e.longs(Long.MIN_VALUE), e.longs(axis), e.longs(-1)));
        }
      }
      if (n == 0) {
        first = 0;
      } else if (stride > 1) {
        // [.., n, ..] -> [.., n, 1, ..] -> pad to [.., n, stride, ..] -> [.., n * stride, ..]
        String spread = e.unsqueeze(g, axis + 1L);
        long[] spreadPads = new long[2 * (rank + 1)];
        spreadPads[rank + 1 + axis + 1] = stride - 1;
        spread = e.op("Pad", List.of(spread, e.longs(spreadPads)));
        long[] merged = new long[rank];
        for (int i = 0; i < rank; i++) merged[i] = i < axis ? 0 : yDims[i] == TensorInfo.DYNAMIC ? -1 : yDims[i];
        merged[axis] = n * stride;
        g = e.reshape(spread, merged);
        yDims[axis] = n * stride;
        n = n * stride;
      }
      pads[axis] = first;
      pads[axis + rank] = dim - first - n;
    }
    boolean any = false;
    for (long p : pads) any |= p != 0;
    v.grad(0, any ? e.op("Pad", List.of(g, e.longs(pads))) : g);
  }

  private static void pad(Vjp v) {
    String mode = v.attrString("mode", "constant");
    if (!mode.equals("constant")) throw v.unsupported("Pad mode '" + mode + "' is not supported yet (constant is).");
    GraphEmitter e = v.emit();
    // The adjoint of padding is cropping, which ONNX Pad does with negative pads.
    List<String> inputs = new ArrayList<>(List.of(v.dy(), e.neg(v.in(1))));
    if (v.hasInput(3)) {
      inputs.add("");
      inputs.add(v.in(3));
    }
    v.grad(0, e.op("Pad", inputs));
  }

  private static void scatterElements(Vjp v) {
    GraphEmitter e = v.emit();
    long axis = v.attrInt("axis", 0);
    String reduction = v.attrString("reduction", "none");
    if (!reduction.equals("none") && !reduction.equals("add")) throw v.unsupported("reduction '" + reduction + "'");
    if (v.wants(0)) {
      // Overwritten positions take no gradient from the data; added ones pass it through.
      v.grad(0, reduction.equals("add") ? v.dy()
          : e.op("ScatterElements", List.of(v.dy(), v.in(1), e.mul(v.in(2), v.scalar(0))), Attr.i("axis", axis)));
    }
    if (v.wants(2)) v.grad(2, e.op("GatherElements", List.of(v.dy(), v.in(1)), Attr.i("axis", axis)));
  }

  private static void gatherElements(Vjp v) {
    GraphEmitter e = v.emit();
    if (v.opset() < 16) {
      throw v.unsupported("the gradient of GatherElements must add duplicate indices, which ONNX ScatterElements"
          + " does from opset 16 on; re-export the model with opset 16 or newer.");
    }
    v.grad(0, e.op("ScatterElements", List.of(e.mul(v.in(0), v.scalar(0)), v.in(1), v.dy()),
        Attr.i("axis", v.attrInt("axis", 0)), Attr.s("reduction", "add")));
  }

  private static void batchNorm(Vjp v) {
    GraphEmitter e = v.emit();
    if (v.attrInt("training_mode", 0) != 0) throw v.unsupported("BatchNormalization in training mode; export the model in eval mode.");
    TensorInfo x = v.info(v.in(0));
    float eps = v.attrFloat("epsilon", 1e-5f);
    String factor = e.div(v.in(1), e.op("Sqrt", e.add(v.in(4), v.scalar(eps))));
    if (x.rank() > 2) {
      long[] shape = new long[x.rank() - 1];
      Arrays.fill(shape, 1);
      shape[0] = x.dim(1);
      factor = e.reshape(factor, shape);
    }
    v.grad(0, e.mul(v.dy(), factor));
  }
}
