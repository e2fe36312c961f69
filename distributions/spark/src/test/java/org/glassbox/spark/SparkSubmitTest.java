package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.glassbox.api.Progress;
import org.glassbox.engine.run.Analysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar path: Spark's own {@code spark-submit} entry point ({@code SparkSubmit.main}, what the
 * {@code spark-submit} script runs) in a fresh JVM, given this module's classes as an application jar
 * with {@code --class org.glassbox.spark.SparkRun}, the master on its command line and the analysis
 * file as the application's argument, gives the results of the run on one machine.
 */
class SparkSubmitTest {
  private static final Path EXAMPLE = Path.of("../../examples/product-sign").toAbsolutePath().normalize();

  @TempDir Path dir;

  /** This module's compiled classes as a jar, as {@code mvn package} makes it. */
  private static Path applicationJar(Path file) throws IOException {
    Path classes = Path.of("target/classes").toAbsolutePath();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SparkRun.class.getName());
    try (OutputStream os = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(os, manifest);
        Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, jar);
        jar.closeEntry();
      }
    }
    return file;
  }

  @Test
  void sparkSubmitRunsTheAnalysisFromTheJar() throws Exception {
    SparkTests.assumeSparkStarts();
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), dir.resolve("product_sign.onnx"));
    Files.copy(EXAMPLE.resolve("product_sign.csv"), dir.resolve("product_sign.csv"));
    Path yaml = dir.resolve("analysis.yaml");
    Files.writeString(yaml, """
        name: submitted
        model: product_sign.onnx
        data: {file: product_sign.csv, features: [x, y, noise], label: label, weight: weight, stream: 500}
        neurons: [output]
        methods:
          gradient: {per_event: true}
        similarity:
          ado: {functions: [product_sign, x, y]}
        """);
    Path jar = applicationJar(dir.resolve("glassbox-spark.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The JVM flags Spark needs on Java 17+ (this JVM has them: the module's argLine), then Spark's submit entry point.
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty")) cmd.add(a);
    }
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "org.apache.spark.deploy.SparkSubmit", "--class", "org.glassbox.spark.SparkRun", "--master", "local[2]",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        jar.toString(), yaml.toString(), "--out", dir.resolve("out").toString(), "--partitions", "3"));
    Path log = dir.resolve("submit.log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) p.destroyForcibly();
    String output = Files.readString(log);
    assertTrue(done && p.exitValue() == 0, "spark-submit failed:\n" + output.substring(Math.max(0, output.length() - 4000)));
    assertTrue(output.contains("Results in " + dir.resolve("out")), output);

    ObjectMapper json = new ObjectMapper();
    JsonNode got = json.readTree(dir.resolve("out/results.json").toFile());
    JsonNode spark = got.path("provenance").path("spark");
    assertEquals("local[2]", spark.path("master").asText(), "the master spark-submit was given");
    assertEquals(3, spark.path("partitions").asInt());
    assertEquals(2000, got.path("data").path("streamed_events").asLong());
    assertEquals(3, got.path("models").get(0).path("neurons").get(0).path("methods").get(0).path("per_event_parts").size());

    // The same numbers as one machine holding every event.
    Path all = dir.resolve("all.yaml");
    Files.writeString(all, Files.readString(yaml).replace(", stream: 500", ""));
    Analysis analysis = new Analysis(List.of());
    Analysis.Outcome one = analysis.run(analysis.validate(all).withOutput(dir.resolve("single")), false, Progress.NONE, f -> {});
    JsonNode want = json.readTree(one.folder().resolve("results.json").toFile());
    assertEquals(want.path("similarity"), got.path("similarity"));
    JsonNode a = want.path("models").get(0).path("neurons").get(0);
    JsonNode b = got.path("models").get(0).path("neurons").get(0);
    assertEquals(a.path("auc").asDouble(), b.path("auc").asDouble(), 1e-12);
    for (int i = 0; i < 3; i++) {
      double x = a.path("methods").get(0).path("scores").get(i).asDouble();
      double y = b.path("methods").get(0).path("scores").get(i).asDouble();
      assertEquals(x, y, 1e-9 * Math.abs(x));
    }
  }
}
