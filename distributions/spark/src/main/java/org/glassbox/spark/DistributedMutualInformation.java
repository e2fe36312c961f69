package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.plugins.mutualinformation.EqualPopulationScan;
import org.glassbox.plugins.mutualinformation.MutualInformation;
import org.glassbox.plugins.mutualinformation.Permutation;
import scala.Tuple2;

/**
 * The {@code mutual-information} similarity method over every event of a cluster: the matrix,
 * entropies, occupied bins and permutation baselines that {@code MutualInformationMethod} computes on
 * one machine holding every event, formed with the plugin's own pieces ({@link MutualInformation}).
 * No event's values come to the driver.
 *
 * <ol>
 *   <li>A first pass checks the values and weights, counts the events, and samples each function.
 *   <li>The bins. Each function's values are sorted across the cluster into value ranges (cut at
 *       quantiles of the samples, equal values together, as {@link DistributedAdo} sorts); the task
 *       of a range turns its events into the range's distinct values with their summed weights (in
 *       event order, as the plugin sums them). The driver gets per range the number of distinct
 *       values, their total weight, the smallest value and the last group's weight (the groups
 *       themselves when there are few), and runs the plugin's greedy fill
 *       ({@link EqualPopulationScan}) from range to range: a range in which no bin can close is
 *       added whole; a range in which one may is scanned group by group by its own task, given the
 *       scan's state (one small job per round, all functions together). What comes out per function
 *       is the smallest value of each bin and each bin's weight: exactly the plugin's bins.
 *   <li>The histograms. Every block's events get their bins (a binary search in those smallest
 *       values); each task sums the joint histogram of every pair over its events, and the driver
 *       adds the tasks' tables in partition order (in several passes, some pairs each, when the
 *       tables of all pairs would exceed {@link #CELLS_PER_PASS} cells). For the baseline every
 *       event f sends its bins to the block holding event π⁻¹(f) ({@link Permutation}, over the
 *       events in data order), so that each block holds, beside its events e, the bins of their
 *       partners π(e), and sums its events' first functions against the partners' second functions.
 *   <li>Eq. 1 of each table, the entropies, occupied bins and matrix as the plugin forms them
 *       ({@link MutualInformation#nmi}, {@link MutualInformation#assemble}).
 * </ol>
 *
 * <p>With integer weights (e.g. all 1) every sum is an exact integer: the results are those of one
 * machine bit for bit. With fractional weights the sums are the same numbers added in another order
 * (within 1e-9 relative); a bin edge could only move if a group's mid-quantile lay within that rounding
 * of its bin's aim.
 */
final class DistributedMutualInformation {
  /** Distinct values of a range sent to the driver with its summary, rather than scanned by its task. */
  static final int INLINE_GROUPS = 4096;
  /** Histogram cells a task holds at once (8 bytes each): more pairs × bins² than this take several passes. */
  static final long CELLS_PER_PASS = 1L << 24;

  private DistributedMutualInformation() {}

  /**
   * What the first pass finds in one partition.
   *
   * @param blocks per block with events: {first key, events}
   * @param positive events with a positive weight
   * @param total the events' weight (given weights; 0 when unweighted)
   * @param unit whether every weight is 1
   * @param sample per function, sampled values
   */
  record Summary(int partition, ArrayList<long[]> blocks, long positive, double total, boolean unit, float[][] sample)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Some events of one block with one function's values: what a block sends to the task of one value range. */
  record Piece(long first, float[] values, double[] weights) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value range's distinct values, ascending ({@code -0.0} as {@code 0.0}), with their summed weights. */
  record Groups(float[] values, double[] weights) implements Serializable {
    private static final long serialVersionUID = 1L;

    int size() {
      return values.length;
    }
  }

  /**
   * One value range for the driver.
   *
   * @param total the groups' weight, summed in increasing order
   * @param first the smallest value
   * @param last the weight of the largest value's group
   * @param inline the groups themselves when few, else null
   */
  record RangeSummary(int range, int groups, double total, float first, double last, Groups inline) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A range scanned by its task.
   *
   * @param starts the smallest value of every bin opened in the range
   * @param closed the weight of every bin closed in the range
   * @param scan the scan's state after the range
   */
  record Scanned(int range, float[] starts, double[] closed, EqualPopulationScan scan) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A block's events with each function's bin ([function][event]) and their weights (null: 1). */
  record Binned(long first, short[][] bins, double[] weights) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The bins of some events, sent to the block holding their baseline partners: positions there, bins [function][i]. */
  record Partners(int[] at, short[][] bins) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param blocks the events with the functions' values, in the order of {@code names} (cached by the caller)
   * @param options the method's options (as validated by the engine)
   * @param seed the run's seed (the baseline's permutation)
   * @param buckets value ranges per function (at most {@link DistributedAdo#MAX_BUCKETS})
   * @param inlineGroups ranges with at most this many distinct values come to the driver whole
   * @param cellsPerPass histogram cells a task holds at once ({@link #CELLS_PER_PASS})
   */
  static Similarity compute(JavaRDD<FunctionBlock> blocks, List<String> names, Options options, long seed, int buckets,
      int inlineGroups, long cellsPerPass) {
    try {
      return run(blocks, names, options, seed, buckets, inlineGroups, cellsPerPass);
    } catch (GlassboxException e) {
      throw e;
    } catch (Exception e) { // SparkException (checked in Scala, thrown unchecked): a task's GlassboxException is the error
      for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof GlassboxException g) throw g;
      throw e;
    }
  }

  private static Similarity run(JavaRDD<FunctionBlock> blocks, List<String> names, Options options, long seed, int buckets,
      int inlineGroups, long cellsPerPass) {
    MutualInformation.Settings settings = MutualInformation.settings(options);
    if (names.isEmpty()) {
      throw new GlassboxException("mutual-information needs at least one function (a neuron, a network output or an observable)");
    }
    int k = names.size();
    boolean unweighted = settings.unweighted();
    List<String> functionNames = List.copyOf(names);
    List<Summary> summaries = new ArrayList<>(blocks.mapPartitionsWithIndex(
        (index, it) -> List.of(summarise(index, it, functionNames, unweighted)).iterator(), true).collect());
    summaries.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    long positive = 0;
    double total = 0;
    boolean unit = true;
    List<long[]> blockList = new ArrayList<>();
    for (Summary s : summaries) {
      positive += s.positive();
      total += s.total();
      unit &= s.unit();
      blockList.addAll(s.blocks());
    }
    if (!unweighted) MutualInformation.checkTotalWeight(total);
    MutualInformation.checkEnoughEvents(positive, settings.bins());
    // Unit weights count events (the plugin's integer histograms); given weights are summed.
    boolean weighted = !unweighted && !unit;

    // 1. The bins: value ranges per function, then the plugin's scan across them.
    int wanted = Math.max(1, Math.min(buckets, DistributedAdo.MAX_BUCKETS));
    float[][] bounds = new float[k][];
    int[] offset = new int[k + 1];
    for (int j = 0; j < k; j++) {
      List<float[]> parts = new ArrayList<>();
      for (Summary s : summaries) parts.add(s.sample()[j]);
      bounds[j] = DistributedAdo.boundaries(parts, wanted);
      offset[j + 1] = offset[j] + bounds[j].length + 1;
    }
    JavaRDD<Groups> ranges = blocks.flatMapToPair(b -> pieces(b, bounds, offset, weighted))
        .partitionBy(new DistributedAdo.BucketPartitioner(offset[k]))
        .mapPartitions(it -> List.of(groups(it)).iterator(), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Binned> binned = null;
    JavaRDD<Binned[]> paired = null;
    try {
      float[][] starts = new float[k][];
      double[][] binWeights = new double[k][];
      bins(ranges, offset, settings.bins(), inlineGroups, starts, binWeights);

      // 2. Every event's bins, then the joint histograms, in passes of at most CELLS_PER_PASS cells per task.
      binned = blocks.filter(b -> b.events() > 0).map(b -> bin(b, starts, weighted)).persist(StorageLevel.MEMORY_AND_DISK());
      int[] count = new int[k];
      for (int j = 0; j < k; j++) count[j] = starts[j].length;
      double[][] nmi = new double[k][k];
      for (boolean[] pass : passes(count, false, cellsPerPass)) {
        double[][] joint = histograms(binned.map(b -> new Binned[] {b, b}), count, pass);
        for (int q = 0; q < pass.length; q++) if (pass[q]) nmi[q / k][q % k] = MutualInformation.nmi(joint[q], count[q / k], count[q % k]);
      }
      double[][] base = null;
      if (settings.baseline()) {
        base = new double[k][k];
        paired = paired(binned, blockList, k, seed, blocks.getNumPartitions()).persist(StorageLevel.MEMORY_AND_DISK());
        for (boolean[] pass : passes(count, true, cellsPerPass)) {
          double[][] joint = histograms(paired, count, pass);
          for (int q = 0; q < pass.length; q++) if (pass[q]) base[q / k][q % k] = MutualInformation.nmi(joint[q], count[q / k], count[q % k]);
        }
      }
      return MutualInformation.assemble(settings, names, binWeights, nmi, base);
    } finally {
      ranges.unpersist(false);
      if (binned != null) binned.unpersist(false);
      if (paired != null) paired.unpersist(false);
    }
  }

  /**
   * The pairs (i &lt; j, or i ≤ j with the diagonal) in passes: masks over {@code i * k + j}, each with
   * at most {@code budget} histogram cells (one pair at least), in pair order.
   */
  static List<boolean[]> passes(int[] count, boolean diagonal, long budget) {
    int k = count.length;
    List<boolean[]> out = new ArrayList<>();
    boolean[] pass = null;
    long cells = 0;
    for (int i = 0; i < k; i++) {
      for (int j = diagonal ? i : i + 1; j < k; j++) {
        long c = (long) count[i] * count[j];
        if (pass == null || cells + c > budget) {
          pass = new boolean[k * k];
          out.add(pass);
          cells = 0;
        }
        pass[i * k + j] = true;
        cells += c;
      }
    }
    return out;
  }

  /**
   * The joint histograms of the pairs in {@code pass} over blocks of events given as {first functions'
   * bins and the weights, second functions' bins}: summed per task in event order, then over tasks in
   * partition order.
   */
  private static double[][] histograms(JavaRDD<Binned[]> events, int[] count, boolean[] pass) {
    List<Tuple2<Integer, double[][][]>> parts = events.mapPartitionsWithIndex((index, it) -> {
      double[][] h = tables(count, pass);
      it.forEachRemaining(b -> fill(h, b[0].bins(), b[1].bins(), b[0].weights(), count));
      return List.of(new Tuple2<>(index, sparse(h))).iterator();
    }, true).collect();
    List<Tuple2<Integer, double[][][]>> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
    double[][] h = tables(count, pass);
    for (Tuple2<Integer, double[][][]> p : sorted) {
      for (int q = 0; q < h.length; q++) {
        if (h[q] == null) continue;
        double[][] t = p._2()[q];
        for (int i = 0; i < t[0].length; i++) h[q][(int) t[0][i]] += t[1][i];
      }
    }
    return h;
  }

  /** First pass over a partition: checks values and weights, counts, samples each function's values. */
  static Summary summarise(int partition, Iterator<FunctionBlock> it, List<String> names, boolean unweighted) {
    int k = names.size();
    long positive = 0;
    double total = 0;
    boolean unit = true;
    ArrayList<long[]> blocks = new ArrayList<>();
    List<List<float[]>> samples = new ArrayList<>();
    for (int j = 0; j < k; j++) samples.add(new ArrayList<>());
    while (it.hasNext()) {
      FunctionBlock b = it.next();
      int n = b.events();
      if (n == 0) continue;
      blocks.add(new long[] {b.first(), n});
      for (int e = 0; e < n; e++) {
        double w = unweighted ? 1 : b.weight(e);
        if (!unweighted) MutualInformation.checkWeight(w, b.where(e));
        unit &= w == 1;
        if (!unweighted) total += w;
        if (w > 0) positive++;
      }
      for (int j = 0; j < k; j++) {
        float[] v = b.values()[j];
        for (int e = 0; e < n; e++) MutualInformation.checkValue(v[e], names.get(j), b.where(e));
        samples.get(j).add(DistributedAdo.sample(v));
      }
    }
    float[][] out = new float[k][];
    for (int j = 0; j < k; j++) out[j] = DistributedAdo.concat(samples.get(j));
    return new Summary(partition, blocks, positive, total, unit, out);
  }

  /** A block's events by value range of every function: one piece per (function, range) with events. */
  static Iterator<Tuple2<Integer, Piece>> pieces(FunctionBlock b, float[][] bounds, int[] offset, boolean weighted) {
    int n = b.events();
    List<Tuple2<Integer, Piece>> out = new ArrayList<>();
    for (int j = 0; j < bounds.length; j++) {
      int nb = bounds[j].length + 1;
      float[] v = b.values()[j];
      int[] of = new int[n];
      int[] size = new int[nb];
      for (int e = 0; e < n; e++) size[of[e] = DistributedAdo.bucket(bounds[j], v[e])]++;
      float[][] values = new float[nb][];
      double[][] weights = new double[nb][];
      for (int q = 0; q < nb; q++) {
        if (size[q] == 0) continue;
        values[q] = new float[size[q]];
        if (weighted) weights[q] = new double[size[q]];
      }
      int[] fill = new int[nb];
      for (int e = 0; e < n; e++) {
        int q = of[e];
        if (weighted) weights[q][fill[q]] = b.weight(e);
        values[q][fill[q]++] = v[e];
      }
      for (int q = 0; q < nb; q++) if (size[q] > 0) out.add(new Tuple2<>(offset[j] + q, new Piece(b.first(), values[q], weights[q])));
    }
    return out.iterator();
  }

  /** A range's pieces as distinct values with summed weights: events in key order, then a stable sort by value. */
  static Groups groups(Iterator<Tuple2<Integer, Piece>> it) {
    List<Piece> pieces = new ArrayList<>();
    it.forEachRemaining(t -> pieces.add(t._2()));
    pieces.sort((a, b) -> Long.compare(a.first(), b.first()));
    int n = 0;
    for (Piece p : pieces) n += p.values().length;
    float[] v = new float[n];
    double[] w = new double[n];
    int at = 0;
    for (Piece p : pieces) {
      int m = p.values().length;
      System.arraycopy(p.values(), 0, v, at, m);
      if (p.weights() != null) System.arraycopy(p.weights(), 0, w, at, m);
      else Arrays.fill(w, at, at + m, 1);
      at += m;
    }
    int[] order = PairCounts.order(v);
    float[] values = new float[n];
    double[] weights = new double[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int e = order[i];
      float x = v[e] + 0.0f;
      if (m == 0 || x != values[m - 1]) {
        values[m] = x;
        weights[m++] = w[e];
      } else {
        weights[m - 1] += w[e];
      }
    }
    return new Groups(Arrays.copyOf(values, m), Arrays.copyOf(weights, m));
  }

  /**
   * Each function's bins: {@code starts[j]} the smallest value of each bin, {@code binWeights[j]} the
   * weight in each, as the plugin bins the function over every event.
   */
  private static void bins(JavaRDD<Groups> ranges, int[] offset, int bins, int inlineGroups, float[][] starts,
      double[][] binWeights) {
    int k = offset.length - 1;
    List<RangeSummary> summaries = new ArrayList<>(ranges.mapPartitionsWithIndex((index, it) -> {
      Groups g = it.next();
      int m = g.size();
      double total = 0;
      for (double w : g.weights()) total += w;
      return List.of(new RangeSummary(index, m, total, m == 0 ? Float.NaN : g.values()[0], m == 0 ? 0 : g.weights()[m - 1],
          m <= inlineGroups ? g : null)).iterator();
    }, true).collect());
    summaries.sort((a, b) -> Integer.compare(a.range(), b.range()));
    RangeSummary[] range = summaries.toArray(new RangeSummary[0]);

    Scan[] scans = new Scan[k];
    for (int j = 0; j < k; j++) {
      long distinct = 0;
      double total = 0;
      for (int r = offset[j]; r < offset[j + 1]; r++) {
        distinct += range[r].groups();
        total += range[r].total();
      }
      if (distinct <= bins) {
        // At most 'bins' distinct values: one bin per value (every range then holds at most 'bins' groups).
        List<Integer> missing = new ArrayList<>();
        for (int r = offset[j]; r < offset[j + 1]; r++) if (range[r].inline() == null) missing.add(r);
        Map<Integer, Groups> fetched = fetch(ranges, missing);
        FloatList s = new FloatList();
        DoubleList w = new DoubleList();
        for (int r = offset[j]; r < offset[j + 1]; r++) {
          Groups g = range[r].inline() != null ? range[r].inline() : fetched.get(r);
          for (int d = 0; d < g.size(); d++) {
            s.add(g.values()[d]);
            w.add(g.weights()[d]);
          }
        }
        starts[j] = s.toArray();
        binWeights[j] = w.toArray();
      } else {
        scans[j] = new Scan(offset[j], offset[j + 1], new EqualPopulationScan(total, bins));
      }
    }
    // Rounds: every function scans forward on its own until a range needs its task; those ranges are scanned in one job.
    while (true) {
      HashMap<Integer, EqualPopulationScan> wanted = new HashMap<>();
      for (Scan s : scans) {
        if (s == null || s.done()) continue;
        s.advance(range);
        if (!s.done()) wanted.put(s.at, s.scan.copy());
      }
      if (wanted.isEmpty()) break;
      int[] ids = wanted.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      List<Scanned>[] replies = ranges.mapPartitionsWithIndex((index, it) -> {
        EqualPopulationScan scan = wanted.get(index);
        return scan == null ? java.util.Collections.<Scanned>emptyIterator() : List.of(scan(index, it.next(), scan)).iterator();
      }, true).collectPartitions(ids);
      for (List<Scanned> reply : replies) {
        for (Scanned sc : reply) {
          for (Scan s : scans) if (s != null && !s.done() && s.at == sc.range()) s.apply(sc);
        }
      }
    }
    for (int j = 0; j < k; j++) {
      if (scans[j] == null) continue;
      starts[j] = scans[j].starts.toArray();
      binWeights[j] = scans[j].closed.toArray();
    }
  }

  /** The groups of some ranges, fetched whole. */
  private static Map<Integer, Groups> fetch(JavaRDD<Groups> ranges, List<Integer> ids) {
    Map<Integer, Groups> out = new HashMap<>();
    if (ids.isEmpty()) return out;
    int[] at = ids.stream().mapToInt(Integer::intValue).toArray();
    List<Groups>[] got = ranges.collectPartitions(at);
    for (int i = 0; i < at.length; i++) out.put(at[i], got[i].get(0));
    return out;
  }

  /** A range scanned group by group from the scan's state on entering it (on the range's task). */
  static Scanned scan(int index, Groups g, EqualPopulationScan scan) {
    FloatList starts = new FloatList();
    DoubleList closed = new DoubleList();
    for (int d = 0; d < g.size(); d++) {
      double before = scan.filled();
      int bin = scan.bin();
      if (scan.next(g.weights()[d]) != bin) {
        closed.add(before);
        starts.add(g.values()[d]);
      }
    }
    return new Scanned(index, starts.toArray(), closed.toArray(), scan);
  }

  /** The driver's side of one function's scan: where it is, the bins found so far. */
  private static final class Scan {
    private int at;
    private final int end;
    private EqualPopulationScan scan;
    private final FloatList starts = new FloatList();
    private final DoubleList closed = new DoubleList();
    private boolean finished;

    Scan(int from, int end, EqualPopulationScan scan) {
      this.at = from;
      this.end = end;
      this.scan = scan;
    }

    boolean done() {
      return finished;
    }

    /** Goes on through the ranges the driver can take alone; stops at one that its task must scan, or at the end. */
    void advance(RangeSummary[] range) {
      for (; at < end; at++) {
        RangeSummary r = range[at];
        if (r.groups() == 0) continue;
        if (starts.size() == 0) starts.add(r.first());
        if (r.inline() != null) {
          Scanned s = scan(at, r.inline(), scan);
          add(s);
        } else if (scan.staysInBin(r.total(), r.last())) {
          scan.join(r.total());
        } else {
          return;
        }
      }
      closed.add(scan.filled());
      finished = true;
    }

    void apply(Scanned s) {
      scan = s.scan();
      add(s);
      at++;
    }

    private void add(Scanned s) {
      for (float v : s.starts()) starts.add(v);
      for (double w : s.closed()) closed.add(w);
    }
  }

  /** The bin of a value: the last bin whose smallest value is at or below it. */
  static int binOf(float[] starts, float v) {
    return DistributedAdo.bucket(starts, v + 0.0f) - 1;
  }

  static Binned bin(FunctionBlock b, float[][] starts, boolean weighted) {
    int k = starts.length;
    int n = b.events();
    short[][] bins = new short[k][n];
    for (int j = 0; j < k; j++) {
      float[] v = b.values()[j];
      for (int e = 0; e < n; e++) bins[j][e] = (short) binOf(starts[j], v[e]);
    }
    double[] w = null;
    if (weighted) {
      w = new double[n];
      for (int e = 0; e < n; e++) w[e] = b.weight(e);
    }
    return new Binned(b.first(), bins, w);
  }

  /** Empty joint histograms of the pairs in {@code pass}, at [i * k + j]. */
  static double[][] tables(int[] count, boolean[] pass) {
    int k = count.length;
    double[][] h = new double[k * k][];
    for (int q = 0; q < pass.length; q++) if (pass[q]) h[q] = new double[count[q / k] * count[q % k]];
    return h;
  }

  /** Adds events to the joint histograms there are: first function's bins from {@code x}, second's from {@code y}. */
  static void fill(double[][] h, short[][] x, short[][] y, double[] w, int[] count) {
    int k = count.length;
    int n = x.length == 0 ? 0 : x[0].length;
    for (int q = 0; q < h.length; q++) {
      double[] t = h[q];
      if (t == null) continue;
      short[] a = x[q / k];
      short[] b = y[q % k];
      int ny = count[q % k];
      if (w == null) {
        for (int e = 0; e < n; e++) t[a[e] * ny + b[e]] += 1;
      } else {
        for (int e = 0; e < n; e++) t[a[e] * ny + b[e]] += w[e];
      }
    }
  }

  /** Only the cells with weight travel: per table, {cell indices, weights}. */
  static double[][][] sparse(double[][] h) {
    double[][][] out = new double[h.length][][];
    for (int q = 0; q < h.length; q++) {
      if (h[q] == null) continue;
      int used = 0;
      for (double x : h[q]) if (x != 0) used++;
      double[][] t = new double[2][used];
      int at = 0;
      for (int c = 0; c < h[q].length; c++) {
        if (h[q][c] == 0) continue;
        t[0][at] = c;
        t[1][at++] = h[q][c];
      }
      out[q] = t;
    }
    return out;
  }

  /**
   * The baseline's pairing: per block, its events' bins (and weights) with, as second functions, the
   * bins of each event's partner π(e) (events numbered in data order: blocks by key). Every event f
   * sends its bins to the block holding π⁻¹(f).
   */
  private static JavaRDD<Binned[]> paired(JavaRDD<Binned> binned, List<long[]> blockList, int k, long seed, int partitions) {
    List<long[]> sorted = new ArrayList<>(blockList);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    int nb = sorted.size();
    long[] keys = new long[nb];
    long[] firstEvent = new long[nb + 1];
    for (int i = 0; i < nb; i++) {
      keys[i] = sorted.get(i)[0];
      firstEvent[i + 1] = firstEvent[i] + sorted.get(i)[1];
    }
    long n = firstEvent[nb];
    JavaPairRDD<Integer, Object> own = binned.mapToPair(b -> new Tuple2<>(Arrays.binarySearch(keys, b.first()), (Object) b));
    JavaPairRDD<Integer, Object> sent = binned.flatMapToPair(b -> partners(b, keys, firstEvent, n, seed));
    return own.union(sent).groupByKey(new HashPartitioner(Math.max(1, partitions))).map(t -> {
      Binned mine = null;
      List<Partners> received = new ArrayList<>();
      for (Object o : t._2()) {
        if (o instanceof Binned b) mine = b;
        else received.add((Partners) o);
      }
      if (mine == null) throw new IllegalStateException("block " + t._1() + " received baseline partners but is missing");
      int size = mine.bins()[0].length;
      short[][] partner = new short[k][size];
      int filled = 0;
      for (Partners p : received) {
        for (int j = 0; j < k; j++) for (int i = 0; i < p.at().length; i++) partner[j][p.at()[i]] = p.bins()[j][i];
        filled += p.at().length;
      }
      if (filled != size) throw new IllegalStateException("block " + t._1() + ": " + filled + " baseline partners for " + size + " events");
      return new Binned[] {mine, new Binned(mine.first(), partner, null)};
    });
  }

  /** A block's events' bins, grouped by the block holding each one's baseline partner π⁻¹(f). */
  static Iterator<Tuple2<Integer, Object>> partners(Binned b, long[] keys, long[] firstEvent, long n, long seed) {
    Permutation pi = new Permutation(n, seed);
    int self = Arrays.binarySearch(keys, b.first());
    int k = b.bins().length;
    int size = b.bins()[0].length;
    int[] target = new int[size];
    int[] at = new int[size];
    Map<Integer, Integer> sizes = new java.util.TreeMap<>();
    for (int e = 0; e < size; e++) {
      long t = pi.inverse(firstEvent[self] + e);
      int blk = Arrays.binarySearch(firstEvent, t);
      // Blocks are never empty (first events strictly increase): t's block is the last one starting at or before it.
      blk = blk >= 0 ? blk : -blk - 2;
      target[e] = blk;
      at[e] = (int) (t - firstEvent[blk]);
      sizes.merge(blk, 1, Integer::sum);
    }
    Map<Integer, Partners> out = new java.util.TreeMap<>();
    Map<Integer, Integer> fill = new HashMap<>();
    for (var s : sizes.entrySet()) {
      out.put(s.getKey(), new Partners(new int[s.getValue()], new short[k][s.getValue()]));
      fill.put(s.getKey(), 0);
    }
    for (int e = 0; e < size; e++) {
      Partners p = out.get(target[e]);
      int i = fill.get(target[e]);
      p.at()[i] = at[e];
      for (int j = 0; j < k; j++) p.bins()[j][i] = b.bins()[j][e];
      fill.put(target[e], i + 1);
    }
    List<Tuple2<Integer, Object>> list = new ArrayList<>();
    for (var e : out.entrySet()) list.add(new Tuple2<>(e.getKey(), e.getValue()));
    return list.iterator();
  }

  /** A growable float array. */
  static final class FloatList {
    private float[] a = new float[16];
    private int n;

    void add(float v) {
      if (n == a.length) a = Arrays.copyOf(a, 2 * n);
      a[n++] = v;
    }

    int size() {
      return n;
    }

    float[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** A growable double array. */
  static final class DoubleList {
    private double[] a = new double[16];
    private int n;

    void add(double v) {
      if (n == a.length) a = Arrays.copyOf(a, 2 * n);
      a[n++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
