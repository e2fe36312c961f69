package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Neuron;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.run.OnnxModelAccess;

/**
 * The values of some neurons of one model, for the similarity methods over every event: a forward
 * pass only. Like {@link ScorerPool}, an executor JVM opens a model once per concurrently running
 * task and keeps it for later tasks (JVM-wide, keyed by the model's SHA-256 and the settings).
 */
final class ModelValues implements AutoCloseable {
  private static final Map<String, Deque<ModelValues>> IDLE = new ConcurrentHashMap<>();

  /**
   * A model and the neurons whose values are wanted.
   *
   * @param key SHA-256 of the model's bytes and of the settings here
   * @param neurons as written in the analysis file ({@code output}, {@code L1N0}, ...)
   * @param direction the analysis's direction (values are multiplied by each neuron's)
   */
  record Ref(String key, String name, ArrayList<String> neurons, int direction, int threads, int batchSize)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    static Ref of(String name, byte[] model, List<String> neurons, int direction, int threads, int batchSize) {
      String settings = String.join("\n", name, neurons.toString(), Integer.toString(direction), Integer.toString(threads),
          Integer.toString(batchSize));
      return new Ref(ScoringJob.sha256(model) + ":" + ScoringJob.sha256(settings.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          name, new ArrayList<>(neurons), direction, threads, batchSize);
    }
  }

  private final OnnxModel model;
  private final OnnxModelAccess access;
  private final List<Neuron> neurons = new ArrayList<>();

  private ModelValues(Ref ref, byte[] bytes) {
    this.model = OnnxModel.of(bytes, ref.name(), new ExecutionOptions(ref.threads(), ref.batchSize()));
    this.access = new OnnxModelAccess(model);
    for (String n : ref.neurons()) neurons.add(access.neuron(n, ref.direction()));
  }

  static ModelValues borrow(Ref ref, byte[] bytes) {
    if (!IDLE.containsKey(ref.key()) && IDLE.size() >= ScorerPool.MAX_JOBS) {
      // A long-lived JVM (a test suite) running many analyses: close the idle models of the others.
      for (String k : new ArrayList<>(IDLE.keySet())) {
        Deque<ModelValues> idle = IDLE.remove(k);
        if (idle != null) for (ModelValues v; (v = idle.pollFirst()) != null; ) v.close();
      }
    }
    ModelValues v = IDLE.computeIfAbsent(ref.key(), k -> new ConcurrentLinkedDeque<>()).pollFirst();
    return v != null ? v : new ModelValues(ref, bytes);
  }

  static void release(Ref ref, ModelValues v) {
    IDLE.computeIfAbsent(ref.key(), k -> new ConcurrentLinkedDeque<>()).addFirst(v);
  }

  /** Per neuron, its value on each event times its direction (large = signal-like), as the engine's similarity takes it. */
  float[][] values(float[] features, long[] shape) {
    long[] eventShape = model.input().eventShape();
    long want = 1;
    for (long d : eventShape) want *= d;
    int n = (int) shape[0];
    if (n > 0 && features.length / n != want) {
      throw new GlassboxException("Model " + model.name() + " expects " + want + " values per event; the data has "
          + features.length / n + ".");
    }
    long[] s = new long[eventShape.length + 1];
    s[0] = n;
    System.arraycopy(eventShape, 0, s, 1, eventShape.length);
    FloatTensor x = new FloatTensor(features, s);
    float[][] out = new float[neurons.size()][];
    for (int i = 0; i < out.length; i++) {
      Neuron neuron = neurons.get(i);
      float[] z = n == 0 ? new float[0] : access.value(neuron, x).data();
      if (neuron.direction() < 0) for (int e = 0; e < z.length; e++) z[e] = -z[e];
      out[i] = z;
    }
    return out;
  }

  @Override
  public void close() {
    access.close();
    model.close();
  }
}
