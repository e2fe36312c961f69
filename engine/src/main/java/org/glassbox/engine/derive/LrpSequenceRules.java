package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Set;
import java.util.function.BiFunction;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.engine.model.TensorInfo;

/**
 * LRP rules for recurrent cells (after {@link Recurrent} has unrolled them into primitives) and for
 * attention blocks, as parts of the rule set {@link LrpRules} builds.
 *
 * <ul>
 *   <li><b>Products with a sigmoid gate: the gate takes none</b> (Arras et al., 2017). In a Mul of two
 *       variables where exactly one operand is a gate (the output of a Sigmoid or HardSigmoid, or
 *       {@code 1 - gate} as in GRU's update and LSTM's coupled forget gate), the other operand (the
 *       signal) receives all the relevance of the product and the gate none. A Mul of two variables
 *       with no gate, or with two, is refused. A Mul with one operand that carries no relevance (a
 *       constant, a peephole weight) passes the relevance unchanged, summed over broadcast axes: the
 *       exact z-rule of a one-term product; except that a gate times a signal carrying no relevance (a
 *       constant or zero initial state) passes nothing, the signal absorbing it as a bias would,
 *       unless that signal is a one-element constant (a rescaling of the gate).</li>
 *   <li><b>Attention weights held constant</b> (Ali et al., 2022). In a MatMul of two variables
 *       where one operand comes from a Softmax (possibly through reshaping operators), the softmax
 *       operand is treated as a constant matrix and the other operand (the values) takes the
 *       relevance by the ε/z-rule of that linear map; nothing flows into the softmax and the scores
 *       before it. Any other MatMul of two variables is refused.</li>
 *   <li><b>LayerNormalization with the scale held constant</b> (Ali et al., 2022): with σ fixed the
 *       layer is the linear map x ↦ γ ⊙ (x − mean(x)) / σ + β, and relevance takes its ε-rule:
 *       R_x = x ⊙ (g − mean(g)) with g = γ ⊙ (R / stab(y)) / σ. Without β this is conservative.</li>
 * </ul>
 */
final class LrpSequenceRules {
  /** Operators relevance passes through unchanged when looking for a gate or a softmax. */
  private static final Set<String> THROUGH = Set.of("Identity", "Dropout", "Cast");
  private static final Set<String> RESHAPING = Set.of("Identity", "Dropout", "Cast", "Reshape", "Transpose", "Squeeze",
      "Unsqueeze", "Flatten", "Expand");
  private static final Set<String> GATES = Set.of("Sigmoid", "HardSigmoid");

  private LrpSequenceRules() {}

  /** Whether {@code tensor} is a gate: a (hard) sigmoid output, or one minus a gate. */
  static boolean isGate(Vjp v, String tensor) {
    NodeProto p = v.producerOf(tensor);
    while (p != null && THROUGH.contains(p.getOpType())) p = v.producerOf(p.getInput(0));
    if (p == null) return false;
    if (GATES.contains(p.getOpType())) return true;
    return p.getOpType().equals("Sub") && v.constantByName(p.getInput(0)) != null && isGate(v, p.getInput(1));
  }

  /** Whether {@code tensor} is a Softmax output, possibly reshaped or transposed. */
  static boolean fromSoftmax(Vjp v, String tensor) {
    NodeProto p = v.producerOf(tensor);
    while (p != null && RESHAPING.contains(p.getOpType())) p = v.producerOf(p.getInput(0));
    return p != null && p.getOpType().equals("Softmax");
  }

  /** Mul: the gate rule for products of two variables, relevance passed through a constant factor. */
  static void mul(Vjp v) {
    if (v.wants(0) && v.wants(1)) {
      boolean g0 = isGate(v, v.in(0));
      boolean g1 = isGate(v, v.in(1));
      if (g0 == g1) {
        throw v.unsupported("LRP has no rule for a product of two variables " + (g0 ? "that are both gates" : "of which neither"
            + " is a gate") + "; it propagates through products with a sigmoid gate (the gate takes none, the signal all"
            + " the relevance: Arras et al., 2017) and products with a constant.");
      }
      int signal = g0 ? 1 : 0;
      v.grad(signal, v.unbroadcast(v.dy(), v.in(signal)));
      return;
    }
    for (int i = 0; i < 2; i++) {
      if (!v.wants(i)) continue;
      // A gate times a signal that carries no relevance (a constant initial state): the gate still takes
      // none; the signal absorbs it, as a bias does. Only a rescaling by a one-element constant passes it.
      if (isGate(v, v.in(i)) && !scalarConstant(v, v.in(1 - i))) continue;
      v.grad(i, v.unbroadcast(v.dy(), v.in(i)));
    }
  }

  private static boolean scalarConstant(Vjp v, String tensor) {
    var t = v.constantByName(tensor);
    if (t == null) return false;
    long n = 1;
    for (long d : t.getDimsList()) n *= d;
    return n == 1;
  }

  /**
   * MatMul of two variables, or with only its second operand a variable: the other operand is held
   * constant and the variable one takes the relevance by the ε/z-rule ({@code rule} is LRP-0 or ε).
   * Returns false when only input 0 is a variable (the ordinary linear layer, handled by the caller).
   */
  static boolean matMul(Vjp v, LrpRule rule, BiFunction<String, LrpRule, String> denominator) {
    int variable;
    if (v.wants(0) && v.wants(1)) {
      boolean s0 = fromSoftmax(v, v.in(0));
      boolean s1 = fromSoftmax(v, v.in(1));
      if (s0 == s1) {
        throw v.unsupported("LRP has no rule for a MatMul of two variables " + (s0 ? "that both come from a Softmax"
            : "of which neither comes from a Softmax") + "; it holds attention weights (a Softmax output) constant and"
            + " propagates through the values (Ali et al., 2022).");
      }
      variable = s0 ? 1 : 0;
    } else if (v.wants(1)) {
      variable = 1;
    } else {
      return false;
    }
    GraphEmitter e = v.emit();
    TensorInfo a = v.info(v.in(0));
    TensorInfo b = v.info(v.in(1));
    if (a.rank() < 2 || b.rank() < 2) throw v.unsupported("LRP through a MatMul of vectors (rank 1) is not supported.");
    String s = e.div(v.dy(), denominator.apply(v.out(0), rule));
    long[] dims = v.info(v.out(0)).dims().clone();
    String g;
    if (variable == 0) {
      dims[dims.length - 1] = a.dim(a.rank() - 1);
      g = e.op("MatMul", s, e.transpose(v.in(1), lastTwoSwapped(b.rank())));
    } else {
      dims[dims.length - 2] = b.dim(b.rank() - 2);
      g = e.op("MatMul", e.transpose(v.in(0), lastTwoSwapped(a.rank())), s);
    }
    v.grad(variable, e.mul(v.in(variable), v.unbroadcast(g, dims, v.in(variable))));
    return true;
  }

  private static long[] lastTwoSwapped(int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) perm[i] = i;
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }

  /** LayerNormalization with 1/σ held constant: the ε-rule of x ↦ γ ⊙ (x − mean(x)) / σ + β. */
  static void layerNorm(Vjp v, String denominator) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    int axis = (int) Vjp.axis(v.attrInt("axis", -1), rank);
    long[] axes = new long[rank - axis];
    for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
    for (long ax : axes) {
      if (x.dim((int) ax) == TensorInfo.DYNAMIC) throw v.unsupported("normalising over the batch axis is not supported.");
    }
    double eps = v.attrFloat("epsilon", 1e-5f);
    String mean = e.reduce("ReduceMean", v.in(0), axes, true);
    String centred = e.sub(v.in(0), mean);
    String var = e.reduce("ReduceMean", e.mul(centred, centred), axes, true);
    String inv = e.div(v.scalar(1), e.op("Sqrt", e.add(var, v.scalar(eps))));
    String g = e.div(v.dy(), denominator);
    if (v.hasInput(1)) g = e.mul(g, v.in(1));
    g = e.mul(g, inv);
    v.grad(0, e.mul(v.in(0), e.sub(g, e.reduce("ReduceMean", g, axes, true))));
  }
}
