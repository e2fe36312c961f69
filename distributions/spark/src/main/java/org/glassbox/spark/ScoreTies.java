package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * One neuron's values over some events, reduced to what an exact AUC needs: the distinct values in
 * ascending order, and for each the signal and background weight of the events that have it. The
 * AUC (every signal × background pair, ties counting ½, as the engine's {@code RankStatistics.auc})
 * is then a sort of these tables by value across partitions and a running sum, with no pair sampled.
 *
 * <p>-0.0 and 0.0 are one value (the engine compares with {@code ==}); sums within a table are in
 * event order, so a table is the same however often its task runs.
 */
record ScoreTies(float[] value, double[] signal, double[] background) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The table of values (large = signal-like) with labels 0/1 and weights (null = 1). */
  static ScoreTies of(float[] values, int[] labels, double[] weights) {
    int n = values.length;
    long[] keys = new long[n];
    for (int e = 0; e < n; e++) keys[e] = ((long) sortable(values[e] + 0.0f) << 32) | e;
    Arrays.sort(keys); // by value, then by event index: a stable order
    float[] v = new float[n];
    double[] s = new double[n];
    double[] b = new double[n];
    int k = -1;
    for (int i = 0; i < n; i++) {
      int e = (int) (keys[i] & 0xffffffffL);
      float x = values[e] + 0.0f;
      if (k < 0 || Float.compare(v[k], x) != 0) {
        k++;
        v[k] = x;
      }
      double w = weights == null ? 1 : weights[e];
      if (labels[e] == 1) s[k] += w;
      else b[k] += w;
    }
    return new ScoreTies(Arrays.copyOf(v, k + 1), Arrays.copyOf(s, k + 1), Arrays.copyOf(b, k + 1));
  }

  /** An int whose signed order is the float's order (NaN last, as Float.compare). */
  private static int sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  /** The entries as (value, {signal weight, background weight}) pairs, for a sort across partitions. */
  Iterator<Tuple2<Float, double[]>> pairs() {
    List<Tuple2<Float, double[]>> out = new ArrayList<>(value.length);
    for (int i = 0; i < value.length; i++) out.add(new Tuple2<>(value[i], new double[] {signal[i], background[i]}));
    return out.iterator();
  }

  /**
   * Over one partition of the pairs sorted by value (equal values lie together, in no particular
   * order of their source partitions): {partition, Σ signal, Σ background, Σ over signal of the
   * background weight below it in this partition plus half of that at the same value}. Ties from
   * different tables are summed in a fixed order (sorted by their weights), so the result does not
   * depend on the order in which Spark fetched them.
   */
  static double[] partitionSums(int partition, Iterator<Tuple2<Float, double[]>> sorted) {
    double signal = 0;
    double background = 0;
    double pairs = 0;
    List<double[]> group = new ArrayList<>();
    Float current = null;
    while (true) {
      Tuple2<Float, double[]> t = sorted.hasNext() ? sorted.next() : null;
      if (t == null || current == null || !current.equals(t._1())) {
        if (!group.isEmpty()) {
          group.sort((p, q) -> p[0] != q[0] ? Double.compare(p[0], q[0]) : Double.compare(p[1], q[1]));
          double gs = 0;
          double gb = 0;
          for (double[] p : group) {
            gs += p[0];
            gb += p[1];
          }
          pairs += gs * (background + 0.5 * gb);
          background += gb;
          signal += gs;
          group.clear();
        }
        if (t == null) break;
        current = t._1();
      }
      group.add(t._2());
    }
    return new double[] {partition, signal, background, pairs};
  }

  /**
   * The AUC from every partition's {@link #partitionSums}, partitions in ascending value order: each
   * partition's signal also beats all background of the partitions before it.
   */
  static double auc(List<double[]> partitions) {
    List<double[]> ordered = new ArrayList<>(partitions);
    ordered.sort((p, q) -> Double.compare(p[0], q[0]));
    double signal = 0;
    double background = 0;
    double pairs = 0;
    for (double[] p : ordered) {
      pairs += p[3] + p[1] * background;
      signal += p[1];
      background += p[2];
    }
    return signal == 0 || background == 0 ? Double.NaN : pairs / (signal * background);
  }
}
