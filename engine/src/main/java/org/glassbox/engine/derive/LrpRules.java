package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;

/**
 * Layer-wise relevance propagation as a rule set on the same backward builder ("modified
 * gradients", as Zennit does): linear layers get their composite's rule, activations and (folded)
 * batch norms pass relevance, max-pooling routes it to the winner, average pooling and sums take
 * the z-rule, reshaping operators move it like a gradient. Every rule is written with the gradient
 * rule of its operator: for a linear map, R_in = a ⊙ VJP(R / z). Recurrent cells (unrolled) and
 * attention blocks follow Arras et al. (2017) and Ali et al. (2022); see {@link LrpSequenceRules}.
 */
final class LrpRules {
  static final Set<String> LINEAR = Set.of("Gemm", "MatMul", "Conv", "ConvTranspose");
  private static final Set<String> PASS = Set.of("Relu", "LeakyRelu", "Elu", "Selu", "Tanh", "Sigmoid", "Softplus", "Softsign",
      "BatchNormalization", "Gelu", "HardSigmoid", "PRelu", "Clip");
  private static final Set<String> STRUCTURAL = Set.of("Identity", "Dropout", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
      "Transpose", "Concat", "Slice", "Pad", "Expand", "Cast", "Split", "Where");
  private static final double STABILISER = 1e-6;

  private LrpRules() {}

  /** The linear nodes of a graph in order, as seed 000 counts layers (MatMul only with a constant operand). */
  static List<NodeProto> linearNodes(GraphProto g) {
    Set<String> constants = Protos.constants(g).keySet();
    List<NodeProto> out = new ArrayList<>();
    for (NodeProto n : g.getNodeList()) {
      if (!LINEAR.contains(n.getOpType())) continue;
      if (n.getOpType().equals("MatMul") && !constants.contains(n.getInput(1))) continue;
      out.add(n);
    }
    return out;
  }

  /** The rule of every linear node (by its first output), from the composite. */
  static Map<String, LrpRule> assign(GraphProto g, LrpComposite c) {
    Map<String, LrpRule> rules = new HashMap<>();
    List<NodeProto> linear = linearNodes(g);
    for (int layer : c.layers().keySet()) {
      if (layer < 1 || layer > linear.size()) {
        List<String> exist = new ArrayList<>();
        for (int i = 0; i < linear.size(); i++) exist.add("L" + (i + 1) + " (" + linear.get(i).getOpType() + ")");
        throw new org.glassbox.api.OptionException("layer_rules", "layer_rules names L" + layer + ", but the model has "
            + (linear.isEmpty() ? "no linear layers" : linear.size() + " linear layer" + (linear.size() == 1 ? "" : "s")
            + " that LRP rules apply to: " + String.join(", ", exist)) + ".");
      }
    }
    for (int i = 0; i < linear.size(); i++) {
      NodeProto n = linear.get(i);
      boolean conv = n.getOpType().startsWith("Conv");
      LrpRule r = conv ? c.convolution() : c.dense();
      if (i == 0 && c.first().isPresent()) r = c.first().get();
      if (c.layers().containsKey(i + 1)) r = c.layers().get(i + 1);
      rules.put(n.getOutput(0), r);
    }
    return rules;
  }

  static RuleSet build(LrpComposite composite, Map<String, LrpRule> byNode) {
    RuleSet standard = GradientRules.standard();
    RuleSet.Builder b = RuleSet.builder("LRP (" + composite.name() + ")");
    standard.knownOperators().stream().filter(standard::isConstant).forEach(b::constant);
    for (String op : standard.differentiableOperators()) {
      if (STRUCTURAL.contains(op)) {
        b.rule(op, standard.rule(op), stopped(standard, op));
      } else {
        // Emittable (so rules may use them), but without a relevance meaning on the propagation path.
        b.rule(op, v -> {
          throw v.unsupported("LRP has no rule for " + op + "; it propagates through linear layers, activations, pooling,"
              + " batch normalisation, reshaping operators, sums, differences, means and maxima over particles, gathers of"
              + " neighbours, division by counts, recurrent cells (gates take no relevance) and attention (softmax"
              + " weights and LayerNorm scaling held constant).");
        }, stopped(standard, op));
      }
    }
    for (String op : PASS) b.rule(op, v -> v.grad(0, v.dy()), 1, 2, 3, 4);
    b.rule("MaxPool", v -> ConvRules.maxPool(v, false));
    b.rule("AveragePool", v -> zRule(v, v.node()));
    b.rule("GlobalAveragePool", v -> zRule(v, v.node()));
    // Sum and mean pooling over particles (deep sets, masked means): linear, so the z-rule conserves relevance.
    for (String op : List.of("ReduceSum", "ReduceMean")) b.rule(op, v -> zRule(v, v.node()), stopped(standard, op));
    // Graph networks: fetching neighbours moves relevance back to the particle it came from (summed over the
    // neighbour lists it is in), and max aggregation gives it to the winner, as max-pooling does.
    for (String op : List.of("Gather", "GatherElements", "GatherND", "ReduceMax", "ReduceMin")) {
      b.rule(op, standard.rule(op), stopped(standard, op));
    }
    b.rule("Sub", LrpRules::sub);
    b.rule("Div", LrpRules::div, stopped(standard, "Div"));
    for (String op : LINEAR) {
      b.rule(op, v -> linear(v, v.node(), null, v.out(0), v.dy(), byNode.get(v.out(0)), g -> v.grad(0, g)));
    }
    b.rule("Add", v -> add(v, byNode));
    // Recurrent and attention models (LrpSequenceRules). LSTM, GRU and RNN are unrolled into primitives
    // before the backward pass; their MatMuls, and the products of two variables in attention, are not
    // counted as layers of the composite and take its dense rule when that is LRP-0 or ε, else ε = 1e-6.
    LrpRule internal = composite.dense() instanceof LrpRule.Zero || composite.dense() instanceof LrpRule.Epsilon
        ? composite.dense() : new LrpRule.Epsilon(STABILISER);
    Recurrent.register(b);
    b.rule("Mul", LrpSequenceRules::mul);
    b.rule("MatMul", v -> {
      LrpRule assigned = byNode.get(v.out(0));
      if (LrpSequenceRules.matMul(v, internal, (z, r) -> denominator(v, z, r))) return;
      linear(v, v.node(), null, v.out(0), v.dy(), assigned != null ? assigned : internal, g -> v.grad(0, g));
    });
    b.rule("LayerNormalization", v -> LrpSequenceRules.layerNorm(v, denominator(v, v.out(0), internal)), 1, 2);
    return b.build();
  }

  private static int[] stopped(RuleSet rules, String op) {
    List<Integer> s = new ArrayList<>();
    for (int i = 0; i < 6; i++) if (!rules.carriesGradient(op, i)) s.add(i);
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  /** z-rule: R_in = a ⊙ VJP(R / stab(z)). */
  private static void zRule(Vjp v, NodeProto node) {
    GraphEmitter e = v.emit();
    String s = e.div(v.dy(), stabilise(v, v.out(0), STABILISER));
    v.grad(0, e.mul(node.getInput(0), vjp(v, node, node.getInput(1 < node.getInputCount() ? 1 : 0), s, null)));
  }

  /** A bias Add right after a linear layer belongs to that layer; any other sum takes the z-rule. */
  private static void add(Vjp v, Map<String, LrpRule> byNode) {
    for (int side = 0; side < 2; side++) {
      int other = 1 - side;
      if (v.constant(other) == null || !v.wants(side)) continue;
      NodeProto lin = v.soleProducer(side);
      if (lin != null && byNode.containsKey(lin.getOutput(0)) && lin.getOpType().equals("MatMul")) {
        linear(v, lin, v.in(other), v.out(0), v.dy(), byNode.get(lin.getOutput(0)), g -> v.gradUpstream(lin.getInput(0), g));
        return;
      }
    }
    GraphEmitter e = v.emit();
    String s = e.div(v.dy(), stabilise(v, v.out(0), STABILISER));
    for (int i = 0; i < 2; i++) if (v.wants(i)) v.grad(i, v.unbroadcast(e.mul(v.in(i), s), v.in(i)));
  }

  /** A difference of two variables (edge features x_j - x_i) takes the z-rule: each side by its signed share. */
  private static void sub(Vjp v) {
    GraphEmitter e = v.emit();
    String s = e.div(v.dy(), stabilise(v, v.out(0), STABILISER));
    if (v.wants(0)) v.grad(0, v.unbroadcast(e.mul(v.in(0), s), v.in(0)));
    if (v.wants(1)) v.grad(1, v.unbroadcast(e.neg(e.mul(v.in(1), s)), v.in(1)));
  }

  /** Division by something that carries no relevance (a particle count, a fixed normalisation) passes it on whole. */
  private static void div(Vjp v) {
    if (v.wants(1)) {
      throw v.unsupported("LRP crosses a division only by a quantity that carries no relevance (a count, a constant);"
          + " node '" + v.node().getName() + "' divides by a function of the inputs.");
    }
    if (v.wants(0)) v.grad(0, v.unbroadcast(v.dy(), v.in(0)));
  }

  private static void linear(Vjp v, NodeProto lin, String extraBias, String z, String relevance, LrpRule rule,
      java.util.function.Consumer<String> deliver) {
    GraphEmitter e = v.emit();
    String a = lin.getInput(0);
    TensorProto w = v.constant(lin, 1);
    boolean linearInA = rule == null || rule instanceof LrpRule.Zero || rule instanceof LrpRule.Epsilon;
    if (w == null && !linearInA) {
      throw v.unsupported("LRP rule " + rule + " needs constant weights in " + lin.getOpType() + " node '" + lin.getName() + "'.");
    }
    if (lin.getOpType().equals("Gemm") && Protos.attrInt(lin, "transA", 0) != 0) throw v.unsupported("Gemm with transA");
    String bias = lin.getInputCount() > 2 && !lin.getInput(2).isEmpty() ? lin.getInput(2) : extraBias;
    TensorProto b = bias == null ? null : v.constantByName(bias);
    int type = v.type();
    if (rule == null) rule = new LrpRule.Epsilon(STABILISER);
    String result;
    if (rule instanceof LrpRule.Zero || rule instanceof LrpRule.Epsilon) {
      String den = rule instanceof LrpRule.Epsilon eps ? stabilise(v, z, eps.epsilon()) : safe(v, z);
      result = e.mul(a, vjp(v, lin, lin.getInput(1), e.div(relevance, den), null));
    } else if (rule instanceof LrpRule.Gamma g) {
      String wg = modified(v, w, x -> x + g.gamma() * Math.max(x, 0));
      String bg = b == null ? null : modified(v, b, x -> x + g.gamma() * Math.max(x, 0));
      String zg = forward(v, lin, a, wg, bg);
      result = e.mul(a, vjp(v, lin, wg, e.div(relevance, stabilise(v, zg, STABILISER)), lin.getInput(1)));
    } else if (rule instanceof LrpRule.AlphaBeta || rule instanceof LrpRule.ZPlus) {
      double alpha = rule instanceof LrpRule.AlphaBeta ab ? ab.alpha() : 1;
      double beta = rule instanceof LrpRule.AlphaBeta ab ? ab.beta() : 0;
      boolean withBias = rule instanceof LrpRule.AlphaBeta;
      String wp = modified(v, w, x -> Math.max(x, 0));
      String wn = modified(v, w, x -> Math.min(x, 0));
      String bp = withBias && b != null ? modified(v, b, x -> Math.max(x, 0)) : null;
      String bn = withBias && b != null ? modified(v, b, x -> Math.min(x, 0)) : null;
      String w1 = lin.getInput(1);
      // (a w)⁺ = a⁺w⁺ + a⁻w⁻ and (a w)⁻ = a⁺w⁻ + a⁻w⁺; the bias joins the denominators only. Where a cannot be
      // negative (after a ReLU, pooling of one, ...) a⁻ = 0 and its terms, exactly zero, are not computed.
      boolean nonNegative = nonNegative(v, a, 0);
      String ap = nonNegative ? a : e.op("Relu", a);
      String an = nonNegative ? null : e.sub(a, ap);
      String zp = forward(v, lin, ap, wp, bp);
      if (an != null) zp = e.add(zp, forward(v, lin, an, wn, null));
      String sp = e.div(relevance, safe(v, zp));
      String pos = e.mul(ap, vjp(v, lin, wp, sp, w1));
      if (an != null) pos = e.add(pos, e.mul(an, vjp(v, lin, wn, sp, w1)));
      result = alpha == 1 ? pos : e.mul(pos, e.scalar(alpha, type));
      if (beta != 0) {
        String zn = forward(v, lin, ap, wn, bn);
        if (an != null) zn = e.add(zn, forward(v, lin, an, wp, null));
        String sn = e.div(relevance, safe(v, zn));
        String neg = e.mul(ap, vjp(v, lin, wn, sn, w1));
        if (an != null) neg = e.add(neg, e.mul(an, vjp(v, lin, wp, sn, w1)));
        result = e.sub(result, e.mul(neg, e.scalar(beta, type)));
      }
    } else if (rule instanceof LrpRule.Flat || rule instanceof LrpRule.WSquare) {
      String wm = rule instanceof LrpRule.Flat ? modified(v, w, x -> 1) : modified(v, w, x -> x * x);
      // The denominator does not depend on the data: computed on one event of ones (a constant that ONNX Runtime
      // folds when it loads the graph) and broadcast, where the shape allows.
      String ones = onesEvent(v, a);
      if (ones == null) ones = e.add(e.mul(a, e.scalar(0, type)), e.scalar(1, type));
      String zm = forward(v, lin, ones, wm, null);
      result = vjp(v, lin, wm, e.div(relevance, safe(v, zm)), lin.getInput(1));
    } else if (rule instanceof LrpRule.ZBox box) {
      String wp = modified(v, w, x -> Math.max(x, 0));
      String wn = modified(v, w, x -> Math.min(x, 0));
      String zero = e.mul(a, e.scalar(0, type));
      String low = e.add(zero, e.scalar(box.low(), type));
      String high = e.add(zero, e.scalar(box.high(), type));
      String w1 = lin.getInput(1);
      String zb = e.sub(e.sub(forward(v, lin, a, w1, bias), forward(v, lin, low, wp, null)), forward(v, lin, high, wn, null));
      String s = e.div(relevance, stabilise(v, zb, STABILISER));
      result = e.sub(e.sub(e.mul(a, vjp(v, lin, w1, s, null)), e.mul(low, vjp(v, lin, wp, s, w1))),
          e.mul(high, vjp(v, lin, wn, s, w1)));
    } else {
      throw v.unsupported("unknown LRP rule " + rule);
    }
    deliver.accept(result);
  }

  /** Operators whose output is >= 0 wherever their (first) input is. */
  private static final Set<String> KEEPS_SIGN = Set.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
      "Flatten", "Reshape", "Identity", "Dropout", "Squeeze", "Unsqueeze", "Transpose", "Slice", "Expand");
  /** Operators whose output is >= 0 whatever their input. */
  private static final Set<String> NON_NEGATIVE = Set.of("Relu", "Sigmoid", "Softmax", "Exp", "Abs", "Softplus");

  /** Whether a tensor is >= 0 by construction (e.g. a ReLU's output, or max-pooled from one). */
  static boolean nonNegative(Vjp v, String tensor, int depth) {
    NodeProto p = v.producerOf(tensor);
    if (p == null || depth > 32) return false;
    String op = p.getOpType();
    if (NON_NEGATIVE.contains(op)) return true;
    if (op.equals("Clip") && p.getInputCount() > 1 && !p.getInput(1).isEmpty()) {
      TensorProto min = v.constantByName(p.getInput(1));
      if (min != null && Protos.doubles(min).length == 1 && Protos.doubles(min)[0] >= 0) return true;
    }
    if (op.equals("Concat") || op.equals("Max")) {
      boolean all = p.getInputCount() > 0;
      for (String in : p.getInputList()) all &= nonNegative(v, in, depth + 1);
      if (all || !op.equals("Max")) return all;
      for (String in : p.getInputList()) if (nonNegative(v, in, depth + 1)) return true;
      return false;
    }
    return KEEPS_SIGN.contains(op) && nonNegative(v, p.getInput(0), depth + 1);
  }

  /** A constant of ones shaped like one event of {@code a} (batch axis 1), or null if its shape is not fixed. */
  private static String onesEvent(Vjp v, String a) {
    TensorInfo t = v.info(a);
    long[] dims = t.dims().clone();
    if (dims.length < 2) return null;
    dims[0] = 1;
    long n = 1;
    for (long d : dims) {
      if (d == TensorInfo.DYNAMIC || d <= 0) return null;
      n *= d;
    }
    if (n > 1 << 22) return null;
    double[] ones = new double[(int) n];
    java.util.Arrays.fill(ones, 1);
    return v.emit().tensor(ones, dims, t.elemType());
  }

  /** The denominator of the LRP-0 (zeros replaced by 1) or ε-rule (stabilised) for z. */
  static String denominator(Vjp v, String z, LrpRule rule) {
    if (rule instanceof LrpRule.Epsilon eps) return stabilise(v, z, eps.epsilon());
    if (rule instanceof LrpRule.Zero) return safe(v, z);
    return stabilise(v, z, STABILISER);
  }

  /** z + ε·sign(z), sign(0) = +1 (iNNvestigate's and Zennit's stabiliser). */
  private static String stabilise(Vjp v, String z, double eps) {
    GraphEmitter e = v.emit();
    int type = v.type();
    return e.add(z, e.where(e.op("Less", z, e.scalar(0, type)), e.scalar(-eps, type), e.scalar(eps, type)));
  }

  /** z with zeros replaced by 1: where z = 0 every contribution is 0, so 0/0 := 0 holds. */
  private static String safe(Vjp v, String z) {
    GraphEmitter e = v.emit();
    int type = v.type();
    return e.add(z, e.op("Cast", List.of(e.op("Equal", z, e.scalar(0, type))), Attr.i("to", type)));
  }

  private static String modified(Vjp v, TensorProto t, DoubleUnaryOperator f) {
    double[] values = Protos.doubles(t);
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(values[i]);
    return v.emit().tensor(out, t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
        t.getDataType() == TensorInfo.DOUBLE ? TensorInfo.DOUBLE : TensorInfo.FLOAT);
  }

  /** The linear node applied to other inputs, weights and bias (a MatMul's bias is added after it). */
  private static String forward(Vjp v, NodeProto lin, String a, String w, String bias) {
    GraphEmitter e = v.emit();
    if (lin.getOpType().equals("MatMul")) {
      String y = e.op("MatMul", a, w);
      return bias == null ? y : e.add(y, bias);
    }
    List<String> inputs = new ArrayList<>(List.of(a, w));
    if (bias != null) inputs.add(bias);
    return e.op(lin.getOpType(), inputs, lin.getAttributeList().toArray(new ai.onnx.proto.OnnxMl.AttributeProto[0]));
  }

  /** The VJP of the linear node with respect to its input, with weights {@code w} (shaped like {@code like}). */
  private static String vjp(Vjp v, NodeProto lin, String w, String cotangent, String like) {
    NodeProto.Builder synthetic = lin.toBuilder().clearInput().addInput(lin.getInput(0));
    if (lin.getInputCount() > 1) synthetic.addInput(w);
    Map<String, String> aliases = like == null || like.equals(w) ? Map.of() : Map.of(w, like);
    Vjp inner = v.with(synthetic.build(), cotangent, aliases);
    GradientRules.standard().rule(lin.getOpType()).apply(inner);
    return inner.inputCotangents()[0];
  }
}
