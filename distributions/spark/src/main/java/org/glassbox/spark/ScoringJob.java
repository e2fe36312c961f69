package org.glassbox.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import org.glassbox.api.Options;
import org.glassbox.data.DataSpec;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.run.ChunkScorer;
import org.glassbox.engine.run.DataSource;
import org.glassbox.engine.run.RunSpec;

/**
 * What an executor needs to score blocks of one model of an analysis, as plain serialisable values
 * (the engine's {@link RunSpec} holds {@link Path}s and {@link Options}, which are not
 * {@link Serializable}). Executors rebuild the spec from it and never read the analysis file or the
 * model file: the model's bytes travel as a Spark broadcast, the events as blocks.
 *
 * @param key identifies the analysis and model on an executor: SHA-256 of the model's bytes and of
 *     everything else here
 * @param pluginDirs plugin folders, which must exist at the same paths on every executor (the
 *     bundled plugins are on the class path and need none)
 * @param fixed with {@code data.inputs}, the packed values fed as they are and not attributed (the
 *     model's bytes are then those of the wrapped model, which takes the packed input); else null
 */
record ScoringJob(String key, String analysis, long seed, ArrayList<String> neurons, int direction,
    ArrayList<Method> methods, int threads, int batchSize, String modelName, ArrayList<String> featureNames, String source,
    String sha256, ArrayList<String> pluginDirs, BitSet fixed) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A method and its validated options. */
  record Method(String id, LinkedHashMap<String, Object> options, String where) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param threads ONNX Runtime threads per task: the analysis's {@code threads}, or when that is 0
   *     (all cores) the cores Spark gives a task, so that concurrent tasks do not oversubscribe an
   *     executor's cores
   */
  static ScoringJob of(RunSpec spec, String modelName, byte[] model, List<String> featureNames, String source, String sha256,
      List<Path> pluginDirs, int threads, BitSet fixed) {
    ArrayList<Method> methods = new ArrayList<>();
    for (RunSpec.MethodSpec m : spec.attribution()) {
      methods.add(new Method(m.id(), new LinkedHashMap<>(m.options().asMap()), m.where()));
    }
    ArrayList<String> dirs = new ArrayList<>();
    for (Path p : pluginDirs) dirs.add(p.toAbsolutePath().toString());
    String description = String.join("\n", spec.name(), Long.toString(spec.seed()), spec.neurons().toString(),
        Integer.toString(spec.direction()), methods.toString(), Integer.toString(threads), Integer.toString(spec.batchSize()),
        modelName, featureNames.toString(), dirs.toString(), String.valueOf(fixed));
    String key = sha256(model) + ":" + sha256(description.getBytes(StandardCharsets.UTF_8));
    return new ScoringJob(key, spec.name(), spec.seed(), new ArrayList<>(spec.neurons()), spec.direction(), methods, threads,
        spec.batchSize(), modelName, new ArrayList<>(featureNames), source, sha256, dirs,
        fixed == null ? null : (BitSet) fixed.clone());
  }

  /** The spec a {@link ChunkScorer} reads: neurons, direction, methods, seed, threads, batch size. */
  RunSpec spec() {
    List<RunSpec.MethodSpec> attribution = new ArrayList<>();
    for (Method m : methods) attribution.add(new RunSpec.MethodSpec(m.id(), new Options(m.options()), m.where()));
    Path file = Path.of(source);
    return new RunSpec(Path.of(analysis), analysis, seed, List.of(RunSpec.ModelSpec.file(modelName, Path.of(modelName))),
        new DataSource.File(DataSpec.of(file), List.of(), null), neurons, direction, attribution, List.of(), List.of(),
        List.of(), List.of(), List.of(), null, null, threads, batchSize, 0.5);
  }

  /** Opens the model from its bytes and the scorer over it (an executor does this once per task slot). */
  ChunkScorer open(MethodCatalog catalog, byte[] model) {
    return new ChunkScorer(catalog, spec(), OnnxModel.of(model, modelName, new ExecutionOptions(threads, batchSize)),
        fixed == null ? null : (BitSet) fixed.clone());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
