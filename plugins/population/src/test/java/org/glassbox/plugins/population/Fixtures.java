package org.glassbox.plugins.population;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.Relevance;
import org.glassbox.api.clustering.ClusteringContext;
import org.glassbox.api.maximization.MaximizationContext;
import org.glassbox.api.surrogate.ClassifierTraining;
import org.glassbox.api.surrogate.SurrogateContext;

/** Data sets, option maps and contexts for the tests. */
final class Fixtures {
  private Fixtures() {}

  /** The product-sign example shipped with Glassbox (seed 000 §2.5.1): inputs x, y, noise; output P(x*y > 0). */
  static final Path PRODUCT_SIGN = Path.of("..", "..", "examples", "product-sign");

  /** Events held in memory. */
  record Events(FloatTensor inputs, List<String> featureNames, double[] weights, Optional<int[]> labels)
      implements EventData {}

  /** n events uniform in [-1, 1]^f, weights 1, no labels. */
  static Events uniform(int n, List<String> names, long seed) {
    int f = names.size();
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * f];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    return new Events(FloatTensor.of(x, n, f), names, Stats.ones(n), Optional.empty());
  }

  /** The product-sign example's events: x, y, noise, with its labels and weights. */
  static Events productSign() {
    try {
      List<String> lines = Files.readAllLines(PRODUCT_SIGN.resolve("product_sign.csv"));
      List<String> header = List.of(lines.get(0).split(","));
      int n = lines.size() - 1;
      float[] x = new float[n * 3];
      int[] labels = new int[n];
      double[] w = new double[n];
      for (int e = 0; e < n; e++) {
        String[] c = lines.get(e + 1).split(",");
        for (int j = 0; j < 3; j++) {
          x[e * 3 + j] = Float.parseFloat(c[header.indexOf(List.of("x", "y", "noise").get(j))]);
        }
        labels[e] = Integer.parseInt(c[header.indexOf("label")]);
        w[e] = Double.parseDouble(c[header.indexOf("weight")]);
      }
      return new Events(FloatTensor.of(x, n, 3), List.of("x", "y", "noise"), w, Optional.of(labels));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path productSignModel() {
    return PRODUCT_SIGN.resolve("product_sign.onnx");
  }

  /** Defaults of the specs overridden by {@code options}; an unknown key is a test error. */
  static Options options(List<OptionSpec> specs, Map<String, Object> options) {
    Map<String, Object> values = new LinkedHashMap<>(Options.defaults(specs).asMap());
    for (var e : options.entrySet()) {
      if (!values.containsKey(e.getKey())) throw new IllegalArgumentException("no option " + e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    return new Options(values);
  }

  static MaximizationContext maximization(ModelAccess model, Neuron neuron, EventData data, Options options,
      long seed) {
    return maximization(model, neuron, data, options, seed, org.glassbox.api.maximization.StartSlice.ALL);
  }

  /** A context that asks for one part of the starts. */
  static MaximizationContext maximization(ModelAccess model, Neuron neuron, EventData data, Options options,
      long seed, org.glassbox.api.maximization.StartSlice slice) {
    return new MaximizationContext() {
      @Override
      public org.glassbox.api.maximization.StartSlice startSlice() {
        return slice;
      }

      @Override
      public ModelAccess model() {
        return model;
      }

      @Override
      public Neuron neuron() {
        return neuron;
      }

      @Override
      public EventData data() {
        return data;
      }

      @Override
      public Options options() {
        return options;
      }

      @Override
      public long seed() {
        return seed;
      }
    };
  }

  static SurrogateContext surrogate(ModelAccess model, Neuron neuron, EventData data, Options options, long seed) {
    return new SurrogateContext() {
      @Override
      public ModelAccess model() {
        return model;
      }

      @Override
      public Neuron neuron() {
        return neuron;
      }

      @Override
      public EventData data() {
        return data;
      }

      @Override
      public Map<String, double[]> observables() {
        return Map.of();
      }

      @Override
      public Options options() {
        return options;
      }

      @Override
      public ClassifierTraining training() {
        return (name, columns, labels, weights, settings, s) -> {
          throw new AssertionError("caveman trains no classifier");
        };
      }

      @Override
      public long seed() {
        return seed;
      }
    };
  }

  static ClusteringContext clustering(double[][] points, Options options, long seed) {
    int n = points.length;
    int d = n == 0 ? 1 : points[0].length;
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i * d + j] = (float) points[i][j];
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) names.add("c" + j);
    FloatTensor t = FloatTensor.of(x, n, d);
    return new ClusteringContext() {
      @Override
      public FloatTensor points() {
        return t;
      }

      @Override
      public List<String> featureNames() {
        return names;
      }

      @Override
      public Options options() {
        return options;
      }

      @Override
      public long seed() {
        return seed;
      }
    };
  }

  /** Counts the calls a method makes and the batch size of each. */
  static final class Counting implements ModelAccess {
    final ModelAccess inner;
    final List<Integer> valueBatches = new ArrayList<>();
    final List<Integer> gradientBatches = new ArrayList<>();

    Counting(ModelAccess inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public FloatTensor value(Neuron neuron, FloatTensor inputs) {
      valueBatches.add(inputs.events());
      return inner.value(neuron, inputs);
    }

    @Override
    public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
      gradientBatches.add(inputs.events());
      return inner.gradient(neuron, inputs);
    }

    @Override
    public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
      throw new AssertionError("no Hessian needed");
    }

    @Override
    public ModelAccess cutAt(String layerTensor) {
      throw new AssertionError("no cut needed");
    }

    @Override
    public Relevance relevance(Neuron neuron, FloatTensor inputs, LrpComposite composite, boolean atPreActivation) {
      throw new AssertionError("no relevance needed");
    }

    @Override
    public FloatTensor activations(String tensor, FloatTensor inputs) {
      throw new AssertionError("no activations needed");
    }
  }
}
