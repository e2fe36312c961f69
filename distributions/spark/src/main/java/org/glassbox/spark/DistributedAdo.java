package org.glassbox.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.plugins.ado.Ado;
import org.glassbox.plugins.ado.Ams;
import org.glassbox.plugins.ado.AdoSimilarityMethod;
import org.glassbox.plugins.ado.Auc;
import org.glassbox.plugins.ado.Orientation;
import scala.Tuple2;

/**
 * The {@code ado} similarity method (METHODS.md §7, §9) over every event of a cluster, exact: the
 * same matrix and per-function values (AUC, best-cut AMS) as {@code AdoSimilarityMethod} on one
 * machine, from a distributed sort by each function's value, per-task pair counts, and a small table
 * combined on the driver. No pair is sampled and no event's values come to the driver.
 *
 * <p>Each function f gets value ranges ("buckets", at most {@link #MAX_BUCKETS}, cut at quantiles of
 * a sample) so that equal values share a bucket. The signal × background pairs of two functions f
 * and g then fall in three disjoint sets:
 *
 * <ol>
 *   <li>both events in the same f bucket: counted exactly by the task that holds that bucket after
 *       the sort by f ({@link PairCounts}, f and g as they are);
 *   <li>different f buckets and different g buckets: whether f and g order the pair alike follows
 *       from the buckets alone, so a table of the signal and background weight in every (f bucket, g
 *       bucket) cell, summed over all events, gives their weights on the driver;
 *   <li>different f buckets, the same g bucket: counted by the task that holds that g bucket after the
 *       sort by g, with the f bucket standing for f (it orders the pair as f does, and pairs within one f
 *       bucket are left out: they are in the first set).
 * </ol>
 *
 * <p>Concordant, discordant and tied weights are the sums over the three sets, then ADO as the
 * plugin makes it ({@link Ado}). Each function's AUC comes from the same sort: the pairs within a
 * bucket counted by its task, those across buckets from the buckets' class weights (every signal event
 * of a bucket is above every background event of the buckets below). The best-cut AMS scans each
 * bucket's distinct values with the weight of the buckets beyond it added. Partial sums are combined in
 * bucket order on the driver, so a rerun gives the same bits; with unit weights every sum is an exact
 * integer and the results are those of one machine bit for bit.
 */
final class DistributedAdo {
  /** Value ranges per function: tasks of the sort, and the side of the driver's cell table. */
  static final int MAX_BUCKETS = 256;
  /** Sampled values per function and block, for the bucket boundaries. */
  static final int SAMPLE = 64;

  private DistributedAdo() {}

  /** What the first pass finds in one partition: class weights and counts, whether all weights are 1, samples. */
  record Summary(int partition, double signal, double background, long signalEvents, long backgroundEvents, boolean unit,
      float[][] sample) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Over the events of one bucket after the sort by function m. */
  record BucketSums(int bucket, double signal, double background, double above, double tied, double below,
      double[][] pairs) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The best AMS cut within one bucket: ams, cut value, s, b; null when the bucket is empty. */
  record BestCut(int bucket, double ams, double cut, double s, double b) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Key k goes to partition k (keys are bucket indices). */
  static final class BucketPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    BucketPartitioner(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BucketPartitioner p && p.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  /**
   * @param blocks the events with the functions' values, in the order of {@code names} (cached by the caller)
   * @param buckets value ranges per function (at most {@link #MAX_BUCKETS})
   */
  static Similarity compute(JavaRDD<FunctionBlock> blocks, List<String> names, boolean unweighted, int buckets) {
    int k = names.size();
    int wanted = Math.max(1, Math.min(buckets, MAX_BUCKETS));
    List<String> functionNames = List.copyOf(names);
    List<Summary> summaries = new ArrayList<>(blocks.mapPartitionsWithIndex(
        (index, it) -> List.of(summarise(index, it, functionNames, unweighted)).iterator(), true).collect());
    summaries.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    double signalWeight = 0;
    double backgroundWeight = 0;
    long signalEvents = 0;
    long backgroundEvents = 0;
    boolean unit = true;
    for (Summary s : summaries) {
      signalWeight += s.signal();
      backgroundWeight += s.background();
      signalEvents += s.signalEvents();
      backgroundEvents += s.backgroundEvents();
      unit &= s.unit();
    }
    requireBothClasses(signalEvents, backgroundEvents, signalWeight, backgroundWeight);
    float[][] bounds = new float[k][];
    for (int j = 0; j < k; j++) bounds[j] = boundaries(summaries, j, wanted);

    // Pairs in different buckets of both functions: the driver's cell table.
    double[][] cellPairs = cells(blocks, bounds, k, unweighted);

    // Pairs within a bucket, AUC and AMS: one distributed sort per function.
    double[][][] within = new double[k][k][];
    double[][] cross = new double[k * k][];
    Map<String, Map<String, Double>> perFunction = new LinkedHashMap<>();
    for (int m = 0; m < k; m++) {
      int fm = m;
      int nb = bounds[m].length + 1;
      JavaRDD<FunctionBlock> sorted = blocks.flatMapToPair(b -> split(b, fm, bounds[fm]))
          .partitionBy(new BucketPartitioner(nb))
          .mapPartitions(it -> {
            List<FunctionBlock.Subset> parts = new ArrayList<>();
            it.forEachRemaining(t -> parts.add(t._2()));
            return List.of(FunctionBlock.concat(parts, bounds.length)).iterator();
          }, true)
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<BucketSums> sums = new ArrayList<>(sorted.mapPartitionsWithIndex(
            (index, it) -> List.of(bucketSums(index, it.next(), fm, bounds, unweighted)).iterator(), true).collect());
        sums.sort((a, b) -> Integer.compare(a.bucket(), b.bucket()));
        double above = 0;
        double tied = 0;
        double below = 0;
        double backgroundBefore = 0;
        double[] signalAt = new double[nb];
        double[] backgroundAt = new double[nb];
        for (BucketSums s : sums) {
          signalAt[s.bucket()] = s.signal();
          backgroundAt[s.bucket()] = s.background();
        }
        double backgroundAfter = 0;
        for (int p = nb - 1; p >= 0; p--) {
          below += signalAt[p] * backgroundAfter;
          backgroundAfter += backgroundAt[p];
        }
        for (BucketSums s : sums) {
          above += s.above() + s.signal() * backgroundBefore;
          tied += s.tied();
          below += s.below();
          backgroundBefore += s.background();
          for (int j = 0; j < k; j++) {
            if (j >= m) within[m][j] = add(within[m][j], s.pairs()[j]);
            else cross[j * k + m] = add(cross[j * k + m], s.pairs()[j]);
          }
        }
        Auc auc = new Auc(above, tied, below);
        boolean high = auc.orientation() != Orientation.INVERTED;
        double[] offS = new double[nb];
        double[] offB = new double[nb];
        // The weight beyond each bucket on the tight side: above it for signal-high cuts, below it otherwise.
        double s0 = 0;
        double b0 = 0;
        for (int q = 0; q < nb; q++) {
          int p = high ? nb - 1 - q : q;
          offS[p] = s0;
          offB[p] = b0;
          s0 += signalAt[p];
          b0 += backgroundAt[p];
        }
        List<BestCut> cuts = new ArrayList<>(sorted.mapPartitionsWithIndex(
            (index, it) -> List.of(bestCut(index, it.next(), fm, high, offS[index], offB[index], unweighted)).iterator(), true)
            .collect());
        cuts.sort((a, b) -> Integer.compare(a.bucket(), b.bucket()));
        BestCut best = null;
        for (int q = 0; q < cuts.size(); q++) {
          BestCut c = cuts.get(high ? cuts.size() - 1 - q : q);
          if (!Double.isNaN(c.ams()) && (best == null || c.ams() > best.ams())) best = c;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("auc", auc.own());
        values.put("auc_raw", auc.value());
        values.put("ams", best.ams());
        values.put("ams_cut", best.cut());
        values.put("ams_direction", high ? 1.0 : -1.0);
        values.put("ams_s", best.s());
        values.put("ams_b", best.b());
        values.put("ams_unit_weights", unweighted || unit ? 1.0 : 0.0);
        perFunction.put(names.get(m), values);
      } finally {
        sorted.unpersist(false);
      }
    }
    double[][] matrix = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        double[] w = within[a][b];
        double[] c = cellPairs[a * k + b];
        double[] x = a == b ? new double[3] : cross[a * k + b];
        Ado ado = new Ado(w[0] + c[0] + x[0], w[1] + c[1] + x[1], w[2] + x[2]);
        matrix[a][b] = ado.oriented();
        matrix[b][a] = matrix[a][b];
      }
    }
    return new Similarity(AdoSimilarityMethod.MEASURE, names, matrix, perFunction);
  }

  private static double[] add(double[] a, double[] b) {
    if (a == null) return b.clone();
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  /** As the plugin's {@code Events}: both classes, each with some weight. */
  private static void requireBothClasses(long signal, long background, double signalWeight, double backgroundWeight) {
    long n = signal + background;
    if (signal == 0) {
      throw new GlassboxException("no signal events among the " + n + " events: ADO, AUC and AMS compare signal with"
          + " background, so both are needed");
    }
    if (background == 0) {
      throw new GlassboxException("no background events among the " + n + " events: ADO, AUC and AMS compare signal with"
          + " background, so both are needed");
    }
    if (!(signalWeight > 0)) throw new GlassboxException("all " + signal + " signal events have weight 0");
    if (!(backgroundWeight > 0)) throw new GlassboxException("all " + background + " background events have weight 0");
  }

  /** First pass over a partition: checks values and weights, sums the classes, samples each function's values. */
  static Summary summarise(int partition, Iterator<FunctionBlock> it, List<String> names, boolean unweighted) {
    int k = names.size();
    double signal = 0;
    double background = 0;
    long ns = 0;
    long nb = 0;
    boolean unit = true;
    List<float[]>[] samples = newLists(k);
    while (it.hasNext()) {
      FunctionBlock b = it.next();
      int n = b.events();
      for (int e = 0; e < n; e++) {
        double w = unweighted ? 1 : b.weight(e);
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new GlassboxException("ado: the weight of " + b.where(e) + " is " + w + "; weights must be finite"
              + " and non-negative (ADO, AUC and AMS are weighted means or sums)");
        }
        unit &= w == 1;
        if (b.signal()[e]) {
          signal += w;
          ns++;
        } else {
          background += w;
          nb++;
        }
      }
      for (int j = 0; j < k; j++) {
        float[] v = b.values()[j];
        for (int e = 0; e < n; e++) {
          if (Float.isNaN(v[e])) {
            throw new GlassboxException("ado: the score of '" + names.get(j) + "' is NaN at " + b.where(e)
                + "; every event needs a score that can be ordered (remove or fix that event)");
          }
        }
        samples[j].add(sample(v));
      }
    }
    float[][] out = new float[k][];
    for (int j = 0; j < k; j++) out[j] = concat(samples[j]);
    return new Summary(partition, signal, background, ns, nb, unit, out);
  }

  @SuppressWarnings("unchecked")
  private static List<float[]>[] newLists(int k) {
    List<float[]>[] l = new List[k];
    for (int j = 0; j < k; j++) l[j] = new ArrayList<>();
    return l;
  }

  /** {@link #SAMPLE} values at evenly spaced ranks of a block's values (all of them when fewer). */
  static float[] sample(float[] v) {
    float[] s = v.clone();
    for (int i = 0; i < s.length; i++) s[i] += 0.0f;
    Arrays.sort(s);
    if (s.length <= SAMPLE) return s;
    float[] out = new float[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) out[i] = s[(int) ((long) i * s.length / SAMPLE)];
    return out;
  }

  static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) n += p.length;
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Up to {@code buckets - 1} distinct boundaries at the quantiles of function j's samples. */
  static float[] boundaries(List<Summary> summaries, int j, int buckets) {
    List<float[]> parts = new ArrayList<>();
    for (Summary s : summaries) parts.add(s.sample()[j]);
    return boundaries(parts, buckets);
  }

  /** Up to {@code buckets - 1} distinct boundaries at the quantiles of some samples of one function. */
  static float[] boundaries(List<float[]> parts, int buckets) {
    float[] all = concat(parts);
    Arrays.sort(all);
    float[] out = new float[Math.max(0, buckets - 1)];
    int n = 0;
    for (int q = 1; q < buckets && all.length > 0; q++) {
      float b = all[(int) ((long) q * all.length / buckets)];
      if (n == 0 || b > out[n - 1]) out[n++] = b;
    }
    // A boundary at the smallest value would leave bucket 0 empty: drop it.
    if (n > 0 && all.length > 0 && out[0] <= all[0]) {
      System.arraycopy(out, 1, out, 0, n - 1);
      n--;
    }
    return Arrays.copyOf(out, n);
  }

  /** The bucket of a value: how many boundaries are at or below it (equal values share a bucket). */
  static int bucket(float[] bounds, float v) {
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A block's events by their bucket of function m, one subset per bucket. */
  static Iterator<Tuple2<Integer, FunctionBlock.Subset>> split(FunctionBlock b, int m, float[] bounds) {
    int n = b.events();
    int nb = bounds.length + 1;
    int[] of = new int[n];
    int[] count = new int[nb];
    for (int e = 0; e < n; e++) {
      of[e] = bucket(bounds, b.values()[m][e]);
      count[of[e]]++;
    }
    int[][] idx = new int[nb][];
    int[] fill = new int[nb];
    for (int q = 0; q < nb; q++) if (count[q] > 0) idx[q] = new int[count[q]];
    for (int e = 0; e < n; e++) idx[of[e]][fill[of[e]]++] = e;
    List<Tuple2<Integer, FunctionBlock.Subset>> out = new ArrayList<>();
    for (int q = 0; q < nb; q++) if (count[q] > 0) out.add(new Tuple2<>(q, b.subset(idx[q], count[q])));
    return out.iterator();
  }

  /**
   * The table of every pair of functions (a ≤ b): the signal and background weight of each (a bucket,
   * b bucket) cell, summed per partition and then over partitions in partition order; returns, per
   * pair {@code a * k + b}, the concordant and discordant weight of the pairs in different buckets of
   * both functions.
   */
  private static double[][] cells(JavaRDD<FunctionBlock> blocks, float[][] bounds, int k, boolean unweighted) {
    List<Tuple2<Integer, double[][][]>> parts = new ArrayList<>(blocks.mapPartitionsWithIndex((index, it) -> {
      double[][][] cell = new double[k * k][][];
      for (int a = 0; a < k; a++) {
        for (int b = a; b < k; b++) cell[a * k + b] = new double[2][(bounds[a].length + 1) * (bounds[b].length + 1)];
      }
      while (it.hasNext()) {
        FunctionBlock blk = it.next();
        int n = blk.events();
        int[][] bucketOf = new int[k][n];
        for (int j = 0; j < k; j++) for (int e = 0; e < n; e++) bucketOf[j][e] = bucket(bounds[j], blk.values()[j][e]);
        for (int a = 0; a < k; a++) {
          for (int b = a; b < k; b++) {
            int width = bounds[b].length + 1;
            double[][] c = cell[a * k + b];
            for (int e = 0; e < n; e++) {
              c[blk.signal()[e] ? 0 : 1][bucketOf[a][e] * width + bucketOf[b][e]] += unweighted ? 1 : blk.weight(e);
            }
          }
        }
      }
      // Only the cells with events travel: {cell index, signal weight, background weight} per pair.
      double[][][] sparse = new double[k * k][][];
      for (int q = 0; q < cell.length; q++) {
        if (cell[q] == null) continue;
        int used = 0;
        for (int c = 0; c < cell[q][0].length; c++) if (cell[q][0][c] != 0 || cell[q][1][c] != 0) used++;
        double[][] t = new double[3][used];
        int at = 0;
        for (int c = 0; c < cell[q][0].length; c++) {
          if (cell[q][0][c] == 0 && cell[q][1][c] == 0) continue;
          t[0][at] = c;
          t[1][at] = cell[q][0][c];
          t[2][at++] = cell[q][1][c];
        }
        sparse[q] = t;
      }
      return List.of(new Tuple2<>(index, sparse)).iterator();
    }, true).collect());
    parts.sort((x, y) -> Integer.compare(x._1(), y._1()));
    double[][] out = new double[k * k][];
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        int rows = bounds[a].length + 1;
        int cols = bounds[b].length + 1;
        double[][] total = new double[2][rows * cols];
        for (Tuple2<Integer, double[][][]> p : parts) {
          double[][] t = p._2()[a * k + b];
          for (int i = 0; i < t[0].length; i++) {
            total[0][(int) t[0][i]] += t[1][i];
            total[1][(int) t[0][i]] += t[2][i];
          }
        }
        out[a * k + b] = crossCells(total, rows, cols);
      }
    }
    return out;
  }

  /**
   * Concordant and discordant weight of the pairs in different rows and different columns of a
   * table of signal ({@code t[0]}) and background ({@code t[1]}) weights, rows × cols, row-major: a
   * signal cell with background below-left or above-right is concordant, below-right or above-left
   * discordant. Four running sums of background weight (one per quadrant), additions only.
   */
  static double[] crossCells(double[][] t, int rows, int cols) {
    double[] sig = t[0];
    double[] bkg = t[1];
    double[] lowLow = quadrant(bkg, rows, cols, true, true);
    double[] lowHigh = quadrant(bkg, rows, cols, true, false);
    double[] highLow = quadrant(bkg, rows, cols, false, true);
    double[] highHigh = quadrant(bkg, rows, cols, false, false);
    double concordant = 0;
    double discordant = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double s = sig[r * cols + c];
        if (s == 0) continue;
        concordant += s * (lowLow[r * cols + c] + highHigh[r * cols + c]);
        discordant += s * (lowHigh[r * cols + c] + highLow[r * cols + c]);
      }
    }
    return new double[] {concordant, discordant};
  }

  /** For each cell, the weight in the cells strictly below (or above) in row and strictly below (or above) in column. */
  private static double[] quadrant(double[] w, int rows, int cols, boolean rowBelow, boolean colBelow) {
    // inclusive[r][c]: weight of cells at or beyond (r, c) in the quadrant's directions, summed along rows then columns.
    double[] inclusive = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      int r = rowBelow ? i : rows - 1 - i;
      double run = 0;
      for (int j = 0; j < cols; j++) {
        int c = colBelow ? j : cols - 1 - j;
        run += w[r * cols + c];
        int prevRow = rowBelow ? r - 1 : r + 1;
        inclusive[r * cols + c] = run + (prevRow >= 0 && prevRow < rows ? inclusive[prevRow * cols + c] : 0);
      }
    }
    double[] strict = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int pr = rowBelow ? r - 1 : r + 1;
        int pc = colBelow ? c - 1 : c + 1;
        strict[r * cols + c] = pr >= 0 && pr < rows && pc >= 0 && pc < cols ? inclusive[pr * cols + pc] : 0;
      }
    }
    return strict;
  }

  /**
   * One bucket of the sort by function m: its class weights; the AUC pairs within it; and per other
   * function j the pair weights this bucket contributes: with j ≥ m the pairs within the bucket ((m,
   * j) as they are), with j < m the pairs of different j buckets within it (j's bucket for j, m).
   */
  static BucketSums bucketSums(int bucket, FunctionBlock b, int m, float[][] bounds, boolean unweighted) {
    int k = bounds.length;
    int n = b.events();
    double[] w = unweighted ? null : b.weights();
    double signal = 0;
    double background = 0;
    for (int e = 0; e < n; e++) {
      double we = w == null ? 1 : w[e];
      if (b.signal()[e]) signal += we;
      else background += we;
    }
    float[] f = b.values()[m];
    double[] auc = aucWithin(f, b.signal(), w);
    double[][] pairs = new double[k][];
    for (int j = 0; j < k; j++) {
      if (j >= m) {
        pairs[j] = PairCounts.count(f, b.values()[j], b.signal(), w, false);
      } else {
        float[] jb = new float[n];
        for (int e = 0; e < n; e++) jb[e] = bucket(bounds[j], b.values()[j][e]);
        pairs[j] = PairCounts.count(jb, f, b.signal(), w, true);
      }
    }
    return new BucketSums(bucket, signal, background, auc[0], auc[1], auc[2], pairs);
  }

  /** Above, tied and below pair weights of a score within some events, as {@link Auc#exact} counts them. */
  static double[] aucWithin(float[] f, boolean[] signal, double[] w) {
    int[] order = PairCounts.order(f);
    List<double[]> groups = new ArrayList<>();
    for (int from = 0; from < order.length; ) {
      int to = from + 1;
      while (to < order.length && f[order[to]] == f[order[from]]) to++;
      double s = 0;
      double b = 0;
      for (int p = from; p < to; p++) {
        int e = order[p];
        double we = w == null ? 1 : w[e];
        if (signal[e]) s += we;
        else b += we;
      }
      groups.add(new double[] {s, b});
      from = to;
    }
    double above = 0;
    double tied = 0;
    double backgroundBelow = 0;
    for (double[] g : groups) {
      above += g[0] * backgroundBelow;
      tied += g[0] * g[1];
      backgroundBelow += g[1];
    }
    double below = 0;
    double backgroundAbove = 0;
    for (int i = groups.size() - 1; i >= 0; i--) {
      below += groups.get(i)[0] * backgroundAbove;
      backgroundAbove += groups.get(i)[1];
    }
    return new double[] {above, tied, below};
  }

  /**
   * The best AMS (b_r = 10) over the cuts at this bucket's distinct values of function m, with the
   * passing weight of the buckets beyond it on the tight side already counted; of equal AMS the
   * tightest, as {@link Ams#scan} chooses.
   */
  static BestCut bestCut(int bucket, FunctionBlock b, int m, boolean high, double offS, double offB, boolean unweighted) {
    float[] f = b.values()[m];
    double[] w = unweighted ? null : b.weights();
    int[] order = PairCounts.order(f);
    int n = order.length;
    // Per distinct value, the class weights in event order (as the plugin sums them).
    List<double[]> groups = new ArrayList<>();
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && f[order[to]] == f[order[from]]) to++;
      double[] g = new double[3];
      g[2] = f[order[from]] + 0.0f;
      int[] members = Arrays.copyOfRange(order, from, to);
      Arrays.sort(members);
      for (int e : members) {
        double we = w == null ? 1 : w[e];
        if (b.signal()[e]) g[0] += we;
        else g[1] += we;
      }
      groups.add(g);
      from = to;
    }
    double s = offS;
    double bk = offB;
    double bestAms = Double.NaN;
    double cut = Double.NaN;
    double bestS = 0;
    double bestB = 0;
    for (int q = 0; q < groups.size(); q++) {
      double[] g = groups.get(high ? groups.size() - 1 - q : q);
      s += g[0];
      bk += g[1];
      double ams = Ams.value(s, bk);
      if (Double.isNaN(bestAms) || ams > bestAms) {
        bestAms = ams;
        cut = g[2];
        bestS = s;
        bestB = bk;
      }
    }
    return new BestCut(bucket, bestAms, cut, bestS, bestB);
  }
}
