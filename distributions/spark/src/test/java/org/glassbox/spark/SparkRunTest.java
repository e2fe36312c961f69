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
    SparkTests.assumeSparkStarts();
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
    // The scores really came from the cluster: the partitions and blocks are in results.json's provenance.spark.
    JsonNode prov = got.path("provenance").path("spark");
    assertEquals("local[2,2]", prov.path("master").asText());
    assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(), prov.path("spark").asText());
    assertEquals(1, prov.path("executors").asInt());
    assertEquals(partitions, prov.path("partitions").asInt());
    JsonNode model = prov.path("models").path("product_sign");
    assertEquals(2000, model.path("events").asLong());
    assertEquals(partitions, model.path("partitions").asInt());
    assertEquals(block == 0 ? partitions : (2000 + block - 1) / block, model.path("blocks").asInt());
    // Nothing beside the folder: the engine's atomic folder holds everything.
    try (java.util.stream.Stream<Path> beside = Files.list(r.outcome().folder().getParent())) {
      assertTrue(beside.noneMatch(f -> f.getFileName().toString().startsWith(r.outcome().folder().getFileName() + ".")));
    }
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

  /**
   * The particle tagger (three input tensors, data.inputs; the points and mask fed, not attributed):
   * its packed arrays read in blocks and scored on Spark with the wrapped model give one machine's
   * results.json: scores, groups per input, slot and feature, and AUC, for methods that keep the fed
   * inputs at the event's values while moving the others (integrated gradients, SmoothGrad).
   */
  @ParameterizedTest(name = "{0} partitions")
  @CsvSource({"1", "3"})
  void modelsWithSeveralInputsGiveOneMachinesResults(int partitions) throws IOException {
    Path copy = taggerCopy();
    Path file = copy.resolve("analysis.yaml");
    RunSpec taggerSpec = SparkRun.prepare(analysis, file).spec();
    if (taggerSingle == null) {
      Analysis.Outcome one = analysis.run(taggerSpec.withOutput(copy.resolve("single")), false, Progress.NONE, f -> {});
      taggerSingle = JSON.readTree(one.folder().resolve("results.json").toFile());
    }
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(copy.resolve("spark-" + partitions)).withPartitions(partitions);
    JsonNode got = results(SparkRun.run(sc, analysis, taggerSpec, s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertEquals(4000, got.path("data").path("streamed_events").asLong(), "every event scored on the cluster");
    assertEquals(4000, got.path("provenance").path("spark").path("models").path("particlenet").path("events").asLong());
    JsonNode methods = got.path("models").path(0).path("neurons").path(0).path("methods");
    assertEquals(4, methods.size());
    assertTrue(got.toString().contains("\"groups\""), "scores summed per input, slot and feature");
    // Integrated gradients and SmoothGrad move the inputs; the fed ones (points, mask) must stay at the
    // event's values on the executors too, or these scores would differ from one machine's.
    assertSame("", taggerSingle, got);
  }

  private static JsonNode taggerSingle;

  /** The particle tagger's model and jets beside an analysis of two gradient methods, read in blocks of 500 events. */
  private static Path taggerCopy() throws IOException {
    Path tagger = Path.of("..", "..", "examples", "particle-tagger");
    Path copy = dir.resolve("tagger");
    if (Files.exists(copy.resolve("analysis.yaml"))) return copy;
    Files.createDirectories(copy);
    for (String f : List.of("particlenet.onnx", "jets.npz")) Files.copy(tagger.resolve(f), copy.resolve(f));
    Files.writeString(copy.resolve("analysis.yaml"), """
        name: particle-tagger-spark
        seed: 1
        model: particlenet.onnx
        data:
          file: jets.npz
          label: label
          stream: 500
          inputs:
            points: {differentiable: false}
            features: {axes: [particle, feature], names: [pt, eta, phi]}
            mask: {differentiable: false}
        neurons: [output]
        methods:
          gradient: {}
          gradient-x-input: {}
          integrated-gradients: {baseline: zeros, steps: 4}
          smoothgrad: {samples: 3}
        compare: {faithfulness: false}
        output: results
        """);
    return copy;
  }

  @Test
  void referenceArraysAreRefusedByNameNotRunWrong() throws IOException {
    Path copy = taggerCopy();
    Path file = copy.resolve("reference.yaml");
    Files.writeString(file, Files.readString(copy.resolve("analysis.yaml")).replace("  stream: 500\n", "")
        .replace("names: [pt, eta, phi]}", "names: [pt, eta, phi], reference: features}"));
    org.glassbox.api.GlassboxException e = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.api.GlassboxException.class,
        () -> SparkRun.prepare(analysis, file));
    assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("glassbox run"), e.getMessage());
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

  /** The product-sign events with two observables: xy = x*y, and q = floor(3x) (six values: ties across value ranges). */
  private static void writeObservablesCsv() throws IOException {
    Path csv = dir.resolve("product_sign_obs.csv");
    if (Files.exists(csv)) return;
    List<String> lines = Files.readAllLines(EXAMPLE.resolve("product_sign.csv"));
    List<String> out = new java.util.ArrayList<>();
    out.add(lines.get(0) + ",xy,q");
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      double x = Double.parseDouble(c[0]);
      out.add(line + "," + x * Double.parseDouble(c[1]) + "," + Math.floor(3 * x));
    }
    Files.write(csv, out);
  }

  /**
   * An analysis with the exact ADO between the network, a hidden neuron, observables and a data
   * column, and the gradient's per-event values kept; with {@code stream} the driver reads only the
   * first 300 events.
   */
  private static Path adoAnalysis(String name, boolean stream, boolean unweighted) throws IOException {
    return adoAnalysis(name, stream, unweighted, false);
  }

  /** The same, with {@code mi} also mutual information between those functions (12 bins, with its permutation baseline). */
  private static Path adoAnalysis(String name, boolean stream, boolean unweighted, boolean mi) throws IOException {
    writeObservablesCsv();
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, """
        name: product-sign-ado
        seed: 1
        model: product_sign.onnx
        data:
          file: product_sign_obs.csv
          features: [x, y, noise]
          label: label
          weight: weight
          observables: [xy, q]
        STREAM
        neurons: [output, L1N0]
        methods:
          gradient: {per_event: true}
        similarity:
          ado: {functions: [product_sign, "product_sign:L1N0", xy, q, x]UNWEIGHTED}
        MI""".replace("STREAM\n", stream ? "  stream: 300\n" : "").replace("UNWEIGHTED", unweighted ? ", unweighted: true" : "")
        .replace("MI", mi ? "  mutual-information: {functions: [product_sign, \"product_sign:L1N0\", xy, q, x], bins: 12}\n" : ""));
    return file;
  }

  private static JsonNode singleMachine(Path file, String out) throws IOException {
    Analysis.Outcome o = analysis.run(analysis.validate(file).withOutput(dir.resolve(out)), false, Progress.NONE, f -> {});
    return JSON.readTree(o.folder().resolve("results.json").toFile());
  }

  private static JsonNode adoSingle;

  @ParameterizedTest(name = "{0} partitions")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 7})
  void adoAndPerEventArraysCoverEveryEventAsOnOneMachine(int partitions) throws IOException {
    if (adoSingle == null) adoSingle = singleMachine(adoAnalysis("ado-all", false, false, true), "ado-single");
    Path file = adoAnalysis("ado-mi-stream", true, false, true);
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("ado-spark-" + partitions)).withPartitions(partitions);
    SparkRun.Result r = SparkRun.run(sc, analysis, analysis.validate(file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    JsonNode got = results(r);
    assertEquals(300, got.path("data").path("events").asLong(), "the driver read the first 300 events");
    assertEquals(2000, got.path("data").path("streamed_events").asLong());
    // ADO, AUC and AMS, and mutual information (bins, entropies, permutation baselines) over every event, as one machine
    // computes them holding every event. The weights are 1 and 2, so every pair weight and histogram cell is an exact
    // integer: equal to the last bit.
    assertEquals(2, adoSingle.path("similarity").size());
    assertEquals(adoSingle.path("similarity"), got.path("similarity"));
    for (String method : List.of("ado", "mutual-information")) {
      JsonNode where = got.path("provenance").path("spark").path("similarity").path(method);
      assertEquals("cluster", where.path("on").asText(), method);
      assertEquals(2000, where.path("events").asLong(), method);
    }
    // The gradient's per-event values of every event, one NPY part per partition, equal one machine's array.
    for (int n = 0; n < 2; n++) {
      JsonNode method = got.path("models").get(0).path("neurons").get(n).path("methods").get(0);
      String stem = "product_sign__" + (n == 0 ? "output" : "L1N0") + "__gradient";
      assertEquals("arrays/" + stem + ".npy", method.path("per_event").asText(), "the driver's first 300 events, as before");
      assertEquals(300, org.glassbox.data.Npy.read(r.outcome().folder().resolve(method.path("per_event").asText())).shape()[0]);
      JsonNode parts = method.path("per_event_parts");
      assertEquals(partitions, parts.size());
      List<Double> all = new java.util.ArrayList<>();
      long next = 0;
      for (int p = 0; p < parts.size(); p++) {
        JsonNode part = parts.get(p);
        assertEquals(String.format("arrays/%s/part-%05d.npy", stem, p), part.path("file").asText());
        assertEquals(next, part.path("first_event").asLong(), "parts in event order, end to end");
        org.glassbox.data.Npy.Array a = org.glassbox.data.Npy.read(r.outcome().folder().resolve(part.path("file").asText()));
        assertEquals(part.path("events").asLong(), a.shape()[0]);
        assertEquals(3, a.shape()[1]);
        for (double v : a.values()) all.add(v);
        next += part.path("events").asLong();
      }
      assertEquals(2000, next);
      org.glassbox.data.Npy.Array want = org.glassbox.data.Npy.read(dir.resolve("ado-single").resolve("arrays/" + stem + ".npy"));
      assertEquals(2000, want.shape()[0]);
      double[] concatenated = all.stream().mapToDouble(Double::doubleValue).toArray();
      org.junit.jupiter.api.Assertions.assertArrayEquals(want.values(), concatenated, stem + ": the parts laid end to end");
    }
    try (java.util.stream.Stream<Path> left = Files.walk(r.outcome().folder())) {
      assertTrue(left.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary part files left");
    }
  }

  @Test
  void unweightedAdoOverEveryEventAndNotTheDriversChunk() throws IOException {
    JsonNode want = singleMachine(adoAnalysis("ado-unweighted-all", false, true), "ado-unweighted-single");
    JsonNode head = singleMachine(adoAnalysis("ado-unweighted-stream", true, true), "ado-unweighted-head");
    Path file = dir.resolve("ado-unweighted-stream.yaml");
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("ado-unweighted-spark")).withPartitions(3);
    JsonNode got = results(SparkRun.run(sc, analysis, analysis.validate(file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertEquals(want.path("similarity"), got.path("similarity"));
    // One machine streaming computes the similarity on its first chunk only: the cluster's differs from that.
    org.junit.jupiter.api.Assertions.assertNotEquals(head.path("similarity").get(0).path("matrix"),
        got.path("similarity").get(0).path("matrix"));
  }

  @Test
  void sampledPairsStayOnTheDriverAndSaySo() throws IOException {
    Path file = dir.resolve("ado-sampled.yaml");
    Files.writeString(file, Files.readString(adoAnalysis("ado-stream", true, false)).replace("q, x]}", "q, x], sampled_pairs: 5000}"));
    // One machine reading the same first 300 events draws the same pairs.
    JsonNode head = singleMachine(file, "ado-sampled-head");
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("ado-sampled-spark")).withPartitions(3);
    JsonNode got = results(SparkRun.run(sc, analysis, analysis.validate(file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertEquals(head.path("similarity"), got.path("similarity"));
    JsonNode where = got.path("provenance").path("spark").path("similarity").path("ado");
    assertEquals("driver", where.path("on").asText());
    assertEquals(300, where.path("events").asLong());
    assertTrue(where.path("note").asText().contains("sampled_pairs"), where.toString());
  }

  @Test
  void adoOverEveryParquetRowAsOnOneMachine() throws IOException {
    if (adoSingle == null) adoSingle = singleMachine(adoAnalysis("ado-all", false, false, true), "ado-single");
    writeObservablesCsv();
    List<String> lines = Files.readAllLines(dir.resolve("product_sign_obs.csv"));
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      rows.add(org.apache.spark.sql.RowFactory.create(Double.parseDouble(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
          Integer.parseInt(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5]), Double.parseDouble(c[6])));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType().add("x", "double")
        .add("y", "double").add("noise", "double").add("label", "int").add("weight", "double").add("xy", "double").add("q", "double");
    org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().config(sc.getConf()).getOrCreate();
    Path data = dir.resolve("product_sign_obs.parquet");
    session.createDataFrame(sc.parallelize(rows, 3).rdd(), schema).write().parquet(data.toString());
    Path file = dir.resolve("ado-parquet.yaml");
    Files.writeString(file, Files.readString(adoAnalysis("ado-mi-stream", true, false, true)).replace("product_sign_obs.csv",
        "product_sign_obs.parquet"));
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("ado-parquet")).withPartitions(3);
    JsonNode got = results(SparkRun.run(sc, analysis, SparkRun.prepare(analysis, file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertEquals(2000, got.path("data").path("streamed_events").asLong());
    assertEquals(adoSingle.path("similarity").get(0), got.path("similarity").get(0));
    assertEquals(3, got.path("models").get(0).path("neurons").get(0).path("methods").get(0).path("per_event_parts").size());
    // Mutual information with its permutation baseline needs the events in file order, which Spark's Parquet reading
    // does not keep: it stays on the driver's first rows, and says why.
    JsonNode mi = got.path("provenance").path("spark").path("similarity").path("mutual-information");
    assertEquals("driver", mi.path("on").asText());
    assertEquals(300, mi.path("events").asLong());
    assertTrue(mi.path("note").asText().contains("baseline: false"), mi.toString());
  }

  private static JsonNode populationSingle;

  /**
   * Activation maximization with its starts split across the tasks: 1, 3 and 7 parts give the population
   * one machine climbs (points, values, boundary flags, starts, in the same order) and so the same clusters.
   */
  @ParameterizedTest(name = "{0} partitions")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 7})
  void populationsClimbedInPartsAreTheSingleMachinePopulation(int partitions) throws IOException {
    Path file = dir.resolve("population.yaml");
    if (populationSingle == null) {
      Files.writeString(file, """
          name: product-sign-population
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
          maximization:
            gradient-ascent: {starts: 200, threshold: 0.9}
          clustering:
            dbscan: {}
          """);
      populationSingle = singleMachine(file, "population-single");
    }
    SparkRun.Settings s = SparkRun.Settings.of(file).withOut(dir.resolve("population-spark-" + partitions)).withPartitions(partitions);
    SparkRun.Result r = SparkRun.run(sc, analysis, analysis.validate(file), s, null,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    JsonNode got = results(r);
    JsonNode want = populationSingle.path("models").get(0).path("populations");
    assertEquals(2, want.size());
    assertEquals(200, want.get(0).path("starts").asInt());
    assertTrue(want.get(0).path("reached").asInt() > 50, want.get(0).toString());
    assertEquals(want, got.path("models").get(0).path("populations"));
    // The points themselves, and the table of points, values and boundary flags: the same bytes.
    for (JsonNode pop : want) {
      String npy = pop.path("points").asText();
      org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("population-single").resolve(npy)),
          Files.readAllBytes(r.outcome().folder().resolve(npy)), npy);
      String csv = npy.replace("arrays/", "tables/").replace(".npy", ".csv");
      assertEquals(Files.readString(dir.resolve("population-single").resolve(csv)), Files.readString(r.outcome().folder().resolve(csv)),
          csv);
    }
    assertSame("", populationSingle, got);
    JsonNode where = got.path("provenance").path("spark").path("populations");
    assertEquals(List.of("product_sign:output", "product_sign:L1N0"), JSON.convertValue(where, Map.class).keySet().stream().toList());
    for (JsonNode neuron : where) {
      JsonNode ascent = neuron.path("gradient-ascent");
      assertEquals("cluster", ascent.path("on").asText(), neuron.toString());
      assertEquals(partitions, ascent.path("parts").asInt());
      assertEquals(200, ascent.path("starts").asInt());
    }
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
    JsonNode prov = got.path("provenance").path("spark");
    assertEquals(2000, prov.path("models").path("product_sign").path("events").asLong());
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

  /**
   * Equal trees, numbers within 1e-9 relative; the Spark run adds data.streamed_events,
   * provenance.spark and the methods' per_event_parts.
   */
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
        boolean added = path.equals("/data") && k.equals("streamed_events") || path.equals("/provenance") && k.equals("spark")
            || path.matches("/models\\[\\d+\\]/neurons\\[\\d+\\]/methods\\[\\d+\\]") && k.equals("per_event_parts");
        if (!want.has(k) && !added) fail(path + "/" + k + " only on Spark");
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
