package org.glassbox.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive events with the values of k decision functions (networks, observables, data
 * columns), for the similarity methods computed over every event: column-wise arrays Spark can
 * serialise.
 *
 * @param first a key of the first event that orders events across blocks (its index in the data,
 *     or for Parquet input the partition + 1 in the high bits and the event within it in the low ones);
 *     the events of a block have the keys {@code first, first + 1, ...}
 * @param values [function][event]
 * @param signal per event: label 1
 * @param weights per event, or null (every weight 1)
 */
record FunctionBlock(long first, float[][] values, boolean[] signal, double[] weights) implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Keys of Parquet events: (partition + 1) shifted by this, plus the event's position in its partition. */
  static final int PARTITION_SHIFT = 40;

  /** The event for messages: its index in the data file, or its position in a Parquet partition. */
  String where(int e) {
    long key = first + e;
    long partition = key >>> PARTITION_SHIFT;
    return partition == 0 ? "event " + key : "event " + (key & ((1L << PARTITION_SHIFT) - 1)) + " of partition "
        + (partition - 1);
  }

  int events() {
    return signal.length;
  }

  double weight(int e) {
    return weights == null ? 1 : weights[e];
  }

  /** The events {@code idx[0 .. count)} (ascending) of this block. */
  Subset subset(int[] at, int count) {
    float[][] v = new float[values.length][count];
    boolean[] s = new boolean[count];
    double[] w = weights == null ? null : new double[count];
    for (int i = 0; i < count; i++) {
      int e = at[i];
      for (int j = 0; j < values.length; j++) v[j][i] = values[j][e];
      s[i] = signal[e];
      if (w != null) w[i] = weights[e];
    }
    return new Subset(first, v, s, w);
  }

  /**
   * Some events of one block: what a block sends to the task of one value range in a distributed
   * sort (events of a block stay together, so a shuffle moves a few records per block, not one per event).
   *
   * @param first the block's first key (events in key order)
   */
  record Subset(long first, float[][] values, boolean[] signal, double[] weights) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The events of some subsets as one block in key order (subsets of different blocks do not interleave). */
  static FunctionBlock concat(List<Subset> parts, int functions) {
    parts.sort((a, b) -> Long.compare(a.first(), b.first()));
    int n = 0;
    boolean weighted = false;
    for (Subset p : parts) {
      n += p.signal().length;
      weighted |= p.weights() != null;
    }
    float[][] v = new float[functions][n];
    boolean[] s = new boolean[n];
    double[] w = weighted ? new double[n] : null;
    int at = 0;
    for (Subset p : parts) {
      int m = p.signal().length;
      for (int j = 0; j < functions; j++) System.arraycopy(p.values()[j], 0, v[j], at, m);
      System.arraycopy(p.signal(), 0, s, at, m);
      if (w != null) {
        if (p.weights() != null) System.arraycopy(p.weights(), 0, w, at, m);
        else Arrays.fill(w, at, at + m, 1);
      }
      at += m;
    }
    return new FunctionBlock(parts.isEmpty() ? 0 : parts.get(0).first(), v, s, w);
  }
}
