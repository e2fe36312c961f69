package org.glassbox.plugins.ado;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.Relevance;
import org.glassbox.api.surrogate.ClassifierTraining;
import org.glassbox.api.surrogate.SurrogateContext;

/**
 * A transparent stand-in for the engine in guided-search tests: observables on a grid of 1/8 (so
 * that sums are exact in float and double), a black box that is a known function of two hidden
 * observables read from the model inputs, and a "trainer" that returns the sum of its columns, each
 * turned by the sign of its signal-minus-background mean difference.
 */
final class GuidedSearchFixture {
  final int n;
  final boolean[] signal;
  final int[] labels;
  final double[] weights;
  /** Observables in the order the context lists them: a, b, t, c1, c2. */
  final Map<String, double[]> observables = new LinkedHashMap<>();

  GuidedSearchFixture(int n, long seed) {
    this.n = n;
    SplittableRandom r = new SplittableRandom(seed);
    signal = new boolean[n];
    labels = new int[n];
    weights = new double[n];
    double[] a = new double[n];
    double[] b = new double[n];
    double[] t = new double[n];
    double[] c1 = new double[n];
    double[] c2 = new double[n];
    for (int i = 0; i < n; i++) {
      signal[i] = r.nextDouble() < 0.5;
      labels[i] = signal[i] ? 1 : 0;
      double y = signal[i] ? 1 : 0;
      a[i] = grid(y + r.nextGaussian());
      b[i] = grid(y + r.nextGaussian());
      t[i] = grid(1.5 * y + r.nextGaussian());
      c1[i] = grid(r.nextGaussian());
      c2[i] = grid(r.nextGaussian());
      weights[i] = 0.5 + r.nextDouble();
    }
    observables.put("a", a);
    observables.put("b", b);
    observables.put("t", t);
    observables.put("c1", c1);
    observables.put("c2", c2);
  }

  private static double grid(double x) {
    return Math.round(x * 8) / 8.0;
  }

  double[] get(String name) {
    return observables.get(name);
  }

  /** Elementwise sum of observables. */
  double[] sum(String... names) {
    double[] out = new double[n];
    for (String name : names) {
      double[] x = observables.get(name);
      for (int i = 0; i < n; i++) {
        out[i] += x[i];
      }
    }
    return out;
  }

  /** The model's inputs: the hidden observables the black box reads, one column each. */
  FloatTensor inputs(String... hidden) {
    float[] data = new float[n * hidden.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < hidden.length; j++) {
        data[i * hidden.length + j] = (float) observables.get(hidden[j])[i];
      }
    }
    return FloatTensor.of(data, n, hidden.length);
  }

  /** One call of the fake trainer. */
  record Call(String name, List<double[]> columns, double[] weights, Map<String, Object> settings, long seed) {}

  /** Sum of the columns, each multiplied by the sign of (signal mean - background mean). */
  static final class SumTrainer implements ClassifierTraining {
    final List<Call> calls = new ArrayList<>();

    @Override
    public double[] trainAndScore(String name, List<double[]> columns, int[] labels, double[] weights,
        Map<String, Object> settings, long seed) {
      calls.add(new Call(name, List.copyOf(columns), weights, settings, seed));
      double[] out = new double[labels.length];
      for (double[] c : columns) {
        double s = 0;
        double b = 0;
        int ns = 0;
        for (int i = 0; i < c.length; i++) {
          if (labels[i] == 1) {
            s += c[i];
            ns++;
          } else {
            b += c[i];
          }
        }
        double sign = s / ns >= b / (c.length - ns) ? 1 : -1;
        for (int i = 0; i < c.length; i++) {
          out[i] += sign * c[i];
        }
      }
      return out;
    }
  }

  /** A model whose neuron value is a function of its inputs; nothing else is asked of it. */
  static final class FunctionModel implements ModelAccess {
    final Function<FloatTensor, float[]> value;

    FunctionModel(Function<FloatTensor, float[]> value) {
      this.value = value;
    }

    @Override
    public String name() {
      return "black-box.onnx";
    }

    @Override
    public FloatTensor value(Neuron neuron, FloatTensor inputs) {
      float[] v = value.apply(inputs);
      return FloatTensor.of(v, v.length);
    }

    @Override
    public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
      throw new UnsupportedOperationException();
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
  }

  /** The black box {@code sign * (sum of the input columns)}. */
  static FunctionModel sumModel(int sign) {
    return new FunctionModel(x -> {
      int k = x.eventSize();
      float[] v = new float[x.events()];
      for (int i = 0; i < v.length; i++) {
        float s = 0;
        for (int j = 0; j < k; j++) {
          s += x.data()[i * k + j];
        }
        v[i] = sign * s;
      }
      return v;
    });
  }

  record Data(FloatTensor inputs, List<String> featureNames, double[] weights, Optional<int[]> labels)
      implements EventData {}

  record Context(ModelAccess model, Neuron neuron, EventData data, Map<String, double[]> observables, Options options,
      ClassifierTraining training, long seed, Progress progress) implements SurrogateContext {}

  /** A context with the black box = sum of {@code hidden} observables, large signal-like. */
  Context context(Options options, SumTrainer trainer, String... hidden) {
    return context(options, trainer, 1, Progress.NONE, hidden);
  }

  Context context(Options options, SumTrainer trainer, int direction, Progress progress, String... hidden) {
    Data data = new Data(inputs(hidden), List.of(hidden), weights, Optional.of(labels));
    return new Context(sumModel(direction), new Neuron("output", "output", 0, direction), data, observables, options,
        trainer, 100, progress);
  }

  static Options options(List<org.glassbox.api.OptionSpec> specs, Object... pairs) {
    Map<String, Object> v = new LinkedHashMap<>(Options.defaults(specs).asMap());
    for (int i = 0; i < pairs.length; i += 2) {
      if (!v.containsKey((String) pairs[i])) {
        throw new IllegalArgumentException("no option " + pairs[i]);
      }
      v.put((String) pairs[i], pairs[i + 1]);
    }
    return new Options(v);
  }
}
