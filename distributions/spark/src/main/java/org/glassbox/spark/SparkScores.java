package org.glassbox.spark;

import java.io.Serializable;
import java.nio.file.Files;
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
import org.glassbox.engine.run.InputLayout;
import org.glassbox.engine.run.RunResult;
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
 * under speculation, counts its events once. The one side effect, the per-event arrays a task writes
 * for its partition into the results folder ({@link PartFiles}), is idempotent: a whole file under a
 * name fixed by the partition, renamed into place.
 *
 * <p>When the engine's results are complete ({@link #complete}), the {@code ado} and
 * {@code mutual-information} similarities are recomputed over every event ({@link DistributedAdo},
 * {@link DistributedMutualInformation}), and the Spark provenance and the per-event
 * array parts join the results.
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
  /** The results folder being written, where tasks write per-event arrays (null: none written). */
  private Path partsRoot;
  /** Per model name, the per-event array parts its tasks wrote. */
  private final java.util.Map<String, List<PartFiles.Part>> parts = new java.util.LinkedHashMap<>();
  /** Per similarity method, over which events the cluster computed it (or why the driver did). */
  private final java.util.Map<String, Object> similarityEvents = new java.util.LinkedHashMap<>();
  /** Per neuron ({@code <model>:<neuron>}) and maximization method, where its population's starts were climbed. */
  private final java.util.Map<String, Object> populations = new java.util.LinkedHashMap<>();
  /** For {@code data.inputs}: the file whose layout {@link #layout} holds, and that layout (read once, on the driver). */
  private DataSource.File layoutFile;
  private InputLayout layout;

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

  /**
   * Has every task write the per-event arrays of its partition (of the methods that keep them) into
   * {@code folder}, the results folder being written ({@link PartFiles}); results.json lists them.
   */
  public SparkScores withPartsFolder(Path folder) {
    this.partsRoot = folder;
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

  /**
   * What one partition's task returns: the sums of its events (null: none), per neuron its value
   * table (null without labels), and the per-event array parts it wrote.
   */
  record Scored(int partition, PartialScores partial, ScoreTies[] ties, ArrayList<PartFiles.Part> parts) implements Serializable {
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
    // Loaded here as on one machine (external tensor data inlined, the graph checked; with data.inputs wrapped to take the
    // packed input), then shipped as bytes.
    try (OnnxModel m = load(spec, ms)) {
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
      EventTable head = publishFile(file, block, false, refs, published, progress);
      if (head == null) throw new GlassboxException(file.describe() + " has no events.");
      InputLayout l = layout(file);
      ScoringJob job = ScoringJob.of(spec, modelName, model, head.featureNames(), head.source(), head.sha256(), pluginDirs,
          threads, l == null ? null : l.fixed());
      Broadcast<byte[]> bytes = sc.broadcast(model);
      modelBroadcast = bytes;
      TaskHook taskHook = hook;
      long read = System.nanoTime();
      progress.message("Spark: " + modelName + ", " + refs.size() + " blocks in " + partitions + " partitions");
      PartsTarget target = partsTarget(ms, job);
      scored = sc.parallelize(refs, partitions).mapPartitions(it -> score(job, bytes, it, taskHook, target))
          .persist(StorageLevel.MEMORY_AND_DISK());
      PartialScores total = merge(scored, partitions);
      if (total == null) throw new GlassboxException(file.describe() + " has no events.");
      long merged = System.nanoTime();
      Attribution[][] attributions = total.toAttributions();
      double[] auc = new double[attributions.length];
      for (int i = 0; i < auc.length; i++) auc[i] = head.labels() == null ? Double.NaN : auc(scored, i, partitions);
      collectParts(ms, scored);
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

  /**
   * Activation maximization with its starts split across {@code partitions} tasks
   * ({@link DistributedPopulation}), for methods that climb parts of their starts; null (the driver
   * climbs them) for others and for networks trained in the run.
   */
  @Override
  public org.glassbox.api.maximization.Population population(RunSpec spec, RunSpec.ModelSpec ms, RunSpec.MethodSpec mm,
      String neuron, org.glassbox.api.EventData data, Progress progress) {
    java.util.Map<String, Object> where = new java.util.LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> methods = (java.util.Map<String, Object>) populations.computeIfAbsent(ms.name() + ":" + neuron,
        k -> new java.util.LinkedHashMap<String, Object>());
    methods.put(mm.id(), where);
    ArrayList<String> dirs = new ArrayList<>();
    for (Path p : pluginDirs) dirs.add(p.toAbsolutePath().toString());
    String why = null;
    if (ms.train() != null) {
      why = "networks trained in the run are climbed on the driver";
    } else if (!ScorerPool.catalog(dirs).maximization().get(mm.id()).climbsStartSlices()) {
      why = mm.id() + " does not climb parts of its starts (MaximizationMethod.climbsStartSlices)";
    }
    if (why != null) {
      where.put("on", "driver");
      where.put("note", why);
      return null;
    }
    byte[] model;
    String modelName;
    try (OnnxModel m = load(spec, ms)) {
      model = m.proto().toByteArray();
      modelName = m.name();
    }
    int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
    int threads = spec.threads() > 0 ? spec.threads() : taskCpus;
    DistributedPopulation.Job job = new DistributedPopulation.Job(modelName, threads, spec.batchSize(), neuron, spec.direction(),
        mm.id(), new java.util.LinkedHashMap<>(mm.options().asMap()), spec.seed(), dirs);
    progress.message("Spark: " + mm.id() + " on " + ms.name() + " " + neuron + ", the starts in " + partitions + " parts");
    org.glassbox.api.maximization.Population p;
    try {
      p = DistributedPopulation.climb(sc, job, model, data, partitions);
    } catch (GlassboxException e) {
      throw e;
    } catch (Exception e) { // SparkException (checked in Scala, thrown unchecked): a task's GlassboxException is the error
      for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof GlassboxException g) throw new GlassboxException(g.getMessage(), e);
      throw e;
    }
    where.put("on", "cluster");
    where.put("parts", partitions);
    where.put("starts", p.starts());
    return p;
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
        threads, null);
    Broadcast<byte[]> bytes = sc.broadcast(model);
    JavaRDD<Scored> scored = null;
    try {
      TaskHook taskHook = hook;
      long read = System.nanoTime();
      progress.message("Spark: " + modelName + ", " + events + " Parquet events in " + parts + " partitions");
      PartsTarget target = partsTarget(ms, job);
      long[] count = counts.stream().mapToLong(Long::longValue).toArray();
      scored = rows.mapPartitionsWithIndex((index, it) -> scoreRows(job, bytes, layout, it, first[index], count[index], block,
          taskHook, target), true).persist(StorageLevel.MEMORY_AND_DISK());
      PartialScores total = merge(scored, parts);
      if (total == null) throw new GlassboxException(parquet.path() + " has no events.");
      long merged = System.nanoTime();
      Attribution[][] attributions = total.toAttributions();
      double[] auc = new double[attributions.length];
      for (int i = 0; i < auc.length; i++) auc[i] = layout.label() ? auc(scored, i, parts) : Double.NaN;
      collectParts(ms, scored);
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
      Iterator<org.apache.spark.sql.Row> rows, long first, long count, int block, TaskHook hook, PartsTarget target) {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    ChunkScorer scorer = ScorerPool.borrow(job, model.value());
    try (PartFiles files = target == null || count == 0 ? null : target.open(partition, first, count, task)) {
      Attribution[][][] sums = new Attribution[1][][];
      long[] events = new long[1];
      List<ChunkScorer.Partial> parts = new ArrayList<>();
      ParquetInput.blocks(layout, rows, first, block, b -> {
        ChunkScorer.Partial scoredBlock = scorer.score(b.table(job.source(), job.sha256(), job.featureNames()),
            job.seed() + b.first(), files != null);
        if (files != null) files.add(scoredBlock);
        ChunkScorer.Partial p = files == null ? scoredBlock : withoutPerEvent(scoredBlock);
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
      ArrayList<PartFiles.Part> written = files == null ? new ArrayList<>() : new ArrayList<>(files.finish());
      Scored out = new Scored(partition, sums[0] == null ? null : PartialScores.of(sums[0], events[0]), ties(parts), written);
      if (hook != null && task != null) hook.afterScoring(task);
      return List.of(out).iterator();
    } finally {
      ScorerPool.release(job, scorer);
    }
  }

  /** A block's results without the per-event arrays (written to their part files already): what a task keeps. */
  private static ChunkScorer.Partial withoutPerEvent(ChunkScorer.Partial p) {
    Attribution[][] a = new Attribution[p.attributions().length][];
    for (int i = 0; i < a.length; i++) {
      a[i] = new Attribution[p.attributions()[i].length];
      for (int m = 0; m < a[i].length; m++) {
        Attribution x = p.attributions()[i][m];
        a[i][m] = new Attribution(x.features(), x.inputsOf(), x.scores(), java.util.Optional.empty(), x.summary(), x.scoreName());
      }
    }
    return new ChunkScorer.Partial(a, p.values(), p.labels(), p.weights(), p.events());
  }

  /**
   * Reads the data file in blocks of {@code block} events and publishes them as broadcasts (with the
   * values of data.observables when asked); with fewer blocks than partitions the events are cut into
   * one block per partition. Returns the first chunk read (null: no events).
   */
  private EventTable publishFile(DataSource.File file, int block, boolean observables, List<BlockRef> refs,
      List<Broadcast<EventBlock>> published, Progress progress) {
    EventTable head = null;
    boolean withObservables = observables && !file.observables().isEmpty();
    // With data.inputs, the file's arrays read side by side and packed into one row per event, as the engine streams them.
    try (Stream<EventTable> chunks = file.inputs().isEmpty() ? DataReaders.chunks(file.spec(), block)
            : new DataSource.File(file.spec(), file.observables(), file.particles(), block, file.inputs(), file.reference()).chunks();
        Stream<EventTable> obs = withObservables ? DataReaders.chunks(file.spec().withFeatures(file.observables()), block) : null) {
      Iterator<EventTable> o = obs == null ? null : obs.iterator();
      List<EventBlock> pending = new ArrayList<>();
      long first = 0;
      boolean enough = false;
      for (Iterator<EventTable> it = chunks.iterator(); it.hasNext(); ) {
        progress.checkCancelled();
        EventTable t = it.next();
        if (head == null) head = t;
        EventBlock b = EventBlock.of(t, first);
        if (o != null) {
          EventTable ot = o.hasNext() ? o.next() : null;
          if (ot == null || ot.events() != t.events()) {
            throw new GlassboxException(file.spec().file() + ": the observables " + file.observables() + " drop other rows than"
                + " the model inputs (NaN or Inf in them); clean those rows or use nan: error to find them.");
          }
          b = b.withObservables(ot);
        }
        pending.add(b);
        first += t.events();
        enough |= pending.size() >= partitions;
        if (enough) publish(pending, refs, published);
      }
      if (!pending.isEmpty()) publish(cut(EventBlock.concat(pending), partitions), refs, published);
    }
    return head;
  }

  /**
   * How the file's arrays are packed ({@code data.inputs}), as the engine reads them; null for a file
   * whose features are the model's one input.
   */
  private InputLayout layout(DataSource.File file) {
    if (file.inputs().isEmpty()) return null;
    if (layout == null || !file.equals(layoutFile)) {
      // The shapes come from the first event of each array; the events themselves are published block by block.
      DataSource.File first = new DataSource.File(file.spec().withMaxEvents(1), java.util.List.of(), null, 0, file.inputs());
      layout = first.load().layout().orElseThrow(() -> new IllegalStateException("data.inputs gives a layout"));
      layoutFile = file;
    }
    return layout;
  }

  /**
   * The model as the driver checks it and executors run it: with {@code data.inputs} wrapped to take
   * the packed input, as the engine runs it on one machine.
   */
  private OnnxModel load(RunSpec spec, RunSpec.ModelSpec ms) {
    ExecutionOptions options = new ExecutionOptions(1, spec.batchSize());
    InputLayout l = spec.data() instanceof DataSource.File f ? layout(f) : null;
    return l == null ? OnnxModel.load(ms.file(), options) : OnnxModel.load(ms.file(), options, l.packing());
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
  private static Iterator<Scored> score(ScoringJob job, Broadcast<byte[]> model, Iterator<BlockRef> blockRefs, TaskHook hook,
      PartsTarget target) {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    List<BlockRef> refs = new ArrayList<>();
    blockRefs.forEachRemaining(refs::add);
    long count = 0;
    for (BlockRef r : refs) count += r.events();
    ChunkScorer scorer = ScorerPool.borrow(job, model.value());
    try (PartFiles files = target == null || count == 0 ? null : target.open(partition, refs.get(0).first(), count, task)) {
      Attribution[][] sums = null;
      long events = 0;
      List<ChunkScorer.Partial> parts = new ArrayList<>();
      for (BlockRef ref : refs) {
        EventBlock b = ref.block().value();
        ChunkScorer.Partial p = scorer.score(b.table(job.source(), job.sha256(), job.featureNames()), job.seed() + b.first(),
            files != null);
        if (files != null) {
          files.add(p);
          p = withoutPerEvent(p);
        }
        if (sums == null) {
          sums = p.attributions();
        } else {
          for (int i = 0; i < sums.length; i++) for (int m = 0; m < sums[i].length; m++) sums[i][m] = sums[i][m].merge(p.attributions()[i][m]);
        }
        events += p.events();
        parts.add(p);
      }
      ArrayList<PartFiles.Part> written = files == null ? new ArrayList<>() : new ArrayList<>(files.finish());
      Scored out = new Scored(partition, sums == null ? null : PartialScores.of(sums, events), ties(parts), written);
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

  /** Where the tasks of one model write their per-event arrays: the results folder, the model, its neurons and methods. */
  record PartsTarget(String root, String model, ArrayList<String> neurons, ArrayList<String> methods) implements Serializable {
    private static final long serialVersionUID = 1L;

    PartFiles open(int partition, long first, long events, TaskContext task) {
      String attempt = task == null ? "local" : task.stageId() + "-" + task.taskAttemptId();
      return new PartFiles(Path.of(root), model, neurons, methods, partition, first, events, attempt);
    }
  }

  private PartsTarget partsTarget(RunSpec.ModelSpec ms, ScoringJob job) {
    if (partsRoot == null) return null;
    ArrayList<String> methods = new ArrayList<>();
    for (ScoringJob.Method m : job.methods()) methods.add(m.id());
    return new PartsTarget(partsRoot.toAbsolutePath().toString(), ms.name(), new ArrayList<>(job.neurons()), methods);
  }

  /** The names of the part files the tasks wrote (nothing else of them comes to the driver). */
  private void collectParts(RunSpec.ModelSpec ms, JavaRDD<Scored> scored) {
    if (partsRoot == null) return;
    List<PartFiles.Part> all = new ArrayList<>(scored.flatMap(s -> s.parts().iterator()).collect());
    all.sort(java.util.Comparator.comparingInt(PartFiles.Part::neuron).thenComparingInt(PartFiles.Part::method)
        .thenComparingLong(PartFiles.Part::first));
    parts.put(ms.name(), all);
  }

  /**
   * The run's results, completed with what the cluster computed beyond the scores: the per-event
   * array parts the tasks wrote into the results folder, the {@code ado} and {@code mutual-information}
   * similarities over every event,
   * and the Spark provenance (results.json's {@code provenance.spark}).
   */
  @Override
  public RunResult complete(RunResult result, Path folder, Progress progress) {
    RunResult r = result;
    if (!parts.isEmpty()) r = r.withModels(withParts(r.models(), folder));
    r = similarity(r, progress);
    return r.withProvenance("spark", provenanceEntry());
  }

  private List<RunResult.ModelResult> withParts(List<RunResult.ModelResult> models, Path folder) {
    // What attempts on executors that died left behind (an attempt that fails in Java removes its own).
    try (Stream<Path> all = Files.exists(folder.resolve("arrays")) ? Files.walk(folder.resolve("arrays")) : Stream.empty()) {
      for (Path f : all.filter(PartFiles::isTemporary).toList()) Files.deleteIfExists(f);
    } catch (java.io.IOException e) {
      // a temporary file left in the results folder
    }
    List<RunResult.ModelResult> out = new ArrayList<>();
    for (RunResult.ModelResult m : models) {
      List<PartFiles.Part> written = parts.get(m.name());
      if (written == null || written.isEmpty()) {
        out.add(m);
        continue;
      }
      List<RunResult.NeuronResult> neurons = new ArrayList<>();
      for (int i = 0; i < m.neurons().size(); i++) {
        RunResult.NeuronResult nr = m.neurons().get(i);
        List<RunResult.MethodResult> methods = new ArrayList<>();
        for (int k = 0; k < nr.methods().size(); k++) {
          List<RunResult.ArrayPart> list = new ArrayList<>();
          for (PartFiles.Part p : written) {
            if (p.neuron() != i || p.method() != k) continue;
            if (!Files.isRegularFile(folder.resolve(p.file()))) {
              throw new GlassboxException("The executors wrote the per-event values of " + nr.methods().get(k).id() + " to "
                  + folder.resolve(p.file()) + ", which this driver does not see: write the results folder (--out) on a file"
                  + " system every executor shares, or set per_event: false for the method.");
            }
            list.add(new RunResult.ArrayPart(p.file(), p.first(), p.events()));
          }
          methods.add(nr.methods().get(k).withPerEventParts(list));
        }
        neurons.add(nr.withMethods(methods));
      }
      out.add(m.withNeurons(neurons));
    }
    return out;
  }

  /** results.json's provenance.spark: where and how the cluster ran (no timings or application id: a rerun writes the same). */
  private java.util.Map<String, Object> provenanceEntry() {
    java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
    boolean local = sc.master().startsWith("local");
    int infos = sc.sc().statusTracker().getExecutorInfos().length;
    p.put("master", sc.master());
    p.put("spark", sc.version());
    p.put("executors", local ? 1 : Math.max(0, infos - 1));
    p.put("default_parallelism", sc.defaultParallelism());
    p.put("partitions", provenance.isEmpty() ? partitions : provenance.get(0).partitions());
    java.util.Map<String, Object> models = new java.util.LinkedHashMap<>();
    for (ModelProvenance m : provenance) {
      java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
      e.put("events", m.events());
      e.put("blocks", m.blocks());
      e.put("block_events", m.blockEvents());
      e.put("partitions", m.partitions());
      e.put("onnxruntime_threads_per_task", m.threads());
      models.put(m.model(), e);
    }
    p.put("models", models);
    if (!similarityEvents.isEmpty()) p.put("similarity", new java.util.LinkedHashMap<>(similarityEvents));
    if (!populations.isEmpty()) p.put("populations", new java.util.LinkedHashMap<>(populations));
    return p;
  }

  /** Where one decision function's values come from: a model's neuron, a data column, or a data.observables column. */
  record FunctionSource(int kind, int model, int index) implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int NEURON = 0;
    static final int FEATURE = 1;
    static final int OBSERVABLE = 2;
  }

  /** The similarity methods the cluster computes over every event: the exact ado, and mutual-information. */
  static final List<String> ON_CLUSTER = List.of("ado", "mutual-information");

  /**
   * The {@code ado} and {@code mutual-information} similarity results recomputed over every event on the
   * cluster, where the cluster can.
   */
  private RunResult similarity(RunResult r, Progress progress) {
    if (r.similarity().isEmpty()) return r;
    List<RunResult.SimilarityResult> out = new ArrayList<>();
    for (RunResult.SimilarityResult sr : r.similarity()) {
      java.util.Map<String, Object> where = new java.util.LinkedHashMap<>();
      String why = whyOnDriver(r, sr);
      if (why != null) {
        where.put("on", "driver");
        where.put("events", r.data().events());
        where.put("note", why);
        out.add(sr);
      } else {
        long start = System.nanoTime();
        progress.start("similarity: " + sr.id() + " over every event on the cluster", 1);
        org.glassbox.api.similarity.Similarity sim = distributedSimilarity(r, sr, progress);
        progress.step(1);
        out.add(new RunResult.SimilarityResult(sr.id(), sr.options(), sim, (System.nanoTime() - start) / 1e9));
        where.put("on", "cluster");
        where.put("events", r.data().streamedEvents() > 0 ? r.data().streamedEvents() : r.data().events());
      }
      similarityEvents.put(sr.id(), where);
    }
    return r.withSimilarity(out);
  }

  /** Why a similarity result stays the driver's (over the events it read), or null when the cluster computes it over every event. */
  private String whyOnDriver(RunResult r, RunResult.SimilarityResult sr) {
    if (!ON_CLUSTER.contains(sr.id())) return sr.id() + " runs on the driver";
    if (sr.id().equals("ado") && sr.options().integer("sampled_pairs") != 0) {
      return "sampled_pairs: the pairs are drawn on the driver";
    }
    if (r.spec().models().stream().anyMatch(m -> m.train() != null)) {
      return "networks are trained in the run (the events are split into training and analysis events)";
    }
    if (r.data().streamedEvents() == 0) return "the models' scores were not computed on the cluster";
    if (parquet != null && sr.id().equals("mutual-information") && sr.options().bool("baseline")) {
      return "the permutation baseline pairs events by their position in the data, and Parquet rows are numbered as Spark"
          + " reads them, not in file order; set baseline: false for mutual information over every event";
    }
    try {
      sources(r, sr.similarity().names());
      return null;
    } catch (GlassboxException e) {
      return e.getMessage();
    }
  }

  /** Each function's source, as the engine resolves the names: models, their neurons, observables, data columns. */
  private static List<FunctionSource> sources(RunResult r, List<String> names) {
    RunSpec spec = r.spec();
    DataSource.File file = (DataSource.File) spec.data();
    List<String> computed = r.observables().stream().map(RunResult.ObservableColumn::name).toList();
    List<FunctionSource> out = new ArrayList<>();
    for (String name : names) {
      FunctionSource s = null;
      for (int m = 0; m < r.models().size() && s == null; m++) {
        RunResult.ModelResult mr = r.models().get(m);
        if (name.equals(mr.name())) s = new FunctionSource(FunctionSource.NEURON, m, 0);
      }
      for (int m = 0; m < r.models().size() && s == null; m++) {
        RunResult.ModelResult mr = r.models().get(m);
        for (int i = 0; i < mr.neurons().size() && s == null; i++) {
          if (name.equals(mr.name() + ":" + mr.neurons().get(i).neuron().label())) s = new FunctionSource(FunctionSource.NEURON, m, i);
        }
      }
      if (s == null && file.observables().contains(name)) {
        s = new FunctionSource(FunctionSource.OBSERVABLE, -1, file.observables().indexOf(name));
      }
      if (s == null && computed.contains(name)) {
        throw new GlassboxException("'" + name + "' is computed on the driver (from particle lists)");
      }
      if (s == null && r.data().features().contains(name)) s = new FunctionSource(FunctionSource.FEATURE, -1, r.data().features().indexOf(name));
      if (s == null) throw new GlassboxException("'" + name + "' is not a model, neuron, observable or data column");
      out.add(s);
    }
    return out;
  }

  /**
   * A similarity method over every event: the functions' values computed where the events lie, then
   * {@link DistributedAdo} (exact ADO, AUC and AMS) or {@link DistributedMutualInformation}.
   */
  private org.glassbox.api.similarity.Similarity distributedSimilarity(RunResult r, RunResult.SimilarityResult sr,
      Progress progress) {
    RunSpec spec = r.spec();
    DataSource.File file = (DataSource.File) spec.data();
    List<String> names = sr.similarity().names();
    List<FunctionSource> sources = sources(r, names);
    boolean ado = sr.id().equals("ado");
    int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
    int threads = spec.threads() > 0 ? spec.threads() : taskCpus;
    // Per model used, the neurons wanted (positions into its Ref's list), its bytes as a broadcast.
    java.util.Map<Integer, List<Integer>> neuronsOf = new java.util.TreeMap<>();
    for (FunctionSource s : sources) {
      if (s.kind() != FunctionSource.NEURON) continue;
      List<Integer> l = neuronsOf.computeIfAbsent(s.model(), x -> new ArrayList<>());
      if (!l.contains(s.index())) l.add(s.index());
    }
    ArrayList<ModelValues.Ref> refs = new ArrayList<>();
    List<Broadcast<byte[]>> bytes = new ArrayList<>();
    ArrayList<Integer> modelOf = new ArrayList<>();
    ArrayList<FunctionSource> located = new ArrayList<>();
    List<Broadcast<EventBlock>> published = new ArrayList<>();
    JavaRDD<FunctionBlock> blocks = null;
    try {
      for (var e : neuronsOf.entrySet()) {
        RunSpec.ModelSpec ms = spec.models().get(e.getKey());
        byte[] model;
        try (OnnxModel m = load(spec, ms)) {
          model = m.proto().toByteArray();
        }
        List<String> texts = new ArrayList<>();
        for (int i : e.getValue()) texts.add(spec.neurons().get(i));
        refs.add(ModelValues.Ref.of(ms.name(), model, texts, spec.direction(), threads, spec.batchSize()));
        bytes.add(sc.broadcast(model));
        modelOf.add(e.getKey());
      }
      // Sources with the model given as its position in refs, and the neuron as its position in that Ref.
      for (FunctionSource s : sources) {
        if (s.kind() != FunctionSource.NEURON) {
          located.add(s);
        } else {
          int at = modelOf.indexOf(s.model());
          located.add(new FunctionSource(s.kind(), at, neuronsOf.get(s.model()).indexOf(s.index())));
        }
      }
      boolean observables = sources.stream().anyMatch(s -> s.kind() == FunctionSource.OBSERVABLE);
      int block = blockEvents > 0 ? blockEvents : file.stream() > 0 ? file.stream() : DEFAULT_BLOCK;
      List<String> names2 = List.copyOf(names);
      int buckets;
      if (parquet == null) {
        List<BlockRef> blockRefs = new ArrayList<>();
        if (publishFile(file, block, observables, blockRefs, published, progress) == null) {
          throw new GlassboxException(file.describe() + " has no events.");
        }
        blocks = sc.parallelize(blockRefs, partitions).mapPartitions(it -> {
          List<FunctionBlock> fb = new ArrayList<>();
          while (it.hasNext()) fb.add(functionBlock(it.next().block().value(), located, refs, bytes, names2, ado));
          return fb.iterator();
        });
        buckets = partitions;
      } else {
        ParquetInput.Layout layout = parquet.layout();
        List<String> obsNames = observables ? parquet.observables() : List.of();
        JavaRDD<org.apache.spark.sql.Row> rows = parquet.rows(parquetPartitions, observables);
        blocks = rows.mapPartitionsWithIndex((index, it) -> {
          List<FunctionBlock> fb = new ArrayList<>();
          // Keys: the partition (+ 1) in the high bits, the event's position in it below (they order the events, nothing else).
          ParquetInput.blocks(layout, it, (index + 1L) << FunctionBlock.PARTITION_SHIFT, block, obsNames,
              b -> fb.add(functionBlock(b, located, refs, bytes, names2, ado)));
          return fb.iterator();
        }, true);
        buckets = rows.getNumPartitions();
      }
      blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
      return ado ? DistributedAdo.compute(blocks, names, sr.options().bool("unweighted"), buckets)
          : DistributedMutualInformation.compute(blocks, names, sr.options(), spec.seed(), buckets,
              DistributedMutualInformation.INLINE_GROUPS, DistributedMutualInformation.CELLS_PER_PASS);
    } catch (GlassboxException e) {
      throw e;
    } catch (RuntimeException e) { // a task's GlassboxException, wrapped by Spark: its message
      for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof GlassboxException g) throw new GlassboxException(g.getMessage(), e);
      throw e;
    } finally {
      if (blocks != null) blocks.unpersist(false);
      for (Broadcast<byte[]> b : bytes) b.destroy();
      for (Broadcast<EventBlock> b : published) b.destroy();
    }
  }

  /** A block's events with the values of every function (models evaluated on this executor); labels when {@code needsLabels}. */
  private static FunctionBlock functionBlock(EventBlock b, List<FunctionSource> sources, List<ModelValues.Ref> refs,
      List<Broadcast<byte[]>> bytes, List<String> names, boolean needsLabels) {
    int n = b.events();
    if (needsLabels && b.labels() == null) {
      throw new GlassboxException("ado needs labels: give the data set a label column (1 = signal, 0 = background)");
    }
    float[][][] values = new float[refs.size()][][];
    for (int m = 0; m < refs.size(); m++) {
      ModelValues mv = ModelValues.borrow(refs.get(m), bytes.get(m).value());
      try {
        values[m] = mv.values(b.features(), b.shape());
      } finally {
        ModelValues.release(refs.get(m), mv);
      }
    }
    int width = n == 0 ? 0 : b.features().length / n;
    int ko = n == 0 || b.observables() == null ? 0 : b.observables().length / n;
    float[][] v = new float[sources.size()][];
    for (int q = 0; q < v.length; q++) {
      FunctionSource s = sources.get(q);
      switch (s.kind()) {
        case FunctionSource.NEURON -> v[q] = values[s.model()][s.index()];
        case FunctionSource.FEATURE -> {
          v[q] = new float[n];
          for (int e = 0; e < n; e++) v[q][e] = b.features()[e * width + s.index()];
        }
        default -> {
          if (ko == 0) throw new IllegalStateException("the observables of " + names.get(q) + " were not read");
          v[q] = new float[n];
          for (int e = 0; e < n; e++) v[q][e] = b.observables()[e * ko + s.index()];
        }
      }
    }
    boolean[] signal = new boolean[n];
    for (int e = 0; e < n && b.labels() != null; e++) signal[e] = b.labels()[e] == 1;
    return new FunctionBlock(b.first(), v, signal, b.weights());
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
