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
 */
record EventBlock(long first, float[] features, long[] shape, int[] labels, double[] weights) implements Serializable {
  private static final long serialVersionUID = 1L;

  static EventBlock of(EventTable table, long first) {
    return new EventBlock(first, table.features().data(), table.features().shape(), table.labels(), table.weights());
  }

  int events() {
    return (int) shape[0];
  }

  /** Events [from, to) of this block. */
  EventBlock slice(int from, int to) {
    int per = events() == 0 ? 0 : features.length / events();
    long[] s = shape.clone();
    s[0] = to - from;
    return new EventBlock(first + from, Arrays.copyOfRange(features, from * per, to * per), s,
        labels == null ? null : Arrays.copyOfRange(labels, from, to), weights == null ? null : Arrays.copyOfRange(weights, from, to));
  }

  /** Blocks laid end to end (consecutive events of one file). */
  static EventBlock concat(List<EventBlock> blocks) {
    EventBlock head = blocks.get(0);
    int n = 0;
    int values = 0;
    for (EventBlock b : blocks) {
      n += b.events();
      values += b.features.length;
    }
    float[] x = new float[values];
    int[] l = head.labels == null ? null : new int[n];
    double[] w = head.weights == null ? null : new double[n];
    int at = 0;
    int e = 0;
    for (EventBlock b : blocks) {
      System.arraycopy(b.features, 0, x, at, b.features.length);
      if (l != null) System.arraycopy(b.labels, 0, l, e, b.events());
      if (w != null) System.arraycopy(b.weights, 0, w, e, b.events());
      at += b.features.length;
      e += b.events();
    }
    long[] s = head.shape.clone();
    s[0] = n;
    return new EventBlock(head.first, x, s, l, w);
  }

  /** The block as the engine's table (what {@link org.glassbox.engine.run.ChunkScorer#score} takes). */
  EventTable table(String source, String sha256, List<String> featureNames) {
    return new EventTable(source, sha256, featureNames, new FloatTensor(features, shape), labels, weights, 0, events());
  }
}
