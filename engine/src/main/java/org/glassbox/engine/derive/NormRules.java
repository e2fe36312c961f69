package org.glassbox.engine.derive;

import java.util.Arrays;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of LayerNormalization (all three outputs) and InstanceNormalization. The rules
 * recompute the mean and inverse standard deviation from the input in the input's type (ReduceMean,
 * Sqrt, ...) rather than reading the node's optional outputs, so that the backward pass does not
 * depend on {@code stash_type} and is differentiable again by the existing rules.
 */
final class NormRules {
  private NormRules() {}

  static void register(RuleSet.Builder b) {
    b.rule("LayerNormalization", NormRules::layerNorm);
    b.rule("InstanceNormalization", NormRules::instanceNorm);
  }

  /** x̂ = (x - μ) r with r = 1/√(var + ε) over {@code axes}, and the pieces it is made of. */
  private record Normalized(String centred, String inv, String xhat, long count) {}

  private static Normalized normalize(Vjp v, long[] axes, double eps) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    long count = 1;
    for (long a : axes) {
      long d = x.dim((int) a);
      if (d == TensorInfo.DYNAMIC) throw v.unsupported("normalising over the batch axis is not supported.");
      count *= d;
    }
    String mean = e.reduce("ReduceMean", v.in(0), axes, true);
    String centred = e.sub(v.in(0), mean);
    String var = e.reduce("ReduceMean", e.mul(centred, centred), axes, true);
    String inv = e.div(v.scalar(1), e.op("Sqrt", e.add(var, v.scalar(eps))));
    return new Normalized(centred, inv, e.mul(centred, inv), count);
  }

  /** ∂L/∂x of x̂ given g = ∂L/∂x̂: r (g - mean(g) - x̂ mean(g x̂)). */
  private static String throughNormalization(Vjp v, Normalized n, String g, long[] axes) {
    GraphEmitter e = v.emit();
    String gm = e.reduce("ReduceMean", g, axes, true);
    String gx = e.reduce("ReduceMean", e.mul(g, n.xhat()), axes, true);
    return e.mul(n.inv(), e.sub(e.sub(g, gm), e.mul(n.xhat(), gx)));
  }

  private static void layerNorm(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    int axis = (int) Vjp.axis(v.attrInt("axis", -1), rank);
    long[] axes = new long[rank - axis];
    for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
    Normalized n = normalize(v, axes, v.attrFloat("epsilon", 1e-5f));
    long[] yDims = v.info(v.out(0)).dims();
    String dy = v.dy(0);
    String dx = null;
    if (dy != null) {
      if (v.wants(0)) dx = throughNormalization(v, n, e.mul(dy, v.in(1)), axes);
      if (v.wants(1)) v.grad(1, v.unbroadcast(e.mul(dy, n.xhat()), yDims, v.in(1)));
      if (v.wants(2)) v.grad(2, v.unbroadcast(dy, yDims, v.in(2)));
    }
    if (v.wants(0) && v.dy(1) != null) {
      // Mean: each element contributes 1/D; the cotangent has the reduced shape (normalised axes kept as 1).
      String dMean = e.mul(e.reshapeLike(ofType(v, v.dy(1), v.out(1)), n.inv()), v.scalar(1.0 / n.count()));
      String term = e.op("Expand", dMean, e.op("Shape", v.in(0)));
      dx = dx == null ? term : e.add(dx, term);
    }
    if (v.wants(0) && v.dy(2) != null) {
      // InvStdDev r = (var + ε)^(-1/2): ∂r/∂x = -r³ (x - μ) / D.
      String r3 = e.mul(n.inv(), e.mul(n.inv(), n.inv()));
      String dInv = e.mul(e.reshapeLike(ofType(v, v.dy(2), v.out(2)), n.inv()), e.mul(r3, v.scalar(-1.0 / n.count())));
      String term = e.mul(dInv, n.centred());
      dx = dx == null ? term : e.add(dx, term);
    }
    if (dx != null) v.grad(0, dx);
  }

  /** A cotangent of Mean or InvStdDev, which have the stash type, in the input's type. */
  private static String ofType(Vjp v, String cotangent, String output) {
    return v.info(output).elemType() == v.type() ? cotangent : v.emit().cast(cotangent, v.type());
  }

  private static void instanceNorm(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    if (rank < 3) throw v.unsupported("InstanceNormalization needs an input of rank 3 or more.");
    long[] axes = new long[rank - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
    Normalized n = normalize(v, axes, v.attrFloat("epsilon", 1e-5f));
    long[] channelShape = new long[rank - 1];
    Arrays.fill(channelShape, 1);
    channelShape[0] = x.dim(1);
    long[] allButChannel = new long[rank - 1];
    allButChannel[0] = 0;
    for (int i = 1; i < allButChannel.length; i++) allButChannel[i] = i + 1;
    if (v.wants(0)) {
      String scale = e.reshape(v.in(1), channelShape);
      v.grad(0, throughNormalization(v, n, e.mul(v.dy(), scale), axes));
    }
    if (v.wants(1)) v.grad(1, e.reduceSum(e.mul(v.dy(), n.xhat()), allButChannel, false));
    if (v.wants(2)) v.grad(2, e.reduceSum(v.dy(), allButChannel, false));
  }
}
