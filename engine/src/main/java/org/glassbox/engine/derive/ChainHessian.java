package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * Per-event Hessians of networks that are a chain of affine maps and elementwise activations (the
 * common MLP), by the layered formula
 *
 * <pre>H = Σ_l Z_lᵀ · diag(g_l ⊙ φ_l''(a_l)) · Z_l,   Z_l = ∂a_l/∂x,   g_l = ∂z/∂φ_l(a_l)</pre>
 *
 * with Z_l carried forward (forward mode, one tangent per input feature) in the same ONNX graph.
 * This costs about F forward passes plus small products, instead of the F Hessian-vector products
 * (each about four passes) of the general path. Piecewise-linear activations have φ'' = 0 and add
 * nothing: a ReLU body under a sigmoid gives the rank-1 Hessian σ''·∇a∇aᵀ.
 */
final class ChainHessian {
  private ChainHessian() {}

  /** One step of the chain: an affine map (with its linear part) or an elementwise activation. */
  private record Step(NodeProto node, String in, String out, boolean activation) {}

  private static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "Tanh", "Sigmoid", "Elu", "Selu",
      "Softplus", "Identity", "Dropout");

  /** The Hessian graph (input x, output [N, F, F]), or null if the path from x to the target is not such a chain. */
  static BackwardBuilder.Derived build(ModelProto model, Shapes shapes, String input, String target, int index) {
    GraphProto g = model.getGraph();
    Map<String, TensorProto> constants = Protos.constants(g);
    List<Step> chain = chain(g, constants, shapes, input, target);
    if (chain == null) return null;
    int features = (int) shapes.get(input).dim(1);
    int type = shapes.get(input).elemType();

    Set<String> taken = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      taken.addAll(n.getOutputList());
      taken.add(n.getName());
    }
    taken.addAll(constants.keySet());
    taken.add(input);
    GraphEmitter e = new GraphEmitter(taken, GradientRules.standard()::knows, "gbh/", Protos.opset(model));

    // Forward mode: Z = ∂t/∂x as [N or 1, F, width], starting from the identity.
    double[] eye = new double[features * features];
    for (int i = 0; i < features; i++) eye[i * features + i] = 1;
    String z = e.tensor(eye, new long[] {1, features, features}, type);
    Map<String, String> jacobianOfInput = new HashMap<>();
    Map<String, String> slopes = new HashMap<>();
    for (Step s : chain) {
      if (s.activation()) {
        jacobianOfInput.put(s.out(), z);
        String slope = slope(e, s, type);
        slopes.put(s.out(), slope);
        if (slope != null) z = e.mul(z, e.unsqueeze(slope, 1L));
      } else {
        z = affineForward(e, s, z, shapes, type);
      }
    }

    // Reverse mode from the neuron: g at every activation output.
    TensorInfo t = shapes.get(target);
    double[] onehot = new double[(int) t.dim(1)];
    onehot[index] = 1;
    String cot = e.op("Expand", e.tensor(onehot, new long[] {1, onehot.length}, type), e.op("Shape", target));
    String hessian = null;
    for (int k = chain.size() - 1; k >= 0; k--) {
      Step s = chain.get(k);
      if (s.activation()) {
        String curvature = curvature(e, s, type);
        if (curvature != null) {
          String weights = e.unsqueeze(e.mul(cot, curvature), 1L);
          String zl = jacobianOfInput.get(s.out());
          String term = e.op("MatMul", e.mul(zl, weights), e.transpose(zl, 0, 2, 1));
          hessian = hessian == null ? term : e.add(hessian, term);
        }
        if (k > 0 && slopes.get(s.out()) != null) cot = e.mul(cot, slopes.get(s.out()));
      } else if (k > 0) {
        cot = affineBackward(e, s, cot, type);
      }
    }
    if (hessian == null) {
      // Piecewise linear throughout: the Hessian vanishes almost everywhere.
      hessian = e.op("Expand", e.scalar(0, type), e.op("Concat", List.of(
          e.op("Slice", List.of(e.op("Shape", input), e.longs(0), e.longs(1))), e.longs(features, features)),
          Attr.i("axis", 0)));
    } else {
      hessian = e.op("Expand", hessian, e.op("Concat", List.of(
          e.op("Slice", List.of(e.op("Shape", input), e.longs(0), e.longs(1))), e.longs(features, features)),
          Attr.i("axis", 0)));
    }
    String out = e.fresh("hessian");
    GraphProto.Builder gb = g.toBuilder().clearOutput();
    gb.addAllNode(e.nodes());
    gb.addNode(NodeProto.newBuilder().setOpType("Identity").setName(e.fresh("n_out")).addInput(hessian).addOutput(out));
    gb.addAllInitializer(e.constants());
    gb.addOutput(Protos.valueInfo(out, type, new long[] {TensorInfo.DYNAMIC, features, features}));
    return new BackwardBuilder.Derived(model.toBuilder().setGraph(BackwardBuilder.prune(gb.build())).build(), List.of(out), List.of());
  }

  /** The steps from input to target, or null if some node on the way is not affine or elementwise. */
  private static List<Step> chain(GraphProto g, Map<String, TensorProto> constants, Shapes shapes, String input, String target) {
    if (shapes.get(input).rank() != 2 || shapes.get(target).rank() != 2) return null;
    Map<String, List<NodeProto>> consumers = new HashMap<>();
    for (NodeProto n : g.getNodeList()) for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
    List<Step> steps = new ArrayList<>();
    String t = input;
    while (!t.equals(target)) {
      List<NodeProto> next = consumers.getOrDefault(t, List.of());
      if (next.size() != 1) return null;
      NodeProto n = next.get(0);
      String op = n.getOpType();
      String out = n.getOutput(0);
      if (shapes.find(out).map(TensorInfo::rank).orElse(0) != 2) return null;
      if (ACTIVATIONS.contains(op)) {
        steps.add(new Step(n, t, out, true));
      } else if (op.equals("Gemm")) {
        if (!n.getInput(0).equals(t) || !constants.containsKey(n.getInput(1)) || Protos.attrInt(n, "transA", 0) != 0) return null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && !constants.containsKey(n.getInput(2))) return null;
        steps.add(new Step(n, t, out, false));
      } else if (op.equals("MatMul")) {
        if (!n.getInput(0).equals(t) || !constants.containsKey(n.getInput(1))) return null;
        steps.add(new Step(n, t, out, false));
      } else if (op.equals("Add") || op.equals("Sub") && n.getInput(0).equals(t)) {
        String other = n.getInput(0).equals(t) ? n.getInput(1) : n.getInput(0);
        if (!constants.containsKey(other) || shapes.get(other).eventSize() > shapes.get(out).dim(1)) return null;
        steps.add(new Step(n, t, out, false));
      } else {
        return null;
      }
      t = out;
    }
    return steps;
  }

  /** The linear part of an affine step applied to Z [., F, w_in]. */
  private static String affineForward(GraphEmitter e, Step s, String z, Shapes shapes, int type) {
    NodeProto n = s.node();
    switch (n.getOpType()) {
      case "Gemm": {
        String b = Protos.attrInt(n, "transB", 0) != 0 ? e.transpose(n.getInput(1), 1, 0) : n.getInput(1);
        float alpha = Protos.attrFloat(n, "alpha", 1f);
        String zb = e.op("MatMul", z, b);
        return alpha == 1f ? zb : e.mul(zb, e.scalar(alpha, type));
      }
      case "MatMul":
        return e.op("MatMul", z, n.getInput(1));
      default:
        return z; // adding a constant does not change the Jacobian
    }
  }

  /** The transposed linear part applied to a cotangent [N, w_out]. */
  private static String affineBackward(GraphEmitter e, Step s, String cot, int type) {
    NodeProto n = s.node();
    switch (n.getOpType()) {
      case "Gemm": {
        float alpha = Protos.attrFloat(n, "alpha", 1f);
        return e.op("Gemm", List.of(cot, n.getInput(1)), Attr.i("transB", Protos.attrInt(n, "transB", 0) != 0 ? 0 : 1),
            Attr.f("alpha", alpha));
      }
      case "MatMul":
        return e.op("MatMul", cot, e.transpose(n.getInput(1), 1, 0));
      default:
        return cot;
    }
  }

  /** φ'(a) as a tensor [N, w], or null where it is 1. */
  private static String slope(GraphEmitter e, Step s, int type) {
    NodeProto n = s.node();
    String y = s.out();
    String a = s.in();
    switch (n.getOpType()) {
      case "Relu":
        return e.op("Sign", y);
      case "LeakyRelu": {
        float alpha = Protos.attrFloat(n, "alpha", 0.01f);
        if (alpha > 0 && alpha <= 1) return e.op("Clip", List.of(e.op("Sign", y), e.scalar(alpha, type), e.scalar(1, type)));
        return e.where(e.op("Greater", a, e.scalar(0, type)), e.scalar(1, type), e.scalar(alpha, type));
      }
      case "Tanh":
        return e.sub(e.scalar(1, type), e.mul(y, y));
      case "Sigmoid":
        return e.mul(y, e.sub(e.scalar(1, type), y));
      case "Elu": {
        float alpha = Protos.attrFloat(n, "alpha", 1f);
        return e.where(e.op("Greater", a, e.scalar(0, type)), e.scalar(1, type), e.add(y, e.scalar(alpha, type)));
      }
      case "Selu": {
        double alpha = Protos.attrFloat(n, "alpha", 1.67326319217681884765625f);
        double gamma = Protos.attrFloat(n, "gamma", 1.05070102214813232421875f);
        return e.where(e.op("Greater", a, e.scalar(0, type)), e.scalar(gamma, type), e.add(y, e.scalar(gamma * alpha, type)));
      }
      case "Softplus":
        return e.op("Sigmoid", a);
      default:
        return null;
    }
  }

  /** φ''(a) as a tensor [N, w], or null where it vanishes (piecewise-linear activations). */
  private static String curvature(GraphEmitter e, Step s, int type) {
    NodeProto n = s.node();
    String y = s.out();
    String a = s.in();
    switch (n.getOpType()) {
      case "Tanh": // -2 y (1 - y²)
        return e.mul(e.mul(y, e.scalar(-2, type)), e.sub(e.scalar(1, type), e.mul(y, y)));
      case "Sigmoid": // y (1 - y)(1 - 2y)
        return e.mul(e.mul(y, e.sub(e.scalar(1, type), y)), e.sub(e.scalar(1, type), e.mul(y, e.scalar(2, type))));
      case "Elu": {
        float alpha = Protos.attrFloat(n, "alpha", 1f);
        return e.where(e.op("Greater", a, e.scalar(0, type)), e.scalar(0, type), e.add(y, e.scalar(alpha, type)));
      }
      case "Selu": {
        double alpha = Protos.attrFloat(n, "alpha", 1.67326319217681884765625f);
        double gamma = Protos.attrFloat(n, "gamma", 1.05070102214813232421875f);
        return e.where(e.op("Greater", a, e.scalar(0, type)), e.scalar(0, type), e.add(y, e.scalar(gamma * alpha, type)));
      }
      case "Softplus": {
        String sig = e.op("Sigmoid", a);
        return e.mul(sig, e.sub(e.scalar(1, type), sig));
      }
      default:
        return null;
    }
  }
}
