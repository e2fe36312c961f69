package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of elementwise operators beyond the basic arithmetic in {@link GradientRules}:
 * Pow, variadic Max/Min/Mean, Erf, Atan, Reciprocal, Softplus, Softsign, HardSigmoid, PRelu and Gelu.
 * Every rule is written in operators that have rules themselves, so second derivatives close.
 *
 * <p>Conventions where the derivative does not exist: Max and Min split the cotangent equally among
 * the inputs that tie for the extremum (as PyTorch's {@code maximum}/{@code amax}); PRelu takes the
 * slope at 0 (as LeakyRelu and PyTorch); HardSigmoid's derivative is 0 on the clipped plateaus and at
 * their edges; Pow's derivative with respect to the exponent is 0 where the base is not positive
 * (where the real power is not differentiable in the exponent).
 */
final class ElementwiseRules {
  private ElementwiseRules() {}

  static void register(RuleSet.Builder b) {
    b.rule("Pow", ElementwiseRules::pow);
    b.rule("Max", ElementwiseRules::extremum);
    b.rule("Min", ElementwiseRules::extremum);
    b.rule("Mean", v -> {
      int n = v.node().getInputCount();
      String g = v.emit().mul(v.dy(), v.scalar(1.0 / n));
      for (int i = 0; i < n; i++) v.grad(i, v.unbroadcast(g, v.in(i)));
    });
    b.rule("Erf", v -> {
      // d erf(x) = 2/√π exp(-x²)
      GraphEmitter e = v.emit();
      String gauss = e.op("Exp", e.neg(e.mul(v.in(0), v.in(0))));
      v.grad(0, e.mul(v.dy(), e.mul(gauss, v.scalar(2 / Math.sqrt(Math.PI)))));
    });
    b.rule("Atan", v -> {
      GraphEmitter e = v.emit();
      v.grad(0, e.div(v.dy(), e.add(v.scalar(1), e.mul(v.in(0), v.in(0)))));
    });
    b.rule("Reciprocal", v -> {
      // y = 1/x, dy/dx = -y²
      GraphEmitter e = v.emit();
      v.grad(0, e.neg(e.mul(v.dy(), e.mul(v.out(0), v.out(0)))));
    });
    b.rule("Softplus", v -> v.grad(0, v.emit().mul(v.dy(), v.emit().op("Sigmoid", v.in(0)))));
    b.rule("Softsign", v -> {
      // y = x / (1 + |x|), dy/dx = 1 / (1 + |x|)²
      GraphEmitter e = v.emit();
      String d = e.add(v.scalar(1), e.op("Abs", v.in(0)));
      v.grad(0, e.div(v.dy(), e.mul(d, d)));
    });
    b.rule("HardSigmoid", v -> {
      GraphEmitter e = v.emit();
      double alpha = v.attrFloat("alpha", 0.2f);
      // Inside the linear part the output lies strictly between 0 and 1.
      String inside = e.op("And", e.op("Greater", v.out(0), v.scalar(0)), e.op("Less", v.out(0), v.scalar(1)));
      v.grad(0, e.where(inside, e.mul(v.dy(), v.scalar(alpha)), v.scalar(0)));
    });
    b.rule("PRelu", ElementwiseRules::prelu);
    b.rule("Gelu", ElementwiseRules::gelu);
  }

  private static void pow(Vjp v) {
    GraphEmitter e = v.emit();
    String x = v.in(0);
    int type = v.type();
    double[] p = constantValues(v.constant(1));
    if (v.wants(0)) {
      if (p != null && p.length == 1) {
        double k = p[0];
        String g = k == 1 ? v.dy()
            : e.mul(v.dy(), k == 0 ? v.scalar(0)
                : k == 2 ? e.mul(x, v.scalar(2))
                : e.mul(e.op("Pow", x, v.scalar(k - 1)), v.scalar(k)));
        v.grad(0, v.unbroadcast(g, x));
      } else {
        // Pow allows an exponent of another numeric type; compute in the base's type.
        String exponent = v.info(v.in(1)).elemType() == type ? v.in(1) : e.cast(v.in(1), type);
        String slope = e.mul(exponent, e.op("Pow", x, e.sub(exponent, v.scalar(1))));
        v.grad(0, v.unbroadcast(e.mul(v.dy(), slope), x));
      }
    }
    if (v.wants(1)) {
      // d x^p / dp = x^p log x for x > 0; 0 elsewhere. The base under the logarithm is replaced by 1 where
      // it is not positive, so that neither the value nor the second derivative meets log(0).
      String positive = e.op("Greater", x, v.scalar(0));
      String safe = e.where(positive, x, v.scalar(1));
      String g = e.mul(v.dy(), e.mul(v.out(0), e.op("Log", safe)));
      v.grad(1, v.unbroadcast(e.where(positive, g, v.scalar(0)), v.in(1)));
    }
  }

  /** The values of a constant exponent (floating or integral), or null. */
  private static double[] constantValues(TensorProto t) {
    if (t == null) return null;
    return switch (t.getDataType()) {
      case TensorInfo.FLOAT, TensorInfo.DOUBLE -> Protos.doubles(t);
      case TensorInfo.INT64, 6 /* INT32 */ -> java.util.Arrays.stream(Protos.longs(t)).asDoubleStream().toArray();
      default -> null;
    };
  }

  /** Max and Min: the cotangent goes to the inputs equal to the output, split equally among ties. */
  private static void extremum(Vjp v) {
    GraphEmitter e = v.emit();
    int n = v.node().getInputCount();
    if (n == 1) {
      v.grad(0, v.dy());
      return;
    }
    List<String> masks = new ArrayList<>();
    for (int i = 0; i < n; i++) masks.add(e.cast(e.op("Equal", v.in(i), v.out(0)), v.type()));
    String count = e.op("Sum", masks);
    String share = e.div(v.dy(), count);
    for (int i = 0; i < n; i++) {
      if (v.wants(i)) v.grad(i, v.unbroadcast(e.mul(share, masks.get(i)), v.in(i)));
    }
  }

  private static void prelu(Vjp v) {
    GraphEmitter e = v.emit();
    String x = v.in(0);
    String positive = e.op("Greater", x, v.scalar(0));
    // The slope broadcasts to x (unidirectionally), so x's shape is the output's.
    if (v.wants(0)) v.grad(0, e.where(positive, v.dy(), e.mul(v.dy(), v.in(1))));
    if (v.wants(1)) v.grad(1, v.unbroadcast(e.where(positive, v.scalar(0), e.mul(v.dy(), x)), v.in(1)));
  }

  private static void gelu(Vjp v) {
    GraphEmitter e = v.emit();
    String x = v.in(0);
    String approximate = v.attrString("approximate", "none");
    String slope;
    if (approximate.equals("tanh")) {
      // y = ½ x (1 + tanh u), u = √(2/π)(x + 0.044715 x³)
      double c = Math.sqrt(2 / Math.PI);
      String x2 = e.mul(x, x);
      String u = e.mul(e.mul(x, e.add(v.scalar(1), e.mul(x2, v.scalar(0.044715)))), v.scalar(c));
      String t = e.op("Tanh", u);
      String du = e.mul(e.add(v.scalar(1), e.mul(x2, v.scalar(3 * 0.044715))), v.scalar(c));
      String half = e.mul(e.add(v.scalar(1), t), v.scalar(0.5));
      String sech2 = e.sub(v.scalar(1), e.mul(t, t));
      slope = e.add(half, e.mul(e.mul(e.mul(x, v.scalar(0.5)), sech2), du));
    } else if (approximate.equals("none")) {
      // y = x Φ(x), dy/dx = Φ(x) + x φ(x)
      String cdf = e.mul(e.add(v.scalar(1), e.op("Erf", e.mul(x, v.scalar(Math.sqrt(0.5))))), v.scalar(0.5));
      String pdf = e.mul(e.op("Exp", e.mul(e.mul(x, x), v.scalar(-0.5))), v.scalar(1 / Math.sqrt(2 * Math.PI)));
      slope = e.add(cdf, e.mul(x, pdf));
    } else {
      throw v.unsupported("Gelu approximation '" + approximate + "'");
    }
    v.grad(0, e.mul(v.dy(), slope));
  }
}
