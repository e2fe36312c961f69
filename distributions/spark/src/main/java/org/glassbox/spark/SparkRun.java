package org.glassbox.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.data.DataSpec;
import org.glassbox.engine.report.OutputFolder;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.DataSource;
import org.glassbox.engine.run.RunSpec;

/**
 * Runs an analysis file on Spark: {@code spark-submit --class org.glassbox.spark.SparkRun
 * glassbox-spark.jar analysis.yaml [--out DIR] [--partitions N]}, or with plain {@code java} and
 * {@code --master local[N]}.
 *
 * <p>The file is validated by the engine as {@code glassbox run} does; the attribution scores and
 * AUCs over every event come from the cluster ({@link SparkScores}); everything else (per-event
 * arrays, profiles, comparisons, similarity, surrogates) runs on the driver on what the engine reads
 * as the run's table: the first {@code data.stream} events, or every event without it; the exact
 * {@code ado} and the {@code mutual-information} similarities are recomputed over every event on the
 * cluster, and the tasks write the
 * per-event arrays of their partitions into the results folder. The engine writes {@code results.json}
 * and the report as on one machine, with the Spark provenance (master, partitions, executors) under
 * {@code provenance.spark}.
 */
public final class SparkRun {
  private SparkRun() {}

  static final String USAGE = """
      Usage: SparkRun ANALYSIS [--out DIR] [--partitions N] [--block EVENTS] [--master URL] [--plugins DIR]... [--overwrite] [--check] [-q]
        ANALYSIS         analysis file (YAML), as for 'glassbox run'
        --out DIR        results folder (default: the file's 'output:')
        --partitions N   partitions (tasks) the events are scored in (default: Spark's default parallelism)
        --block EVENTS   events per block read and scored at once (default: data.stream, else 65536)
        --master URL     Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*])
        --plugins DIR    extra folder of plugin jars (repeatable; the same path on every executor)
        --overwrite      replace an existing results folder
        --check          only validate the analysis file
        -q               no progress messages""";

  /** The command line, parsed. */
  public record Settings(Path analysis, Path out, int partitions, int block, String master, List<Path> plugins,
      boolean overwrite, boolean check, boolean quiet) {

    public Settings {
      plugins = List.copyOf(plugins);
    }

    /** Defaults for a file: partitions 0 = Spark's default parallelism. */
    public static Settings of(Path analysis) {
      return new Settings(analysis, null, 0, 0, null, List.of(), false, false, true);
    }

    public Settings withOut(Path dir) {
      return new Settings(analysis, dir, partitions, block, master, plugins, overwrite, check, quiet);
    }

    public Settings withPartitions(int n) {
      return new Settings(analysis, out, n, block, master, plugins, overwrite, check, quiet);
    }

    public Settings withBlock(int events) {
      return new Settings(analysis, out, partitions, events, master, plugins, overwrite, check, quiet);
    }

    static Settings parse(String[] args) {
      Path analysis = null;
      Path out = null;
      int partitions = 0;
      int block = 0;
      String master = null;
      List<Path> plugins = new ArrayList<>();
      boolean overwrite = false;
      boolean check = false;
      boolean quiet = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--out" -> out = Path.of(value(args, ++i, a));
          case "--partitions" -> partitions = positive(value(args, ++i, a), a);
          case "--block" -> block = positive(value(args, ++i, a), a);
          case "--master" -> master = value(args, ++i, a);
          case "--plugins" -> plugins.add(Path.of(value(args, ++i, a)));
          case "--overwrite" -> overwrite = true;
          case "--check" -> check = true;
          case "-q", "--quiet" -> quiet = true;
          default -> {
            if (a.startsWith("-") || analysis != null) throw new GlassboxException("Unknown argument '" + a + "'.\n" + USAGE);
            analysis = Path.of(a);
          }
        }
      }
      if (analysis == null) throw new GlassboxException("No analysis file given.\n" + USAGE);
      return new Settings(analysis, out, partitions, block, master, plugins, overwrite, check, quiet);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) throw new GlassboxException(option + " needs a value.\n" + USAGE);
      return args[i];
    }

    private static int positive(String text, String option) {
      try {
        int n = Integer.parseInt(text);
        if (n >= 1) return n;
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new GlassboxException(option + " must be a whole number of at least 1, got '" + text + "'.");
    }

    /** The plugin folders: -Dglassbox.plugins, $GLASSBOX_PLUGINS, then --plugins (as the glassbox command). */
    List<Path> pluginDirs() {
      List<Path> all = new ArrayList<>();
      String home = System.getProperty("glassbox.plugins");
      if (home != null) all.add(Path.of(home));
      String env = System.getenv("GLASSBOX_PLUGINS");
      if (env != null && !env.isBlank()) all.add(Path.of(env));
      all.addAll(plugins);
      return all;
    }
  }

  /** What a Spark run leaves: the engine's outcome, and per model what the cluster did (with timings). */
  public record Result(Analysis.Outcome outcome, List<SparkScores.ModelProvenance> models) {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Settings.parse(args), System.out);
    } catch (RuntimeException e) {
      // A GlassboxException, or one an executor threw, wrapped by Spark: the message, as 'glassbox run' prints it.
      GlassboxException g = null;
      for (Throwable t = e; t != null && g == null; t = t.getCause()) if (t instanceof GlassboxException x) g = x;
      if (g == null) throw e;
      System.err.println("error: " + g.getMessage());
      code = 2;
    }
    if (code != 0) System.exit(code);
  }

  /** The newest Java feature release Spark runs on here (see {@link #checkJava}). */
  static final int NEWEST_JAVA = 22;

  /**
   * Spark 4.0 asks its Hadoop 3.4 client for the current user, which calls {@code Subject.getSubject};
   * from Java 23 on that method throws (JEP 486 removed the Security Manager it stood on), so no
   * SparkContext starts (HADOOP-19212, fixed after Hadoop 3.4). Say so before Spark fails with a stack trace.
   */
  static void checkJava() {
    checkJava(Runtime.version().feature());
  }

  static void checkJava(int java) {
    if (!runsOn(java)) {
      throw new GlassboxException("Apache Spark 4.0 cannot start on Java " + java + ": its Hadoop client calls"
          + " Subject.getSubject, which Java 23 and newer no longer support. Run the Spark distribution on Java 17 or 21"
          + " (e.g. JAVA_HOME=/path/to/jdk-21); the glassbox command itself runs on Java 17 to 25.");
    }
  }

  /** Whether Spark starts on this Java feature release (17 and 21 are the ones Spark 4.0 supports). */
  static boolean runsOn(int java) {
    return java <= NEWEST_JAVA;
  }

  /** Validates, starts Spark (the master from the settings, spark-submit, or local[*]) and runs. */
  static int run(Settings settings, PrintStream out) {
    Analysis analysis = new Analysis(settings.pluginDirs());
    Prepared prepared = prepare(analysis, settings.analysis());
    RunSpec spec = prepared.spec();
    if (settings.check()) {
      prepared.cleanUp();
      out.printf("%s is valid: %d model(s), %d neuron(s), methods %s%n", settings.analysis(), spec.models().size(),
          spec.neurons().size(), spec.attribution().stream().map(RunSpec.MethodSpec::id).toList());
      return 0;
    }
    try {
      checkJava();
      // The results folder is checked before Spark starts (Analysis.run checks it again when it begins).
      analysis.checkOutput(settings.out() == null ? spec : spec.withOutput(settings.out().toAbsolutePath()), settings.overwrite());
    } catch (GlassboxException e) {
      prepared.cleanUp();
      throw e;
    }
    SparkConf conf = new SparkConf().setAppName("glassbox " + spec.name());
    if (settings.master() != null) conf.setMaster(settings.master());
    else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      Result r = run(sc, analysis, prepared, settings, null, out);
      for (String f : r.outcome().findings()) out.printf("* %s%n", f);
      out.printf("Results in %s%n  open %s%n", r.outcome().folder(), r.outcome().folder().resolve("index.html"));
    }
    return 0;
  }

  /**
   * A validated analysis; for Parquet input also the Parquet path and the scratch folder whose CSV
   * file stands in for it in {@link #spec} (filled with the first rows when the run starts).
   */
  public record Prepared(RunSpec spec, Path parquet, Path scratch) {
    /** Removes the scratch folder (nothing for other input). */
    void cleanUp() {
      if (scratch == null) return;
      try (java.util.stream.Stream<Path> files = Files.list(scratch)) {
        for (Path f : files.toList()) Files.deleteIfExists(f);
        Files.deleteIfExists(scratch);
      } catch (IOException e) {
        // a temporary folder left behind
      }
    }
  }

  /**
   * Validates an analysis file as {@code glassbox run} does. The engine reads CSV, NPY, NPZ and HDF5
   * only, and its parser wants {@code data.file} to be a file; so when {@code data.file} ends in
   * {@code .parquet} (a file or a folder of part files), a copy of the analysis file beside it (same
   * folder, so that relative paths hold; deleted at once) names an empty CSV file in a scratch
   * folder instead, and that copy is validated. The run later writes the Parquet data's first rows to
   * that CSV file for the driver's part of the report ({@link ParquetInput#writeHead}).
   */
  public static Prepared prepare(Analysis analysis, Path yaml) {
    Path parquet = parquetFile(yaml);
    if (parquet == null) {
      RunSpec spec = analysis.validate(yaml);
      if (spec.data() instanceof DataSource.File f) {
        String reference = f.reference() != null ? "data.reference" : f.inputs().stream().filter(i -> i.reference() != null)
            .findFirst().map(i -> "data.inputs." + i.input() + ".reference").orElse(null);
        if (reference != null) {
          throw new GlassboxException(yaml + ": " + reference + " is not supported on Spark yet; run this analysis on one"
              + " machine with 'glassbox run'.");
        }
      }
      return new Prepared(spec, null, null);
    }
    if (!Files.exists(parquet)) {
      throw new GlassboxException(yaml + ": data file not found: " + parquet + " (paths are relative to the analysis file).");
    }
    Path scratch;
    Path copy = null;
    try {
      scratch = Files.createTempDirectory("glassbox-spark-");
      String name = parquet.getFileName().toString().replaceFirst("(?i)\\.parquet$", "");
      Path csv = Files.createFile(scratch.resolve(name + ".parquet-head.csv"));
      String text = Files.readString(yaml, StandardCharsets.UTF_8);
      copy = yaml.toAbsolutePath().resolveSibling("." + yaml.getFileName() + ".spark-" + ProcessHandle.current().pid() + "-"
          + System.nanoTime() + ".yaml");
      Files.writeString(copy, replaceDataFile(text, csv.toAbsolutePath().toString()), StandardCharsets.UTF_8);
      RunSpec s = analysis.validate(copy);
      if (!(s.data() instanceof DataSource.File f)) throw new IllegalStateException("data.file gives a file source");
      if (!f.inputs().isEmpty() || f.reference() != null) {
        throw new GlassboxException(yaml + ": with Parquet input, data." + (f.inputs().isEmpty() ? "reference" : "inputs")
            + " is not supported: data.inputs names arrays of an NPZ or HDF5 file; give that file as data.file.");
      }
      if (f.particles() != null || f.spec().dataset() != null || f.spec().maxEvents() > 0) {
        throw new GlassboxException(yaml + ": with Parquet input, data.particles, data.dataset and data.events are not"
            + " supported yet.");
      }
      RunSpec spec = new RunSpec(yaml, s.name(), s.seed(), s.models(), s.data(), s.neurons(), s.direction(), s.attribution(),
          s.observables(), s.similarity(), s.surrogates(), s.maximization(), s.clustering(), s.compare(), s.output(), s.threads(),
          s.batchSize(), s.trainFraction());
      return new Prepared(spec, parquet, scratch);
    } catch (IOException e) {
      throw new GlassboxException("Cannot prepare " + yaml + " for Parquet input: " + e.getMessage(), e);
    } finally {
      if (copy != null) {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException e) {
          // left behind
        }
      }
    }
  }

  /** data.file when it ends in .parquet, resolved against the analysis file's folder; else null. */
  static Path parquetFile(Path yaml) {
    org.yaml.snakeyaml.nodes.ScalarNode n = dataFileNode(yaml);
    if (n == null || !ParquetInput.isParquet(Path.of(n.getValue()))) return null;
    Path parent = yaml.toAbsolutePath().getParent();
    return parent.resolve(n.getValue()).normalize();
  }

  private static org.yaml.snakeyaml.nodes.ScalarNode dataFileNode(Path yaml) {
    org.yaml.snakeyaml.nodes.Node root;
    try {
      root = new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(Files.readString(yaml, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return null; // the engine's validation reports it
    }
    org.yaml.snakeyaml.nodes.Node data = child(root, "data");
    return child(data, "file") instanceof org.yaml.snakeyaml.nodes.ScalarNode s ? s : null;
  }

  private static org.yaml.snakeyaml.nodes.Node child(org.yaml.snakeyaml.nodes.Node node, String key) {
    if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode m)) return null;
    for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
    }
    return null;
  }

  /** The analysis text with data.file's value replaced by {@code file} (double-quoted). */
  static String replaceDataFile(String text, String file) {
    org.yaml.snakeyaml.nodes.Node root = new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(text));
    org.yaml.snakeyaml.nodes.Node n = child(child(root, "data"), "file");
    int from = text.offsetByCodePoints(0, n.getStartMark().getIndex());
    int to = text.offsetByCodePoints(0, n.getEndMark().getIndex());
    StringBuilder q = new StringBuilder("\"");
    for (char c : file.toCharArray()) {
      if (c == '"' || c == '\\') q.append('\\');
      q.append(c);
    }
    return text.substring(0, from) + q.append('"') + text.substring(to);
  }

  /** Runs a validated analysis on a running Spark context (tests and embedding). */
  public static Result run(JavaSparkContext sc, Analysis analysis, RunSpec spec, Settings settings, SparkScores.TaskHook hook,
      PrintStream log) {
    return run(sc, analysis, new Prepared(spec, null, null), settings, hook, log);
  }

  /** Runs a prepared analysis (Parquet input included) on a running Spark context. */
  public static Result run(JavaSparkContext sc, Analysis analysis, Prepared prepared, Settings settings, SparkScores.TaskHook hook,
      PrintStream log) {
    try {
      return runPrepared(sc, analysis, prepared, settings, hook, log);
    } finally {
      prepared.cleanUp();
    }
  }

  private static Result runPrepared(JavaSparkContext sc, Analysis analysis, Prepared prepared, Settings settings,
      SparkScores.TaskHook hook, PrintStream log) {
    RunSpec spec = prepared.spec();
    if (settings.out() != null) spec = spec.withOutput(settings.out().toAbsolutePath());
    int partitions = settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
    SparkScores scores = new SparkScores(sc, partitions, settings.block(), settings.pluginDirs()).withTaskHook(hook);
    if (prepared.parquet() != null) {
      DataSource.File f = (DataSource.File) spec.data();
      org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().config(sc.getConf()).getOrCreate();
      DataSpec d = f.spec();
      ParquetInput input = ParquetInput.open(session, prepared.parquet(), d.features(), d.label(), d.weight(), f.observables(),
          d.nan());
      int head = f.stream() > 0 ? f.stream() : SparkScores.DEFAULT_BLOCK;
      input.writeHead(head, d.file());
      spec = withData(spec, new DataSource.File(new DataSpec(d.file(), input.featureNames(), d.label(), d.weight(), 0, d.nan(),
          null), f.observables(), null, f.stream()));
      scores.withParquet(input, settings.partitions());
    }
    boolean distributed = spec.data() instanceof DataSource.File;
    Progress progress = settings.quiet() ? Progress.NONE : new LineProgress(log);
    if (!distributed) {
      progress.message("note: " + spec.data().describe() + " is generated on the driver; the whole run happens there.");
    } else if (spec.data() instanceof DataSource.File f && f.stream() == 0) {
      progress.message("note: without data.stream the driver also reads every event for the per-event parts of the report;"
          + " set data.stream for data larger than the driver's memory.");
    }
    AtomicReference<OutputFolder> folder = new AtomicReference<>();
    java.util.function.Consumer<OutputFolder> onStart = f -> {
      folder.set(f);
      scores.withPartsFolder(f.partialPath()); // the tasks write per-event arrays into the folder being written
    };
    Thread hookThread = new Thread(() -> {
      OutputFolder f = folder.get();
      if (f != null) f.discard();
    });
    Runtime.getRuntime().addShutdownHook(hookThread);
    Analysis.Outcome done;
    try {
      done = analysis.run(spec, settings.overwrite(), progress, onStart, distributed ? scores : null);
    } finally {
      Runtime.getRuntime().removeShutdownHook(hookThread);
    }
    if (!settings.quiet()) {
      for (SparkScores.ModelProvenance m : scores.provenance()) {
        log.printf(java.util.Locale.ROOT, "Spark (%s, application %s): %s, %d events in %d partitions; read %.1f s, scored %.1f s,"
            + " AUC %.1f s%n", sc.master(), sc.sc().applicationId(), m.model(), m.events(), m.partitions(), m.readSeconds(),
            m.scoreSeconds(), m.aucSeconds());
      }
    }
    return new Result(done, scores.provenance());
  }

  private static RunSpec withData(RunSpec s, DataSource data) {
    return new RunSpec(s.source(), s.name(), s.seed(), s.models(), data, s.neurons(), s.direction(), s.attribution(),
        s.observables(), s.similarity(), s.surrogates(), s.maximization(), s.clustering(), s.compare(), s.output(), s.threads(),
        s.batchSize(), s.trainFraction());
  }

  /** Progress as plain lines on a stream (Spark's own logging shares the terminal). */
  private record LineProgress(PrintStream out) implements Progress {
    @Override
    public void start(String task, long total) {
      out.println("  " + task);
    }

    @Override
    public void step(long done) {}

    @Override
    public void message(String text) {
      out.println(text);
    }

    @Override
    public void checkCancelled() {}
  }
}
