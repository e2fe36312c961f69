package org.glassbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.run.OnnxModelAccess;

/**
 * A real model for plugin tests and benchmarks: the engine's {@link OnnxModel} and {@link Derivatives}
 * behind the {@link ModelAccess} a plugin sees, so a test calls a method directly and gets its
 * {@link Attribution} itself, standard errors and summary included. Fixture names resolve against the
 * calling module's {@code src/test/resources/fixtures}.
 */
public final class EngineModel implements ModelAccess, AutoCloseable {
  public static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

  private final OnnxModel model;
  private final OnnxModelAccess access;

  private EngineModel(OnnxModel model) {
    this.model = model;
    this.access = new OnnxModelAccess(model);
  }

  public static EngineModel load(String fixture) {
    return load(FIXTURES.resolve(fixture));
  }

  /** The engine's model behind this access (its input shape, evaluation). */
  public OnnxModel onnx() {
    return model;
  }

  /** An already loaded model (e.g. with chosen execution options); closing this closes it. */
  public static EngineModel of(OnnxModel model) {
    return new EngineModel(model);
  }

  /** A model from any path. */
  public static EngineModel load(Path file) {
    return new EngineModel(OnnxModel.load(file, ExecutionOptions.defaults()));
  }

  /** A neuron of this model, signal-like when high. */
  public Neuron neuron(String text) {
    return access.neuron(text, 1);
  }

  @Override
  public String name() {
    return access.name();
  }

  @Override
  public FloatTensor value(Neuron neuron, FloatTensor inputs) {
    return access.value(neuron, inputs);
  }

  @Override
  public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
    return access.gradient(neuron, inputs);
  }

  @Override
  public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
    return access.hessian(neuron, inputs);
  }

  @Override
  public org.glassbox.api.attribution.Relevance relevance(Neuron neuron, FloatTensor inputs,
      org.glassbox.api.attribution.LrpComposite composite, boolean atPreActivation) {
    return access.relevance(neuron, inputs, composite, atPreActivation);
  }

  @Override
  public ModelAccess cutAt(String layerTensor) {
    return access.cutAt(layerTensor);
  }

  @Override
  public FloatTensor activations(String tensor, FloatTensor inputs) {
    return access.activations(tensor, inputs);
  }

  @Override
  public void close() {
    access.close();
    model.close();
  }


  /** Runs a method with its default options overridden by {@code options}. */
  public Attribution run(AttributionMethod method, String neuron, EventData data, Map<String, Object> options, long seed) {
    return run(method, this, neuron, data, options, seed);
  }

  /** Runs a method on {@code access} (e.g. a wrapper of this model that counts calls), the neuron resolved here. */
  public Attribution run(AttributionMethod method, ModelAccess access, String neuron, EventData data, Map<String, Object> options,
      long seed) {
    Map<String, Object> values = new LinkedHashMap<>(Options.defaults(method.options()).asMap());
    for (var e : options.entrySet()) {
      if (!values.containsKey(e.getKey())) throw new IllegalArgumentException("no option " + e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    Options opts = new Options(values);
    Neuron n = neuron(neuron);
    return method.attribute(new AttributionContext() {
      @Override
      public ModelAccess model() {
        return access;
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
  public record Events(FloatTensor inputs, List<String> featureNames, double[] weights, Optional<int[]> labels)
      implements EventData {}

  /** {@code data} with the inputs at {@code fixed} fed as they are (masks, indices: see {@link EventData#fixed()}). */
  public static EventData withFixed(EventData data, java.util.BitSet fixed) {
    return new EventData() {
      @Override
      public FloatTensor inputs() {
        return data.inputs();
      }

      @Override
      public List<String> featureNames() {
        return data.featureNames();
      }

      @Override
      public double[] weights() {
        return data.weights();
      }

      @Override
      public Optional<int[]> labels() {
        return data.labels();
      }

      @Override
      public java.util.BitSet fixed() {
        return (java.util.BitSet) fixed.clone();
      }
    };
  }

  /** Reads a fixture CSV: the named feature columns, and a weight column (or null for weights 1). */
  public static Events csv(String fixture, String weightColumn) {
    try {
      List<String> lines = Files.readAllLines(FIXTURES.resolve(fixture));
      List<String> header = List.of(lines.get(0).split(","));
      int wc = weightColumn == null ? -1 : header.indexOf(weightColumn);
      List<Integer> columns = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int c = 0; c < header.size(); c++) {
        if (c != wc && !header.get(c).equals("label")) {
          columns.add(c);
          names.add(header.get(c));
        }
      }
      int n = lines.size() - 1;
      int f = columns.size();
      float[] x = new float[n * f];
      double[] w = new double[n];
      for (int e = 0; e < n; e++) {
        String[] cells = lines.get(e + 1).split(",");
        for (int j = 0; j < f; j++) x[e * f + j] = Float.parseFloat(cells[columns.get(j)]);
        w[e] = wc < 0 ? 1 : Double.parseDouble(cells[wc]);
      }
      return new Events(FloatTensor.of(x, n, f), names, w, Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
