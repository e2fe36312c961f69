package org.glassbox.plugins.gradient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.Relevance;

/**
 * A model given in closed form, behind the {@link ModelAccess} a plugin sees: values and gradients
 * computed in double and handed over in float32, as the engine's ONNX Runtime sessions do. It
 * records every call's batch size, so tests can check how the work was batched.
 *
 * <p>(The plugin's tests cannot run ONNX models through the engine: the engine's own tests depend on
 * this plugin, and Maven refuses the cycle even in test scope. The engine's derivatives are tested
 * there; here the closed forms are the reference.)
 */
abstract class AnalyticModel implements ModelAccess {
  final List<Integer> gradientCalls = new ArrayList<>();
  final List<Integer> valueCalls = new ArrayList<>();

  /** z at one event, in double. */
  abstract double z(double[] x);

  /** ∂z/∂x at one event, in double. */
  abstract double[] grad(double[] x);

  @Override
  public String name() {
    return getClass().getSimpleName();
  }

  @Override
  public FloatTensor value(Neuron neuron, FloatTensor inputs) {
    valueCalls.add(inputs.events());
    int f = inputs.eventSize();
    float[] out = new float[inputs.events()];
    for (int e = 0; e < out.length; e++) out[e] = (float) z(event(inputs, e, f));
    return FloatTensor.of(out, out.length);
  }

  @Override
  public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
    gradientCalls.add(inputs.events());
    int f = inputs.eventSize();
    float[] out = new float[inputs.data().length];
    for (int e = 0; e < inputs.events(); e++) {
      double[] g = grad(event(inputs, e, f));
      for (int i = 0; i < f; i++) out[e * f + i] = (float) g[i];
    }
    return new FloatTensor(out, inputs.shape());
  }

  static double[] event(FloatTensor t, int e, int f) {
    double[] x = new double[f];
    for (int i = 0; i < f; i++) x[i] = t.data()[e * f + i];
    return x;
  }

  @Override
  public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ModelAccess cutAt(String layerTensor) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Relevance relevance(Neuron neuron, FloatTensor inputs, LrpComposite composite, boolean atPreActivation) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FloatTensor activations(String tensor, FloatTensor inputs) {
    throw new UnsupportedOperationException();
  }

  /** Runs a method with its default options overridden by {@code options}. */
  Attribution run(AttributionMethod method, EventData data, Map<String, Object> options, long seed) {
    Map<String, Object> values = new LinkedHashMap<>(Options.defaults(method.options()).asMap());
    for (var e : options.entrySet()) {
      if (!values.containsKey(e.getKey())) throw new IllegalArgumentException("no option " + e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    Options opts = new Options(values);
    Neuron n = new Neuron("output", "z", 0, 1);
    ModelAccess self = this;
    return method.attribute(new AttributionContext() {
      @Override
      public ModelAccess model() {
        return self;
      }

      @Override
      public Neuron neuron() {
        return n;
      }

      @Override
      public EventData data() {
        return data;
      }

      @Override
      public Options options() {
        return opts;
      }

      @Override
      public long seed() {
        return seed;
      }
    });
  }

  /** Events held in memory. */
  record Events(FloatTensor inputs, List<String> featureNames, double[] weights, Optional<int[]> labels)
      implements EventData {
    static Events of(float[] x, int f, double[] w, int[] labels) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < f; i++) names.add("x" + i);
      return new Events(FloatTensor.of(x, x.length / f, f), names, w, Optional.ofNullable(labels));
    }
  }

  /** z = w·x + b. */
  static final class Linear extends AnalyticModel {
    final double[] w;
    final double b;

    Linear(double b, double... w) {
      this.w = w;
      this.b = b;
    }

    @Override
    double z(double[] x) {
      double s = b;
      for (int i = 0; i < w.length; i++) s += w[i] * x[i];
      return s;
    }

    @Override
    double[] grad(double[] x) {
      return w.clone();
    }
  }

  /**
   * z = a·x0³ + x0·x1·x2 − 2·x1² + x0·x1 + 3·x2: along any line x' + α d its third derivative is
   * the constant z''' = 6a·d0³ + 6·d0·d1·d2.
   */
  static final class Cubic extends AnalyticModel {
    final double a;

    Cubic(double a) {
      this.a = a;
    }

    @Override
    double z(double[] x) {
      return a * x[0] * x[0] * x[0] + x[0] * x[1] * x[2] - 2 * x[1] * x[1] + x[0] * x[1] + 3 * x[2];
    }

    @Override
    double[] grad(double[] x) {
      return new double[] {3 * a * x[0] * x[0] + x[1] * x[2] + x[1], x[0] * x[2] - 4 * x[1] + x[0], x[0] * x[1] + 3};
    }

    double thirdDerivative(double[] d) {
      return 6 * a * d[0] * d[0] * d[0] + 6 * d[0] * d[1] * d[2];
    }
  }

  /** z = ½ xᵀAx + b·x with A symmetric: gradient Ax + b, linear in x. */
  static final class Quadratic extends AnalyticModel {
    final double[][] a;
    final double[] b;

    Quadratic(double[][] a, double[] b) {
      this.a = a;
      this.b = b;
    }

    @Override
    double z(double[] x) {
      double s = 0;
      for (int i = 0; i < b.length; i++) {
        s += b[i] * x[i];
        for (int j = 0; j < b.length; j++) s += 0.5 * x[i] * a[i][j] * x[j];
      }
      return s;
    }

    @Override
    double[] grad(double[] x) {
      double[] g = b.clone();
      for (int i = 0; i < b.length; i++) {
        for (int j = 0; j < b.length; j++) g[i] += a[i][j] * x[j];
      }
      return g;
    }
  }

  /** A smooth non-polynomial neuron: z = tanh(u·x) + 0.5·sin(v·x), so the quadrature is never exact. */
  static final class Smooth extends AnalyticModel {
    final double[] u;
    final double[] v;

    Smooth(double[] u, double[] v) {
      this.u = u;
      this.v = v;
    }

    @Override
    double z(double[] x) {
      return Math.tanh(dot(u, x)) + 0.5 * Math.sin(dot(v, x));
    }

    @Override
    double[] grad(double[] x) {
      double t = Math.tanh(dot(u, x));
      double c = 0.5 * Math.cos(dot(v, x));
      double[] g = new double[u.length];
      for (int i = 0; i < g.length; i++) g[i] = (1 - t * t) * u[i] + c * v[i];
      return g;
    }

    static double dot(double[] a, double[] x) {
      double s = 0;
      for (int i = 0; i < a.length; i++) s += a[i] * x[i];
      return s;
    }
  }
}
