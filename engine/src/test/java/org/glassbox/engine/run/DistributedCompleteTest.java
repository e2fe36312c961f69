package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DistributedScores#complete}: what computes the totals elsewhere (a cluster) adds its
 * provenance and per-event array parts it wrote into the folder being written; results.json carries
 * them ({@code provenance.<key>} as a nested object, {@code per_event_parts}), and nothing else changes.
 */
class DistributedCompleteTest {
  @TempDir Path dir;

  private Path analysis() throws IOException {
    Path ex = Path.of("..", "examples", "product-sign");
    Files.copy(ex.resolve("product_sign.onnx"), dir.resolve("m.onnx"));
    Files.copy(ex.resolve("product_sign.csv"), dir.resolve("e.csv"));
    Path yaml = dir.resolve("a.yaml");
    Files.writeString(yaml, """
        name: s
        model: m.onnx
        data: {file: e.csv, features: [x, y, noise], label: label, weight: weight, stream: 500}
        neurons: [output]
        methods: {gradient: {}, lrp: {}}
        compare: {faithfulness: false}
        """);
    return yaml;
  }

  @Test
  void extraProvenanceAndPartsGoIntoResultsJson() throws IOException {
    Path yaml = analysis();
    Analysis a = new Analysis(List.of());
    RunSpec spec = a.validate(yaml);
    DistributedScores.Streamed streamed = new DistributedScores.Streamed(a.catalog(), (DataSource.File) spec.data());
    List<Path> folders = new ArrayList<>();
    DistributedScores cluster = new DistributedScores() {
      @Override
      public Totals totals(RunSpec s, RunSpec.ModelSpec model, Progress progress) {
        return streamed.totals(s, model, progress);
      }

      @Override
      public RunResult complete(RunResult result, Path folder, Progress progress) {
        folders.add(folder);
        try {
          Files.createDirectories(folder.resolve("arrays/parts"));
          Files.writeString(folder.resolve("arrays/parts/p0.npy"), "part");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        RunResult.ModelResult m = result.models().get(0);
        RunResult.NeuronResult n = m.neurons().get(0);
        List<RunResult.MethodResult> methods = new ArrayList<>(n.methods());
        methods.set(1, methods.get(1).withPerEventParts(List.of(new RunResult.ArrayPart("arrays/parts/p0.npy", 0, 1200),
            new RunResult.ArrayPart("arrays/parts/p1.npy", 1200, 800))));
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("m", Map.of("events", 2000L));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("master", "local[2]");
        p.put("executors", 1);
        p.put("models", models);
        return result.withModels(List.of(m.withNeurons(List.of(n.withMethods(methods))))).withProvenance("spark", p);
      }
    };
    Path out = a.run(spec.withOutput(dir.resolve("out")), false, Progress.NONE, f -> { }, cluster).folder();
    JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    JsonNode spark = r.path("provenance").path("spark");
    assertEquals("local[2]", spark.path("master").asText());
    assertEquals(1, spark.path("executors").asInt());
    assertEquals(2000, spark.path("models").path("m").path("events").asLong());
    assertEquals(1, r.path("provenance").path("seed").asInt(), "the engine's own provenance stays");
    JsonNode methods = r.path("models").get(0).path("neurons").get(0).path("methods");
    assertFalse(methods.get(0).has("per_event_parts"), "only where parts were given");
    JsonNode parts = methods.get(1).path("per_event_parts");
    assertEquals(2, parts.size());
    assertEquals("arrays/parts/p1.npy", parts.get(1).path("file").asText());
    assertEquals(1200, parts.get(1).path("first_event").asLong());
    assertEquals(800, parts.get(1).path("events").asLong());
    assertEquals(2000, r.path("data").path("streamed_events").asLong());
    // The hook saw the folder being written, and what it wrote there is in the finished folder.
    assertEquals(1, folders.size());
    assertFalse(folders.get(0).equals(out));
    assertTrue(Files.isRegularFile(out.resolve("arrays/parts/p0.npy")));
  }
}
