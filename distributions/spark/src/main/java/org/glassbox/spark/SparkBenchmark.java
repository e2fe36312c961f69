package org.glassbox.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.api.Progress;
import org.glassbox.data.Npy;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.DataSource;
import org.glassbox.engine.run.DistributedScores;
import org.glassbox.engine.run.RunSpec;

/**
 * Throughput of the scores over every event (the part a cluster takes over) for the gradient and
 * for LRP of the seed 000 MLP: on one machine (the engine's streamed run, ONNX Runtime on 1 thread and on all
 * cores), and on Spark {@code local[1]} and {@code local[2]} (one ONNX Runtime thread per task). The
 * same random events (written once as NPY) and the same work in each: read the file, score every
 * block, merge, exact AUC. Each figure is the best of {@code --repeat} runs after a warm-up on a
 * small file. Prints a table; asserts nothing.
 *
 * <pre>
 * java $SPARK_JAVA_OPTIONS -cp "target/glassbox-spark-VERSION.jar:target/lib/*:$(cat target/spark-classpath.txt)" \
 *     org.glassbox.spark.SparkBenchmark [EVENTS] [--model FILE] [--partitions N] [--repeat R]
 * </pre>
 */
public final class SparkBenchmark {
  private SparkBenchmark() {}

  public static void main(String[] args) throws IOException {
    int events = 1_000_000;
    Path model = Path.of("examples/models/seed000_mlp.onnx");
    int partitions = 4;
    int repeat = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        default -> events = Integer.parseInt(args[i]);
      }
    }
    SparkRun.checkJava();
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException(model.toAbsolutePath() + " not found: run from the repository root, or give --model.");
    }
    Path dir = Files.createTempDirectory("glassbox-spark-bench");
    Files.copy(model, dir.resolve("model.onnx"));
    int features = 19;
    write(dir.resolve("warm_x.npy"), dir.resolve("warm_y.npy"), 50_000, features, 1);
    write(dir.resolve("x.npy"), dir.resolve("y.npy"), events, features, 2);
    Analysis analysis = new Analysis(List.of());
    System.out.printf(Locale.ROOT, "%,d events x %d features, %s (output), %d cores, Java %s%n", events, features,
        model.getFileName(), Runtime.getRuntime().availableProcessors(), Runtime.version());
    for (String method : List.of("gradient", "lrp")) {
      RunSpec warm1 = spec(analysis, dir, "warm", 1, method);
      RunSpec one1 = spec(analysis, dir, "", 1, method);
      RunSpec warm0 = spec(analysis, dir, "warm", 0, method);
      RunSpec one0 = spec(analysis, dir, "", 0, method);
      double single1 = time(repeat, () -> streamed(analysis, warm1), () -> streamed(analysis, one1));
      double single0 = time(repeat, () -> streamed(analysis, warm0), () -> streamed(analysis, one0));
      double[] spark = new double[2];
      for (int cores = 1; cores <= 2; cores++) {
        SparkConf conf = new SparkConf().setMaster("local[" + cores + "]").setAppName("glassbox-spark-benchmark")
            .set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
          sc.setLogLevel("WARN");
          SparkScores scores = new SparkScores(sc, partitions, 0, List.of());
          spark[cores - 1] = time(repeat, () -> scores.totals(warm0, warm0.models().get(0), Progress.NONE),
              () -> scores.totals(one0, one0.models().get(0), Progress.NONE));
          for (SparkScores.ModelProvenance m : scores.provenance()) {
            if (m.events() == events) {
              System.out.printf(Locale.ROOT, "  %s, local[%d]: read and publish %.2f s, score and merge %.2f s, exact AUC %.2f s%n",
                  method, cores, m.readSeconds(), m.scoreSeconds(), m.aucSeconds());
            }
          }
        }
      }
      System.out.printf(Locale.ROOT, "%-44s %9s %14s%n", method + ": run", "seconds", "events/s");
      row("one machine, streamed, ONNX Runtime 1 thread", single1, events);
      row("one machine, streamed, ONNX Runtime all cores", single0, events);
      row("Spark local[1], " + partitions + " partitions", spark[0], events);
      row("Spark local[2], " + partitions + " partitions", spark[1], events);
      System.out.printf(Locale.ROOT, "%s: Spark overhead at local[1] (vs one machine, 1 thread): %.2fx (goal <= 1.3)%n", method,
          spark[0] / single1);
      System.out.printf(Locale.ROOT, "%s: speed-up local[1] -> local[2]: %.2fx%s%n", method, spark[0] / spark[1],
          method.equals("gradient") ? " (goal >= 1.6)" : "");
    }
    ado(events, partitions, repeat);
  }

  /**
   * The exact ADO between two correlated scores over every signal x background pair: the ado plugin
   * on one machine, and the distributed sort on local[1] and local[2] (events already on the cluster).
   */
  private static void ado(int events, int partitions, int repeat) {
    Random r = new Random(3);
    float[] f = new float[events];
    float[] g = new float[events];
    boolean[] signal = new boolean[events];
    for (int e = 0; e < events; e++) {
      signal[e] = r.nextBoolean();
      double shift = signal[e] ? 0.7 : 0;
      f[e] = (float) (r.nextGaussian() + shift);
      g[e] = (float) (0.6 * f[e] + 0.8 * r.nextGaussian() + shift);
    }
    java.util.Map<String, double[]> functions = new java.util.LinkedHashMap<>();
    functions.put("f", toDouble(f));
    functions.put("g", toDouble(g));
    int[] labels = new int[events];
    for (int e = 0; e < events; e++) labels[e] = signal[e] ? 1 : 0;
    double[] weights = new double[events];
    java.util.Arrays.fill(weights, 1);
    org.glassbox.api.Options options = new org.glassbox.api.Options(java.util.Map.of("unweighted", false, "sampled_pairs", 0L));
    org.glassbox.api.similarity.SimilarityContext ctx = new org.glassbox.api.similarity.SimilarityContext() {
      @Override
      public java.util.Map<String, double[]> functions() {
        return functions;
      }

      @Override
      public java.util.Optional<int[]> labels() {
        return java.util.Optional.of(labels);
      }

      @Override
      public double[] weights() {
        return weights;
      }

      @Override
      public org.glassbox.api.Options options() {
        return options;
      }

      @Override
      public long seed() {
        return 1;
      }
    };
    org.glassbox.plugins.ado.AdoSimilarityMethod plugin = new org.glassbox.plugins.ado.AdoSimilarityMethod();
    double single = time(repeat, () -> plugin.compare(ctx), () -> plugin.compare(ctx));
    double[] spark = new double[2];
    int block = 65_536;
    for (int cores = 1; cores <= 2; cores++) {
      SparkConf conf = new SparkConf().setMaster("local[" + cores + "]").setAppName("glassbox-spark-benchmark")
          .set("spark.ui.enabled", "false");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        sc.setLogLevel("WARN");
        List<FunctionBlock> blocks = new java.util.ArrayList<>();
        for (int from = 0; from < events; from += block) {
          int to = Math.min(events, from + block);
          blocks.add(new FunctionBlock(from, new float[][] {java.util.Arrays.copyOfRange(f, from, to),
              java.util.Arrays.copyOfRange(g, from, to)}, java.util.Arrays.copyOfRange(signal, from, to), null));
        }
        org.apache.spark.api.java.JavaRDD<FunctionBlock> rdd = sc.parallelize(blocks, partitions).cache();
        rdd.count();
        spark[cores - 1] = time(repeat, () -> DistributedAdo.compute(rdd, List.of("f", "g"), false, partitions),
            () -> DistributedAdo.compute(rdd, List.of("f", "g"), false, partitions));
        rdd.unpersist(false);
      }
    }
    System.out.printf(Locale.ROOT, "%-44s %9s %14s%n", "exact ADO, 2 scores: run", "seconds", "events/s");
    row("one machine (the ado plugin)", single, events);
    row("Spark local[1], " + partitions + " partitions", spark[0], events);
    row("Spark local[2], " + partitions + " partitions", spark[1], events);
    System.out.printf(Locale.ROOT, "exact ADO: Spark overhead at local[1]: %.2fx; speed-up local[1] -> local[2]: %.2fx%n",
        spark[0] / single, spark[0] / spark[1]);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }

  private static void row(String name, double seconds, int events) {
    System.out.printf(Locale.ROOT, "%-44s %9.2f %,14.0f%n", name, seconds, events / seconds);
  }

  /** The engine's single-machine path over every event (data.stream): chunk after chunk. */
  private static DistributedScores.Totals streamed(Analysis analysis, RunSpec spec) {
    return new DistributedScores.Streamed(analysis.catalog(), (DataSource.File) spec.data()).totals(spec, spec.models().get(0),
        Progress.NONE);
  }

  private static RunSpec spec(Analysis analysis, Path dir, String prefix, int threads, String method) throws IOException {
    String p = prefix.isEmpty() ? "" : prefix + "_";
    Path yaml = dir.resolve(p + method + "_t" + threads + ".yaml");
    Files.writeString(yaml, "name: bench\nmodel: model.onnx\ndata: {file: " + p + "x.npy, label: " + p
        + "y.npy, stream: 65536}\nneurons: [output]\nmethods:\n  " + method + ": {}\n" + (threads > 0 ? "threads: " + threads
        + "\n" : ""));
    return analysis.validate(yaml);
  }

  private static void write(Path x, Path y, int n, int f, long seed) throws IOException {
    Random r = new Random(seed);
    float[] v = new float[n * f];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    float[] l = new float[n];
    for (int e = 0; e < n; e++) l[e] = r.nextInt(2);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(x))) {
      Npy.write(out, v, new long[] {n, f});
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(y))) {
      Npy.write(out, l, new long[] {n});
    }
  }

  /** Best of {@code repeat} timed runs, after one warm-up run. */
  private static double time(int repeat, Runnable warmUp, Runnable run) {
    warmUp.run();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < repeat; i++) {
      long t = System.nanoTime();
      run.run();
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    return best;
  }
}
