package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.maximization.MaximizationContext;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.maximization.Population;
import org.glassbox.api.maximization.StartSlice;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.run.OnnxModelAccess;

/**
 * Activation maximization with its starts split across Spark tasks: task p of P climbs part p of
 * the starts ({@link StartSlice}) on a model its executor opened, over the driver's events (a
 * broadcast: the box, the threshold and data starts come from them, as on one machine); the driver
 * lays the parts' populations end to end. Only methods whose starts are drawn and climbed each on
 * its own ({@link MaximizationMethod#climbsStartSlices}) are split, so the population is the one the
 * method gives on one machine: the same starts, end points, values and order.
 */
final class DistributedPopulation {
  private DistributedPopulation() {}

  /**
   * What a task needs besides the model's bytes and the events.
   *
   * @param neuron the neuron as the analysis names it
   * @param options the method's validated options
   */
  record Job(String modelName, int threads, int batchSize, String neuron, int direction, String method,
      LinkedHashMap<String, Object> options, long seed, ArrayList<String> pluginDirs) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The driver's events as methods see them, in a form Spark serialises. */
  record Events(float[] values, long[] shape, ArrayList<String> names, double[] eventWeights, int[] labelsOrNull,
      BitSet fixedOrNull, float[] referenceOrNull) implements EventData, Serializable {
    private static final long serialVersionUID = 1L;

    static Events of(EventData d) {
      FloatTensor x = d.inputs();
      return new Events(x.data(), x.shape(), d.featureNames() == null ? null : new ArrayList<>(d.featureNames()), d.weights(),
          d.labels().orElse(null), d.fixed(), d.reference().map(FloatTensor::data).orElse(null));
    }

    @Override
    public FloatTensor inputs() {
      return new FloatTensor(values, shape);
    }

    @Override
    public List<String> featureNames() {
      return names;
    }

    @Override
    public double[] weights() {
      return eventWeights;
    }

    @Override
    public Optional<int[]> labels() {
      return Optional.ofNullable(labelsOrNull);
    }

    @Override
    public BitSet fixed() {
      return fixedOrNull == null ? new BitSet() : (BitSet) fixedOrNull.clone();
    }

    @Override
    public Optional<FloatTensor> reference() {
      return Optional.ofNullable(referenceOrNull).map(r -> new FloatTensor(r, shape));
    }
  }

  /** One task's population: the reached points [M_p, F...], their values and boundary flags, and its starts. */
  record Part(int index, ArrayList<String> features, float[] points, long[] shape, float[] values, boolean[] onBoundary,
      int starts) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The method's context on a task: every piece from the driver, and the part of the starts to climb. */
  private record SliceContext(ModelAccess model, Neuron neuron, EventData data, Options options, long seed, StartSlice startSlice)
      implements MaximizationContext {}

  /** The population of all starts: {@code parts} tasks, each climbing its part, laid end to end in part order. */
  static Population climb(JavaSparkContext sc, Job job, byte[] model, EventData data, int parts) {
    Broadcast<byte[]> bytes = sc.broadcast(model);
    Broadcast<Events> events = sc.broadcast(Events.of(data));
    try {
      List<Integer> indices = new ArrayList<>();
      for (int p = 0; p < parts; p++) indices.add(p);
      List<Part> got = new ArrayList<>(sc.parallelize(indices, parts).map(p -> part(job, bytes.value(), events.value(), p, parts))
          .collect());
      got.sort((a, b) -> Integer.compare(a.index(), b.index()));
      return merge(got);
    } finally {
      bytes.destroy();
      events.destroy();
    }
  }

  /** One task: part {@code index} of {@code parts} of the starts, on a model opened here. */
  static Part part(Job job, byte[] bytes, Events data, int index, int parts) {
    MaximizationMethod method = ScorerPool.catalog(job.pluginDirs()).maximization().get(job.method());
    try (OnnxModel model = OnnxModel.of(bytes, job.modelName(), new ExecutionOptions(job.threads(), job.batchSize()));
        OnnxModelAccess access = new OnnxModelAccess(model)) {
      Neuron neuron = access.neuron(job.neuron(), job.direction());
      Population p = method.maximize(new SliceContext(access, neuron, data, new Options(job.options()), job.seed(),
          new StartSlice(index, parts)));
      return new Part(index, new ArrayList<>(p.features()), p.points().data(), p.points().shape(), p.values(), p.onBoundary(),
          p.starts());
    }
  }

  /** The parts' populations laid end to end. */
  static Population merge(List<Part> parts) {
    int points = 0;
    int values = 0;
    int starts = 0;
    for (Part p : parts) {
      points += p.points().length;
      values += p.values().length;
      starts += p.starts();
    }
    float[] x = new float[points];
    float[] v = new float[values];
    boolean[] b = new boolean[values];
    int at = 0;
    int vat = 0;
    for (Part p : parts) {
      System.arraycopy(p.points(), 0, x, at, p.points().length);
      System.arraycopy(p.values(), 0, v, vat, p.values().length);
      System.arraycopy(p.onBoundary(), 0, b, vat, p.onBoundary().length);
      at += p.points().length;
      vat += p.values().length;
    }
    long[] shape = parts.get(0).shape().clone();
    shape[0] = values;
    return new Population(parts.get(0).features(), new FloatTensor(x, shape), v, b, starts);
  }
}
