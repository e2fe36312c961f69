package org.glassbox.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.data.EventTable;

/**
 * A block of consecutive events as plain arrays, so that Spark can serialise it (the engine's
 * {@link EventTable} is not {@link Serializable}).
 *
 * @param first index of the block's first event in the data file (after NaN dropping), which seeds
 *     the block's stochastic methods as streaming does ({@code seed + first})
 * @param shape the features' shape, events first
 * @param labels 0/1 per event, or null
 * @param weights per event, or null
 * @param observables the values of {@code data.observables} per event, row-major ([events, observables]), or
 *     null when not read (only the similarity methods need them)
 */
record EventBlock(long first, float[] features, long[] shape, int[] labels, double[] weights, float[] observables)
    implements Serializable {

  private static final long serialVersionUID = 2L;

  EventBlock(long first, float[] features, long[] shape, int[] labels, double[] weights) {
    this(first, features, shape, labels, weights, null);
  }

  static EventBlock of(EventTable table, long first) {
    return new EventBlock(first, table.features().data(), table.features().shape(), table.labels(), table.weights());
  }

  /** The block with the observables' values ({@code table}: the same rows, the observables as features). */
  EventBlock withObservables(EventTable table) {
    return new EventBlock(first, features, shape, labels, weights, table.features().data());
  }

  int events() {
    return (int) shape[0];
  }

  /** Events [from, to) of this block. */
  EventBlock slice(int from, int to) {
    int per = events() == 0 ? 0 : features.length / events();
    int obs = events() == 0 || observables == null ? 0 : observables.length / events();
    long[] s = shape.clone();
    s[0] = to - from;
    return new EventBlock(first + from, Arrays.copyOfRange(features, from * per, to * per), s,
        labels == null ? null : Arrays.copyOfRange(labels, from, to), weights == null ? null : Arrays.copyOfRange(weights, from, to),
        observables == null ? null : Arrays.copyOfRange(observables, from * obs, to * obs));
  }

  /** Blocks laid end to end (consecutive events of one file). */
  static EventBlock concat(List<EventBlock> blocks) {
    EventBlock head = blocks.get(0);
    int n = 0;
    int values = 0;
    int obsValues = 0;
    for (EventBlock b : blocks) {
      n += b.events();
      values += b.features.length;
      if (b.observables != null) obsValues += b.observables.length;
    }
    float[] x = new float[values];
    int[] l = head.labels == null ? null : new int[n];
    double[] w = head.weights == null ? null : new double[n];
    float[] o = head.observables == null ? null : new float[obsValues];
    int at = 0;
    int e = 0;
    int oat = 0;
    for (EventBlock b : blocks) {
      System.arraycopy(b.features, 0, x, at, b.features.length);
      if (l != null) System.arraycopy(b.labels, 0, l, e, b.events());
      if (w != null) System.arraycopy(b.weights, 0, w, e, b.events());
      if (o != null) {
        System.arraycopy(b.observables, 0, o, oat, b.observables.length);
        oat += b.observables.length;
      }
      at += b.features.length;
      e += b.events();
    }
    long[] s = head.shape.clone();
    s[0] = n;
    return new EventBlock(head.first, x, s, l, w, o);
  }

  /** The block as the engine's table (what {@link org.glassbox.engine.run.ChunkScorer#score} takes). */
  EventTable table(String source, String sha256, List<String> featureNames) {
    return new EventTable(source, sha256, featureNames, new FloatTensor(features, shape), labels, weights, 0, events());
  }
}
