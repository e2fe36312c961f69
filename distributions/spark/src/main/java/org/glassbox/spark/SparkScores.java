package org.glassbox.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.data.DataReaders;
import org.glassbox.data.EventTable;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.run.ChunkScorer;
import org.glassbox.engine.run.DataSource;
import org.glassbox.engine.run.DistributedScores;
import org.glassbox.engine.run.RunSpec;
import scala.Tuple2;

/**
 * The attribution scores and AUCs of every event, computed on a Spark cluster: the engine's
 * {@link DistributedScores} seam, done as {@link DistributedScores.Streamed} does it on one machine
 * but with the chunks scored in parallel.
 *
 * <ol>
 *   <li>The driver reads the data file once, in blocks of {@code data.stream} events (or
 *       {@link #DEFAULT_BLOCK}), and publishes each block as a broadcast: executors fetch the blocks
 *       of their partitions, and the driver's block manager may spill them to disk. With fewer blocks
 *       than partitions the events are cut into one block per partition.
 *   <li>Each partition's task scores its blocks with the engine's {@link ChunkScorer} (block seed:
 *       the run's seed plus the block's first event index, as streaming does), on a model its
 *       executor opened once ({@link ScorerPool}), and returns the merged attribution sums and, per
 *       neuron, a table of distinct values with their signal and background weights.
 *   <li>The driver merges the sums in a fixed tree over partition indices ({@link #FANOUT} at a
 *       level), always in partition order, so a run gives the same bits every time; and computes each
 *       neuron's AUC exactly from a distributed sort of the value tables.
 * </ol>
 *
 * <p>Task outputs are values, not side effects, so a task that fails and is retried, or runs twice
 * under speculation, counts its events once.
 */
public final class SparkScores implements DistributedScores {
  /** Events per block when the analysis does not set {@code data.stream}. */
  public static final int DEFAULT_BLOCK = 65_536;
  /** Partial results merged per task at each level of the merge tree. */
  static final int FANOUT = 16;

  private final JavaSparkContext sc;
  private final int partitions;
  private final int blockEvents;
  private final List<Path> pluginDirs;
  private final List<ModelProvenance> provenance = new ArrayList<>();
  private TaskHook hook;
  private ParquetInput parquet;
  private int parquetPartitions;

  /** Called in every task after it scored its partition (tests use it to fail an attempt). */
  public interface TaskHook extends Serializable {
    void afterScoring(TaskContext task);
  }

  /**
   * What the cluster did for one model.
   *
   * @param blockEvents events in the largest block
   * @param threads ONNX Runtime threads per task
   */
  public record ModelProvenance(String model, long events, int blocks, int blockEvents, int partitions, int threads,
      double readSeconds, double scoreSeconds, double aucSeconds) {}

  /**
   * @param partitions how many partitions (tasks) the events are scored in
   * @param blockEvents events per block; 0 for {@code data.stream}, or {@link #DEFAULT_BLOCK} without it
   * @param pluginDirs plugin folders, at the same paths on every executor
   */
  public SparkScores(JavaSparkContext sc, int partitions, int blockEvents, List<Path> pluginDirs) {
    if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    if (blockEvents < 0) throw new IllegalArgumentException("blockEvents must be 0 or positive, got " + blockEvents);
    this.sc = sc;
    this.partitions = partitions;
    this.blockEvents = blockEvents;
    this.pluginDirs = List.copyOf(pluginDirs);
  }

  public SparkScores withTaskHook(TaskHook hook) {
    this.hook = hook;
    return this;
  }

  /**
   * Scores the rows of a Parquet data set where they lie, instead of the engine's data file (which
   * then holds only the first rows, for the driver's part of the report).
   *
   * @param partitions partitions to score in: 0 for the partitions Spark reads the data set in
   */
  SparkScores withParquet(ParquetInput input, int partitions) {
    this.parquet = input;
    this.parquetPartitions = partitions;
    return this;
  }

  /** One entry per model scored so far. */
  public List<ModelProvenance> provenance() {
    return List.copyOf(provenance);
  }

  /** A block of events held by a broadcast, and where it starts. */
  record BlockRef(Broadcast<EventBlock> block, long first, int events) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What one partition's task returns: the sums of its events (null: none), and per neuron its value table (null without labels). */
  record Scored(int partition, PartialScores partial, ScoreTies[] ties) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Totals totals(RunSpec spec, RunSpec.ModelSpec ms, Progress progress) {
    if (!(spec.data() instanceof DataSource.File file)) {
      throw new GlassboxException("Spark scores events read from a data file; " + spec.data().describe() + " is generated"
          + " on the driver. Run it with 'glassbox run', or write the events to a file.");
    }
    long start = System.nanoTime();
    byte[] model;
    String modelName;
    // Loaded here as on one machine (external tensor data inlined, the graph checked), then shipped as bytes.
    try (OnnxModel m = OnnxModel.load(ms.file(), new ExecutionOptions(1, spec.batchSize()))) {
      model = m.proto().toByteArray();
      modelName = m.name();
    }
    int block = blockEvents > 0 ? blockEvents : file.stream() > 0 ? file.stream() : DEFAULT_BLOCK;
    int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
    int threads = spec.threads() > 0 ? spec.threads() : taskCpus;
    if (parquet != null) return parquetTotals(spec, ms, modelName, model, block, threads, start, progress);
    List<Broadcast<EventBlock>> published = new ArrayList<>();
    Broadcast<byte[]> modelBroadcast = null;
    JavaRDD<Scored> scored = null;
    try {
      List<BlockRef> refs = new ArrayList<>();
      EventTable head = null;
      try (Stream<EventTable> chunks = DataReaders.chunks(file.spec(), block)) {
        List<EventBlock> pending = new ArrayList<>();
        long first = 0;
        boolean enough = false;
        for (Iterator<EventTable> it = chunks.iterator(); it.hasNext(); ) {
          progress.checkCancelled();
          EventTable t = it.next();
          if (head == null) head = t;
          pending.add(EventBlock.of(t, first));
          first += t.events();
          enough |= pending.size() >= partitions;
          if (enough) publish(pending, refs, published);
        }
        if (!pending.isEmpty()) publish(cut(EventBlock.concat(pending), partitions), refs, published);
      }
      if (head == null) throw new GlassboxException(file.describe() + " has no events.");
      ScoringJob job = ScoringJob.of(spec, modelName, model, head.featureNames(), head.source(), head.sha256(), pluginDirs,
          threads);
      Broadcast<byte[]> bytes = sc.broadcast(model);
      modelBroadcast = bytes;
      TaskHook taskHook = hook;
      long read = System.nanoTime();
      progress.message("Spark: " + modelName + ", " + refs.size() + " blocks in " + partitions + " partitions");
      scored = sc.parallelize(refs, partitions).mapPartitions(it -> score(job, bytes, it, taskHook))
          .persist(StorageLevel.MEMORY_AND_DISK());
      PartialScores total = merge(scored, partitions);
      if (total == null) throw new GlassboxException(file.describe() + " has no events.");
      long merged = System.nanoTime();
      Attribution[][] attributions = total.toAttributions();
      double[] auc = new double[attributions.length];
      for (int i = 0; i < auc.length; i++) auc[i] = head.labels() == null ? Double.NaN : auc(scored, i, partitions);
      int largest = refs.stream().mapToInt(BlockRef::events).max().orElse(0);
      provenance.add(new ModelProvenance(ms.name(), total.events(), refs.size(), largest, partitions, threads,
          (read - start) / 1e9, (merged - read) / 1e9, (System.nanoTime() - merged) / 1e9));
      return new Totals(attributions, auc, total.events());
    } finally {
      if (scored != null) scored.unpersist(false);
      if (modelBroadcast != null) modelBroadcast.destroy();
      for (Broadcast<EventBlock> b : published) b.destroy();
    }
  }

  /** The Parquet route: a counting pass (where each partition's events start), then the scoring pass over the rows. */
  private Totals parquetTotals(RunSpec spec, RunSpec.ModelSpec ms, String modelName, byte[] model, int block, int threads,
      long start, Progress progress) {
    ParquetInput.Layout layout = parquet.layout();
    JavaRDD<org.apache.spark.sql.Row> rows = parquet.rows(parquetPartitions);
    int parts = rows.getNumPartitions();
    List<Long> counts;
    try {
      counts = rows.mapPartitions(it -> List.of(ParquetInput.count(layout, it)).iterator()).collect();
    } catch (Exception e) { // SparkException, a checked exception thrown unchecked from Scala
      // A bad row (NaN under nan: error, a label not 0/1, an array of another width): the message names the part file and row.
      for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof GlassboxException g) throw new GlassboxException(g.getMessage(), e);
      throw e;
    }
    long[] first = new long[counts.size()];
    long events = 0;
    for (int p = 0; p < first.length; p++) {
      first[p] = events;
      events += counts.get(p);
    }
    if (events == 0) throw new GlassboxException(parquet.path() + " has no events.");
    ScoringJob job = ScoringJob.of(spec, modelName, model, layout.featureNames(), parquet.path().toString(), "parquet", pluginDirs,
        threads);
    Broadcast<byte[]> bytes = sc.broadcast(model);
    JavaRDD<Scored> scored = null;
    try {
      TaskHook taskHook = hook;
      long read = System.nanoTime();
      progress.message("Spark: " + modelName + ", " + events + " Parquet events in " + parts + " partitions");
      scored = rows.mapPartitionsWithIndex((index, it) -> scoreRows(job, bytes, layout, it, first[index], block, taskHook), true)
          .persist(StorageLevel.MEMORY_AND_DISK());
      PartialScores total = merge(scored, parts);
      if (total == null) throw new GlassboxException(parquet.path() + " has no events.");
      long merged = System.nanoTime();
      Attribution[][] attributions = total.toAttributions();
      double[] auc = new double[attributions.length];
      for (int i = 0; i < auc.length; i++) auc[i] = layout.label() ? auc(scored, i, parts) : Double.NaN;
      long blocks = 0;
      for (long c : counts) blocks += (c + block - 1) / block;
      provenance.add(new ModelProvenance(ms.name(), total.events(), (int) blocks, (int) Math.min(block, events), parts, threads,
          (read - start) / 1e9, (merged - read) / 1e9, (System.nanoTime() - merged) / 1e9));
      return new Totals(attributions, auc, total.events());
    } finally {
      if (scored != null) scored.unpersist(false);
      bytes.destroy();
    }
  }

  /** One task of the Parquet route: the partition's rows in blocks, scored as {@link #score} scores broadcast blocks. */
  private static Iterator<Scored> scoreRows(ScoringJob job, Broadcast<byte[]> model, ParquetInput.Layout layout,
      Iterator<org.apache.spark.sql.Row> rows, long first, int block, TaskHook hook) {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    ChunkScorer scorer = ScorerPool.borrow(job, model.value());
    try {
      Attribution[][][] sums = new Attribution[1][][];
      long[] events = new long[1];
      List<ChunkScorer.Partial> parts = new ArrayList<>();
      ParquetInput.blocks(layout, rows, first, block, b -> {
        ChunkScorer.Partial p = scorer.score(b.table(job.source(), job.sha256(), job.featureNames()), job.seed() + b.first());
        if (sums[0] == null) {
          sums[0] = p.attributions();
        } else {
          for (int i = 0; i < sums[0].length; i++) {
            for (int m = 0; m < sums[0][i].length; m++) sums[0][i][m] = sums[0][i][m].merge(p.attributions()[i][m]);
          }
        }
        events[0] += p.events();
        parts.add(p);
      });
      Scored out = new Scored(partition, sums[0] == null ? null : PartialScores.of(sums[0], events[0]), ties(parts));
      if (hook != null && task != null) hook.afterScoring(task);
      return List.of(out).iterator();
    } finally {
      ScorerPool.release(job, scorer);
    }
  }

  private void publish(List<EventBlock> blocks, List<BlockRef> refs, List<Broadcast<EventBlock>> published) {
    for (EventBlock b : blocks) {
      Broadcast<EventBlock> bc = sc.broadcast(b);
      published.add(bc);
      refs.add(new BlockRef(bc, b.first(), b.events()));
    }
    blocks.clear();
  }

  /** The events cut into {@code parts} blocks as equal as can be (fewer when there are fewer events). */
  static List<EventBlock> cut(EventBlock all, int parts) {
    List<EventBlock> out = new ArrayList<>();
    int n = all.events();
    int k = Math.min(parts, n);
    for (int p = 0; p < k; p++) out.add(all.slice((int) ((long) p * n / k), (int) ((long) (p + 1) * n / k)));
    return out;
  }

  /** One task: score the partition's blocks on this executor's model; return its sums and value tables. */
  private static Iterator<Scored> score(ScoringJob job, Broadcast<byte[]> model, Iterator<BlockRef> blocks, TaskHook hook) {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    ChunkScorer scorer = ScorerPool.borrow(job, model.value());
    try {
      Attribution[][] sums = null;
      long events = 0;
      List<ChunkScorer.Partial> parts = new ArrayList<>();
      while (blocks.hasNext()) {
        EventBlock b = blocks.next().block().value();
        ChunkScorer.Partial p = scorer.score(b.table(job.source(), job.sha256(), job.featureNames()), job.seed() + b.first());
        if (sums == null) {
          sums = p.attributions();
        } else {
          for (int i = 0; i < sums.length; i++) for (int m = 0; m < sums[i].length; m++) sums[i][m] = sums[i][m].merge(p.attributions()[i][m]);
        }
        events += p.events();
        parts.add(p);
      }
      Scored out = new Scored(partition, sums == null ? null : PartialScores.of(sums, events), ties(parts));
      if (hook != null && task != null) hook.afterScoring(task);
      return List.of(out).iterator();
    } finally {
      ScorerPool.release(job, scorer);
    }
  }

  /** Per neuron, the value table of the partition's events (null without events or labels). */
  private static ScoreTies[] ties(List<ChunkScorer.Partial> parts) {
    if (parts.isEmpty() || parts.get(0).labels() == null) return null;
    int neurons = parts.get(0).values().length;
    int n = 0;
    for (ChunkScorer.Partial p : parts) n += (int) p.events();
    int[] labels = new int[n];
    double[] weights = parts.get(0).weights() == null ? null : new double[n];
    int at = 0;
    for (ChunkScorer.Partial p : parts) {
      System.arraycopy(p.labels(), 0, labels, at, p.labels().length);
      if (weights != null) System.arraycopy(p.weights(), 0, weights, at, p.weights().length);
      at += p.labels().length;
    }
    ScoreTies[] out = new ScoreTies[neurons];
    for (int i = 0; i < neurons; i++) {
      float[] v = new float[n];
      at = 0;
      for (ChunkScorer.Partial p : parts) {
        System.arraycopy(p.values()[i], 0, v, at, p.values()[i].length);
        at += p.values()[i].length;
      }
      out[i] = ScoreTies.of(v, labels, weights);
    }
    return out;
  }

  /**
   * The sums of every partition, merged in a fixed tree: groups of {@link #FANOUT} consecutive
   * partitions, each merged in partition order, level after level, the last level on the driver.
   */
  static PartialScores merge(JavaRDD<Scored> scored, int partitions) {
    JavaPairRDD<Integer, PartialScores> level = scored.mapToPair(s -> new Tuple2<>(s.partition(), s.partial()));
    int count = partitions;
    while (count > FANOUT) {
      int groups = (count + FANOUT - 1) / FANOUT;
      level = level.mapToPair(t -> new Tuple2<>(t._1() / FANOUT, t)).groupByKey(groups).mapToPair(g -> {
        List<Tuple2<Integer, PartialScores>> parts = new ArrayList<>();
        g._2().forEach(parts::add);
        return new Tuple2<>(g._1(), mergeInOrder(parts));
      });
      count = groups;
    }
    return mergeInOrder(new ArrayList<>(level.collect()));
  }

  private static PartialScores mergeInOrder(List<Tuple2<Integer, PartialScores>> parts) {
    parts.sort((a, b) -> Integer.compare(a._1(), b._1()));
    PartialScores all = null;
    for (Tuple2<Integer, PartialScores> p : parts) all = PartialScores.merge(all, p._2());
    return all;
  }

  /** A neuron's exact AUC over every event: the partitions' value tables sorted by value across the cluster. */
  static double auc(JavaRDD<Scored> scored, int neuron, int partitions) {
    JavaPairRDD<Float, double[]> pairs = scored.flatMapToPair(
        s -> s.ties() == null ? Collections.emptyIterator() : s.ties()[neuron].pairs());
    List<double[]> sums = pairs.sortByKey(true, partitions)
        .mapPartitionsWithIndex((index, it) -> List.of(ScoreTies.partitionSums(index, it)).iterator(), true).collect();
    return ScoreTies.auc(sums);
  }
}
