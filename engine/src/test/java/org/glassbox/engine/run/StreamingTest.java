package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.stream: reading the events in chunks gives the scores and AUCs of reading them at once. */
class StreamingTest {
  @TempDir Path dir;

  JsonNode run(String extra, String out) throws IOException {
    Path ex = Path.of("..", "examples", "product-sign");
    if (!Files.exists(dir.resolve("m.onnx"))) {
      Files.copy(ex.resolve("product_sign.onnx"), dir.resolve("m.onnx"));
      Files.copy(ex.resolve("product_sign.csv"), dir.resolve("e.csv"));
    }
    Path yaml = dir.resolve(out + ".yaml");
    Files.writeString(yaml, """
        name: s
        model: m.onnx
        data: {file: e.csv, features: [x, y, noise], label: label, weight: weight%s}
        neurons: [output, L1N0]
        methods: {gradient: {}, gradient-x-input: {}, lrp: {}}
        compare: {faithfulness: false}
        """.formatted(extra));
    Analysis a = new Analysis(List.of());
    Path folder = a.run(a.validate(yaml).withOutput(dir.resolve(out)), false, Progress.NONE, f -> { }).folder();
    return new ObjectMapper().readTree(folder.resolve("results.json").toFile());
  }

  @Test
  void chunksGiveTheScoresOfOneRead() throws IOException {
    JsonNode whole = run("", "whole");
    JsonNode streamed = run(", stream: 300", "streamed");
    assertEquals(2000, streamed.get("data").get("streamed_events").asInt());
    assertEquals(300, streamed.get("data").get("events").asInt());
    JsonNode wn = whole.get("models").get(0).get("neurons");
    JsonNode sn = streamed.get("models").get(0).get("neurons");
    for (int i = 0; i < wn.size(); i++) {
      assertEquals(wn.get(i).get("auc").asDouble(), sn.get(i).get("auc").asDouble(), 1e-6);
      for (int m = 0; m < wn.get(i).get("methods").size(); m++) {
        JsonNode a = wn.get(i).get("methods").get(m);
        JsonNode b = sn.get(i).get("methods").get(m);
        for (int f = 0; f < a.get("scores").size(); f++) {
          double x = a.get("scores").get(f).asDouble();
          assertEquals(x, b.get("scores").get(f).asDouble(), 1e-5 * Math.abs(x) + 1e-9, a.get("id") + " " + f);
          double e = a.get("standard_errors").get(f).asDouble();
          assertEquals(e, b.get("standard_errors").get(f).asDouble(), 1e-4 * Math.abs(e) + 1e-9);
        }
      }
    }
  }

  /** A model with three input tensors: the arrays are read in chunks side by side and packed chunk by chunk. */
  @Test
  void severalInputArraysStreamInStep() throws IOException {
    Path fx = Path.of("src", "test", "resources", "fixtures", "multi-input");
    Files.copy(fx.resolve("particlenet.onnx"), dir.resolve("pn.onnx"));
    Files.copy(fx.resolve("particlenet.inputs.npz"), dir.resolve("pn.npz"));
    JsonNode[] runs = new JsonNode[2];
    for (int k = 0; k < 2; k++) {
      Path yaml = dir.resolve("pn" + k + ".yaml");
      Files.writeString(yaml, """
          model: pn.onnx
          data:
            file: pn.npz
            label: label%s
            inputs:
              points: {differentiable: false}
              features: {names: [pt, eta, phi]}
              mask: {differentiable: false}
          methods: {gradient: {}, gradient-x-input: {}, lrp: {}}
          compare: {faithfulness: false}
          """.formatted(k == 0 ? "" : "\n  stream: 3"));
      Analysis a = new Analysis(List.of());
      Path folder = a.run(a.validate(yaml).withOutput(dir.resolve("pn" + k)), false, Progress.NONE, f -> { }).folder();
      runs[k] = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
    }
    assertEquals(8, runs[1].get("data").get("streamed_events").asInt(), "chunks of 3, 3 and 2 events");
    assertEquals(3, runs[1].get("data").get("events").asInt());
    JsonNode wn = runs[0].get("models").get(0).get("neurons").get(0);
    JsonNode sn = runs[1].get("models").get(0).get("neurons").get(0);
    assertEquals(wn.get("auc").asDouble(), sn.get("auc").asDouble(), 1e-9);
    for (int m = 0; m < 3; m++) {
      JsonNode a = wn.get("methods").get(m);
      JsonNode b = sn.get("methods").get(m);
      for (int f = 0; f < a.get("scores").size(); f++) {
        double x = a.get("scores").get(f).asDouble();
        assertEquals(x, b.get("scores").get(f).asDouble(), 1e-5 * Math.abs(x) + 1e-9, a.get("id") + " " + f);
      }
    }
  }
}
