package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.api.Progress;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.RunSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The product-sign example (gradient, gradient-x-input, LRP on two neurons) run on Spark in local
 * mode gives the results.json of the single-machine run: scores, standard errors, summaries and AUCs
 * within 1e-9 relative (only the order of double sums differs), everything else equal.
 */
class SparkRunTest {
  private static final Path EXAMPLE = Path.of("../../examples/product-sign").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Attempts the failure hook has failed (the hook runs in this JVM: local mode). */
  static final AtomicInteger KILLED = new AtomicInteger();

  @TempDir static Path dir;
  private static JavaSparkContext sc;
  private static Analysis analysis;
  private static RunSpec spec;
  private static Path yaml;
  private static JsonNode single;

  @BeforeAll
  static void start() throws IOException {
    // local[2,2]: two task threads, and a failed task is tried once more (in local mode the number of
    // attempts is the master's second number; spark.task.maxFailures applies to clusters).
    SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("glassbox-spark-test")
        .set("spark.task.maxFailures", "2").set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    sc = new JavaSparkContext(conf);
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), dir.resolve("product_sign.onnx"));
    Files.copy(EXAMPLE.resolve("product_sign.csv"), dir.resolve("product_sign.csv"));
    yaml = dir.resolve("analysis.yaml");
    Files.writeString(yaml, """
        name: product-sign-spark
        seed: 1
        model: product_sign.onnx
        data:
          file: product_sign.csv
          features: [x, y, noise]
          label: label
          weight: weight
        neurons: [output, L1N0]
        methods:
          gradient: {}
          gradient-x-input: {}
          lrp: {composite: epsilon-gamma-box, low: -1, high: 1}
        compare:
          top_k: 2
        output: results
        """);
    analysis = new Analysis(List.of());
    spec = analysis.validate(yaml);
    Analysis.Outcome one = analysis.run(spec.withOutput(dir.resolve("single")), false, Progress.NONE, f -> {});
    single = JSON.readTree(one.folder().resolve("results.json").toFile());
  }

  @AfterAll
  static void stop() {
    if (sc != null) sc.close();
  }

  private static SparkRun.Result spark(String name, int partitions, int block, SparkScores.TaskHook hook) {
    SparkRun.Settings s = SparkRun.Settings.of(yaml).withOut(dir.resolve(name)).withPartitions(partitions).withBlock(block);
    return SparkRun.run(sc, analysis, spec, s, hook, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static JsonNode results(SparkRun.Result r) throws IOException {
    return JSON.readTree(r.outcome().folder().resolve("results.json").toFile());
  }

  @ParameterizedTest(name = "{0} partitions, blocks of {1} events (0: one per partition)")
  @CsvSource({"1, 0", "3, 0", "7, 0", "3, 128"})
  void sameResultsAsOneMachine(int partitions, int block) throws IOException {
    SparkRun.Result r = spark("spark-" + partitions + "-" + block, partitions, block, null);
    JsonNode got = results(r);
    assertEquals(2000, got.path("data").path("streamed_events").asLong(), "every event scored on the cluster");
    assertSame("", single, got);
    // The scores really came from the cluster: the partitions and blocks are in the provenance beside the folder.
    JsonNode prov = JSON.readTree(r.provenance());
    assertEquals("local[2,2]", prov.path("master").asText());
    assertEquals(partitions, prov.path("partitions").asInt());
    JsonNode model = prov.path("models").get(0);
    assertEquals(2000, model.path("events").asLong());
    assertEquals(block == 0 ? partitions : (2000 + block - 1) / block, model.path("blocks").asInt());
    assertTrue(Files.isRegularFile(r.provenanceFile()));
    assertEquals(r.outcome().folder().getParent(), r.provenanceFile().getParent());
  }

  @Test
  void aTaskKilledOnceAndRetriedChangesNothing() throws IOException {
    JsonNode clean = results(spark("clean", 3, 0, null));
    int before = KILLED.get();
    SparkRun.Result killed = spark("killed", 3, 0, task -> {
      if (task.partitionId() == 1 && task.attemptNumber() == 0) {
        KILLED.incrementAndGet();
        throw new IllegalStateException("task killed on purpose (first attempt)");
      }
    });
    assertEquals(before + 1, KILLED.get(), "the first attempt of partition 1 failed once, and its retry succeeded");
    JsonNode got = results(killed);
    // The merge is of task outputs in a fixed order: the retried run gives the same bits.
    assertEquals(clean, got);
    assertEquals(2000, got.path("data").path("streamed_events").asLong());
  }

  @Test
  void aBadRowPastTheFirstChunkFailsTheRunWithFileAndLine() throws IOException {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), bad.resolve("product_sign.onnx"));
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(EXAMPLE.resolve("product_sign.csv")).subList(0, 501));
    lines.set(400, lines.get(400).replaceFirst("^[^,]*", "nan")); // line 401 of the file, in the fourth chunk of 100
    Files.write(bad.resolve("product_sign.csv"), lines);
    Path file = bad.resolve("analysis.yaml");
    Files.writeString(file, Files.readString(yaml).replace("  weight: weight\n", "  weight: weight\n  stream: 100\n"));
    RunSpec badSpec = analysis.validate(file);
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(bad.resolve("results")).withPartitions(3);
    org.glassbox.api.GlassboxException e = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.api.GlassboxException.class,
        () -> SparkRun.run(sc, analysis, badSpec, s, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("product_sign.csv") && e.getMessage().contains("401"), e.getMessage());
    assertTrue(Files.notExists(bad.resolve("results")), "no results folder after a failed run");
  }

  /** The product-sign CSV written as Parquet by Spark itself, in {@code parts} part files, rows in the CSV's order. */
  private static Path parquet(int parts) throws IOException {
    List<String> lines = Files.readAllLines(EXAMPLE.resolve("product_sign.csv"));
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      rows.add(org.apache.spark.sql.RowFactory.create(Double.parseDouble(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
          Integer.parseInt(c[3]), Double.parseDouble(c[4])));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("x", "double").add("y", "double").add("noise", "double").add("label", "int").add("weight", "double");
    org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().config(sc.getConf()).getOrCreate();
    Path out = dir.resolve("product_sign_" + parts + ".parquet");
    // parallelize keeps the rows' order: slice p holds consecutive rows, written as part p.
    session.createDataFrame(sc.parallelize(rows, parts).rdd(), schema).write().parquet(out.toString());
    return out;
  }

  @ParameterizedTest(name = "Parquet in {0} part files, {1} partitions (0: as Spark reads it)")
  @CsvSource({"2, 0", "3, 3", "5, 5"})
  void parquetInputGivesTheResultsOfTheCsvRun(int parts, int partitions) throws IOException {
    Path data = parquet(parts);
    Path file = dir.resolve("analysis-parquet-" + parts + ".yaml");
    Files.writeString(file, Files.readString(yaml).replace("file: product_sign.csv", "file: " + data.getFileName()));
    SparkRun.Prepared prepared = SparkRun.prepare(analysis, file);
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("parquet-" + parts)).withPartitions(partitions);
    SparkRun.Result r = SparkRun.run(sc, analysis, prepared, s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    JsonNode got = results(r);
    assertEquals(2000, got.path("data").path("streamed_events").asLong(), "every Parquet row scored on the cluster");
    assertEquals(2000, got.path("data").path("events").asLong(), "the first rows, on the driver");
    assertEquals("product_sign_" + parts + ".parquet-head.csv", got.path("data").path("file").asText());
    // What names the input differs (the analysis file and the data file); everything else as on one machine.
    com.fasterxml.jackson.databind.node.ObjectNode want = single.deepCopy();
    for (String[] k : new String[][] {{"data", "file"}, {"data", "sha256"}, {"provenance", "analysis"},
        {"provenance", "analysis_sha256"}}) {
      if (want.path(k[0]).has(k[1])) ((com.fasterxml.jackson.databind.node.ObjectNode) want.get(k[0])).set(k[1], got.path(k[0]).path(k[1]));
    }
    assertSame("", want, got);
    JsonNode prov = JSON.readTree(r.provenance());
    assertEquals(2000, prov.path("models").get(0).path("events").asLong());
    if (partitions > 0) assertEquals(partitions, prov.path("partitions").asInt());
    assertTrue(Files.notExists(prepared.scratch()), "the scratch folder of the first rows is removed");
  }

  @Test
  void aMissingParquetColumnNamesTheColumnAndTheFile() throws IOException {
    Path data = dir.resolve("product_sign_2.parquet");
    if (Files.notExists(data)) parquet(2);
    Path file = dir.resolve("analysis-parquet-missing.yaml");
    Files.writeString(file, Files.readString(yaml).replace("file: product_sign.csv", "file: product_sign_2.parquet")
        .replace("features: [x, y, noise]", "features: [x, y, nope]"));
    SparkRun.Prepared prepared = SparkRun.prepare(analysis, file);
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("parquet-missing"));
    org.glassbox.api.GlassboxException e = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.api.GlassboxException.class,
        () -> SparkRun.run(sc, analysis, prepared, s, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("product_sign_2.parquet"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("parquet-missing")), "no results folder");
  }

  @Test
  void aParquetArrayColumnIsTheModelInput() throws IOException {
    List<String> lines = Files.readAllLines(EXAMPLE.resolve("product_sign.csv"));
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      rows.add(org.apache.spark.sql.RowFactory.create(new double[] {Double.parseDouble(c[0]), Double.parseDouble(c[1]),
          Double.parseDouble(c[2])}, Integer.parseInt(c[3]), Double.parseDouble(c[4])));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("v", "array<double>").add("label", "int").add("weight", "double");
    org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().config(sc.getConf()).getOrCreate();
    Path data = dir.resolve("product_sign_array.parquet");
    session.createDataFrame(sc.parallelize(rows, 3).rdd(), schema).write().parquet(data.toString());
    Path file = dir.resolve("analysis-parquet-array.yaml");
    Files.writeString(file, Files.readString(yaml).replace("file: product_sign.csv", "file: product_sign_array.parquet")
        .replace("features: [x, y, noise]", "features: [v]"));
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("parquet-array")).withPartitions(3);
    JsonNode got = results(SparkRun.run(sc, analysis, SparkRun.prepare(analysis, file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertEquals(2000, got.path("data").path("streamed_events").asLong());
    assertEquals(List.of("v_0", "v_1", "v_2"), JSON.convertValue(got.path("data").path("features"), List.class));
    // The same models' results as the CSV run's, the features renamed.
    String renamed = got.path("models").toString().replace("\"v_0\"", "\"x\"").replace("\"v_1\"", "\"y\"")
        .replace("\"v_2\"", "\"noise\"");
    assertSame("/models", single.path("models"), JSON.readTree(renamed));
  }

  @Test
  void aNanInAParquetRowPastTheFirstRowsNamesThePartFileAndRow() throws IOException {
    List<String> lines = Files.readAllLines(EXAMPLE.resolve("product_sign.csv"));
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] c = lines.get(i).split(",");
      rows.add(org.apache.spark.sql.RowFactory.create(i == 401 ? Double.NaN : Double.parseDouble(c[0]), Double.parseDouble(c[1]),
          Double.parseDouble(c[2]), Integer.parseInt(c[3]), Double.parseDouble(c[4])));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("x", "double").add("y", "double").add("noise", "double").add("label", "int").add("weight", "double");
    org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().config(sc.getConf()).getOrCreate();
    Path data = dir.resolve("product_sign_nan.parquet");
    session.createDataFrame(sc.parallelize(rows, 1).rdd(), schema).write().parquet(data.toString());
    Path file = dir.resolve("analysis-parquet-nan.yaml");
    Files.writeString(file, Files.readString(yaml).replace("file: product_sign.csv", "file: product_sign_nan.parquet")
        .replace("  weight: weight\n", "  weight: weight\n  stream: 100\n"));
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("parquet-nan"));
    SparkRun.Prepared prepared = SparkRun.prepare(analysis, file);
    org.glassbox.api.GlassboxException e = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.api.GlassboxException.class,
        () -> SparkRun.run(sc, analysis, prepared, s, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("product_sign_nan.parquet") && e.getMessage().contains("row 401")
        && e.getMessage().contains("'x'"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("parquet-nan")), "no results folder after a failed run");
  }

  /** Equal trees, numbers within 1e-9 relative; the Spark run adds data.streamed_events. */
  private static void assertSame(String path, JsonNode want, JsonNode got) {
    if (want.isNumber() && got.isNumber()) {
      double a = want.asDouble();
      double b = got.asDouble();
      if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b)) && Math.abs(a - b) > 1e-300) {
        fail(path + ": " + a + " on one machine, " + b + " on Spark");
      }
      return;
    }
    if (want.isObject() && got.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = got.fields(); it.hasNext(); ) {
        String k = it.next().getKey();
        if (!want.has(k) && !(path.equals("/data") && k.equals("streamed_events"))) fail(path + "/" + k + " only on Spark");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!got.has(e.getKey())) fail(path + "/" + e.getKey() + " missing on Spark");
        assertSame(path + "/" + e.getKey(), e.getValue(), got.get(e.getKey()));
      }
      return;
    }
    if (want.isArray() && got.isArray()) {
      assertEquals(want.size(), got.size(), path + " length");
      for (int i = 0; i < want.size(); i++) assertSame(path + "[" + i + "]", want.get(i), got.get(i));
      return;
    }
    assertEquals(want, got, path);
  }
}
