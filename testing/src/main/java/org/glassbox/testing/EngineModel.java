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
import org.glassbox.api.NeuronId;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;

/**
 * A real model for plugin tests and benchmarks: the engine's {@link OnnxModel} and {@link Derivatives}
 * behind the {@link ModelAccess} a plugin sees, so a test calls a method directly and gets its
 * {@link Attribution} itself, standard errors and summary included. Fixture names resolve against the
 * calling module's {@code src/test/resources/fixtures}.
 */
public final class EngineModel implements ModelAccess, AutoCloseable {
  public static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

  private final OnnxModel model;
  private final Derivatives derivatives;
  private final List<EngineModel> cuts = new ArrayList<>();

  private EngineModel(OnnxModel model) {
    this.model = model;
    this.derivatives = Derivatives.of(model);
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

  public Neuron neuron(String text) {
    ResolvedNeuron r = model.resolve(NeuronId.parse(text));
    return new Neuron(r.label(), r.tensor(), r.index(), 1);
  }

  private static ResolvedNeuron resolved(Neuron n) {
    return new ResolvedNeuron(n.label(), n.tensor(), n.index());
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public FloatTensor value(Neuron neuron, FloatTensor inputs) {
    FloatTensor t = model.evaluate(inputs, List.of(neuron.tensor())).get(0);
    int per = t.eventSize();
    float[] v = new float[t.events()];
    for (int e = 0; e < v.length; e++) v[e] = t.data()[e * per + neuron.index()];
    return FloatTensor.of(v, v.length);
  }

  @Override
  public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
    return derivatives.gradient(resolved(neuron), inputs);
  }

  @Override
  public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
    return derivatives.hessian(resolved(neuron), inputs);
  }

  @Override
  public org.glassbox.api.attribution.Relevance relevance(Neuron neuron, FloatTensor inputs,
      org.glassbox.api.attribution.LrpComposite composite, boolean atPreActivation) {
    return derivatives.relevance(resolved(neuron), composite, atPreActivation, inputs);
  }

  @Override
  public ModelAccess cutAt(String layerTensor) {
    EngineModel cut = new EngineModel(model.cutAt(layerTensor));
    cuts.add(cut);
    return cut;
  }

  @Override
  public FloatTensor activations(String tensor, FloatTensor inputs) {
    return model.evaluate(inputs, List.of(tensor)).get(0);
  }

  @Override
  public void close() {
    cuts.forEach(EngineModel::close);
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
