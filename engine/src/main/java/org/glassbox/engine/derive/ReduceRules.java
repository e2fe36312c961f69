package org.glassbox.engine.derive;

import java.util.Arrays;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of the Reduce* family, in both forms: axes as an attribute (ReduceSum before opset
 * 13, the others before opset 18) and as an input. ReduceMax and ReduceMin send the cotangent to the
 * elements equal to the extremum, split equally among ties (as PyTorch's {@code amax}/{@code amin}).
 * ReduceProd's derivative is the product of the other elements, computed without division so that
 * zeros in the input are exact.
 */
final class ReduceRules {
  private ReduceRules() {}

  static void register(RuleSet.Builder b) {
    b.rule("ReduceSum", v -> reduce(v, (x, y, dy, axes) -> v.emit().op("Expand", dy, v.emit().op("Shape", x))), 1);
    b.rule("ReduceMean", v -> reduce(v, (x, y, dy, axes) -> {
      long count = 1;
      for (long a : axes) {
        long d = v.info(v.in(0)).dim((int) a);
        if (d == TensorInfo.DYNAMIC) throw v.unsupported("ReduceMean over the batch axis is not supported.");
        count *= d;
      }
      return v.emit().op("Expand", v.emit().div(dy, v.scalar(count)), v.emit().op("Shape", x));
    }), 1);
    VjpRule extremum = v -> reduce(v, (x, y, dy, axes) -> {
      GraphEmitter e = v.emit();
      String mask = e.cast(e.op("Equal", x, y), v.type());
      String count = e.reduce("ReduceSum", mask, axes, true);
      return e.mul(dy, e.div(mask, count));
    });
    b.rule("ReduceMax", extremum, 1);
    b.rule("ReduceMin", extremum, 1);
    b.rule("ReduceL1", v -> reduce(v, (x, y, dy, axes) -> v.emit().mul(dy, v.emit().op("Sign", x))), 1);
    b.rule("ReduceL2", v -> reduce(v, (x, y, dy, axes) -> v.emit().mul(dy, v.emit().div(x, y))), 1);
    b.rule("ReduceSumSquare", v -> reduce(v, (x, y, dy, axes) -> v.emit().mul(dy, v.emit().mul(x, v.scalar(2)))), 1);
    b.rule("ReduceLogSumExp", v -> reduce(v, (x, y, dy, axes) -> v.emit().mul(dy, v.emit().op("Exp", v.emit().sub(x, y)))), 1);
    b.rule("ReduceProd", v -> reduce(v, (x, y, dy, axes) -> v.emit().mul(dy, productOfOthers(v, axes))), 1);
  }

  /**
   * The input cotangent of a reduction (shaped like x), given x, and y and dy with the reduced axes kept
   * (as size 1).
   */
  @FunctionalInterface
  interface Local {
    String apply(String x, String yKept, String dyKept, long[] axes);
  }

  /**
   * The reduced axes, sorted and non-negative, or null when the node is the identity (empty axes with
   * {@code noop_with_empty_axes}).
   */
  static long[] axes(Vjp v) {
    int rank = v.info(v.in(0)).rank();
    boolean axesAsInput = v.opset() >= (v.node().getOpType().equals("ReduceSum") ? 13 : 18);
    long[] axes = axesAsInput ? (v.hasInput(1) ? v.constLongs(1) : new long[0]) : v.attrInts("axes", new long[0]);
    if (axes == null) throw v.unsupported("reduction axes computed at run time are not supported.");
    if (axes.length == 0) {
      if (axesAsInput && v.attrInt("noop_with_empty_axes", 0) != 0) return null;
      axes = new long[rank];
      for (int i = 0; i < rank; i++) axes[i] = i;
    }
    long[] sorted = new long[axes.length];
    for (int i = 0; i < axes.length; i++) sorted[i] = Vjp.axis(axes[i], rank);
    Arrays.sort(sorted);
    return sorted;
  }

  private static void reduce(Vjp v, Local local) {
    GraphEmitter e = v.emit();
    long[] axes = axes(v);
    if (axes == null) {
      v.grad(0, v.dy());
      return;
    }
    String y = v.out(0);
    String dy = v.dy();
    if (v.attrInt("keepdims", 1) == 0) {
      y = e.unsqueeze(y, axes);
      dy = e.unsqueeze(dy, axes);
    }
    v.grad(0, local.apply(v.in(0), y, dy, axes));
  }

  /**
   * ∂(Π x)/∂x_i = Π_{j≠i} x_j over the reduced axes, shaped like x: the reduced axes are moved last
   * and flattened to K, each element's row of a K×K copy has the element replaced by 1, and the rows
   * are multiplied out (ReduceProd over the last axis). Exact where x has zeros, unlike y / x.
   */
  private static String productOfOthers(Vjp v, long[] axes) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    long[] perm = new long[rank];
    boolean[] reduced = new boolean[rank];
    for (long a : axes) reduced[(int) a] = true;
    int k = 0;
    for (int i = 0; i < rank; i++) if (!reduced[i]) perm[k++] = i;
    int kept = k;
    long size = 1;
    for (long a : axes) {
      perm[k++] = a;
      long d = x.dim((int) a);
      if (d == TensorInfo.DYNAMIC) throw v.unsupported("ReduceProd over the batch axis is not supported.");
      size *= d;
    }
    long[] inverse = new long[rank];
    for (int i = 0; i < rank; i++) inverse[(int) perm[i]] = i;
    String xt = e.transpose(v.in(0), perm);
    long[] flatShape = new long[kept + 1];
    flatShape[kept] = size; // the zeros copy the kept axes (Reshape's default)
    String flat = e.reshape(xt, flatShape);
    String rows = e.unsqueeze(flat, kept);
    double[] eye = new double[(int) (size * size)];
    for (int i = 0; i < size; i++) eye[i * (int) size + i] = 1;
    String diagonal = e.cast(e.tensor(eye, new long[] {size, size}, v.type()), TensorInfo.BOOL);
    String others = e.reduce("ReduceProd", e.where(diagonal, v.scalar(1), rows), new long[] {kept + 1}, false);
    return e.transpose(e.reshapeLike(others, xt), inverse);
  }
}
