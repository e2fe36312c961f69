package org.glassbox.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.ChunkScorer;

/**
 * The ONNX models an executor JVM has open, kept across tasks.
 *
 * <p>Why static state: Spark gives user code no per-executor lifecycle, only tasks, whose closures
 * are deserialised afresh for every task. Opening a model (parsing it, probing its tensor shapes,
 * building and compiling the derivative graphs of every method into ONNX Runtime sessions) costs far
 * more than scoring a small partition, and ONNX Runtime sessions are native objects that cannot be
 * serialised. So, as database connection pools in {@code foreachPartition}, a JVM-wide cache keyed by
 * the job's key (SHA-256 of the model's bytes and of the analysis settings) opens each model once
 * per concurrently running task of the executor and reuses it for every later partition and retry.
 * A scorer is used by one task at a time (borrowed, then returned), because the engine's model access
 * is not documented as thread-safe; an executor with k task slots opens at most k copies.
 *
 * <p>Scorers stay open until the JVM exits (executors are per application), except that when more
 * than {@link #MAX_JOBS} jobs have been seen, the idle scorers of the others are closed (a long-lived
 * local JVM, such as a test suite, running many analyses).
 */
final class ScorerPool {
  static final int MAX_JOBS = 4;
  private static final Map<String, Deque<ChunkScorer>> IDLE = new ConcurrentHashMap<>();
  private static final Map<List<String>, MethodCatalog> CATALOGS = new ConcurrentHashMap<>();

  private ScorerPool() {}

  /** A scorer for the job, opened now if every one of this JVM is in use. */
  static ChunkScorer borrow(ScoringJob job, byte[] model) {
    if (!IDLE.containsKey(job.key())) evictOthers(job.key());
    Deque<ChunkScorer> idle = IDLE.computeIfAbsent(job.key(), k -> new ConcurrentLinkedDeque<>());
    ChunkScorer s = idle.pollFirst();
    if (s != null) return s;
    return job.open(catalog(job.pluginDirs()), model);
  }

  /** Returns a scorer after a task (also after a failed one: a scorer holds no per-task state). */
  static void release(ScoringJob job, ChunkScorer scorer) {
    Deque<ChunkScorer> idle = IDLE.get(job.key());
    if (idle == null) scorer.close();
    else idle.addFirst(scorer);
  }

  /** The methods of the bundled plugins and of these plugin folders (one catalog per JVM and folders). */
  static MethodCatalog catalog(List<String> pluginDirs) {
    return CATALOGS.computeIfAbsent(List.copyOf(pluginDirs),
        dirs -> new Analysis(dirs.stream().map(Path::of).toList()).catalog());
  }

  private static void evictOthers(String keep) {
    if (IDLE.size() < MAX_JOBS) return;
    for (String k : new ArrayList<>(IDLE.keySet())) {
      if (k.equals(keep)) continue;
      Deque<ChunkScorer> idle = IDLE.remove(k);
      if (idle == null) continue;
      for (ChunkScorer s; (s = idle.pollFirst()) != null; ) s.close();
    }
  }
}
