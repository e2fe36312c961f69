package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionSpec;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in story: examples/custom-plugin is compiled against the api alone, its jar is put in a
 * plugins folder, and `glassbox methods` lists it and a YAML run uses it.
 */
class CustomPluginTest {
  static final Path ROOT = Path.of("..", "..");
  static final Path PLUGIN = ROOT.resolve("examples/custom-plugin");
  @TempDir Path tmp;

  Path buildPluginJar() throws IOException, URISyntaxException {
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Path api = Path.of(OptionSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "--module-path", api.toString()));
    try (Stream<Path> s = Files.walk(PLUGIN.resolve("src/main/java"))) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    // java.util.spi.ToolProvider (java.base) reaches javac without reading the java.compiler module.
    var javac = java.util.spi.ToolProvider.findFirst("javac").orElseThrow();
    StringWriter log = new StringWriter();
    int rc = javac.run(new PrintWriter(log), new PrintWriter(log), args.toArray(String[]::new));
    assertEquals(0, rc, "the example plugin compiles against the api: " + log);
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = plugins.resolve("occlusion-plugin-1.0.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Path root : List.of(classes, PLUGIN.resolve("src/main/resources"))) {
        try (Stream<Path> s = Files.walk(root)) {
          for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
            out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
            Files.copy(p, out);
            out.closeEntry();
          }
        }
      }
    }
    return plugins;
  }

  static MainTest.Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new MainTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void droppedInPluginIsListedAndRuns() throws Exception {
    Path plugins = buildPluginJar();
    MainTest.Run listed = run("methods", "--plugins", plugins.toString());
    assertEquals(0, listed.code(), listed.err());
    assertTrue(listed.out().contains("occlusion") && listed.out().contains("baseline"), listed.out());

    Path example = ROOT.resolve("examples/product-sign");
    Files.copy(example.resolve("product_sign.onnx"), tmp.resolve("model.onnx"));
    Files.copy(example.resolve("product_sign.csv"), tmp.resolve("events.csv"));
    Path yaml = tmp.resolve("analysis.yaml");
    Files.writeString(yaml, """
        model: model.onnx
        data: {file: events.csv, features: [x, y, noise], label: label}
        methods:
          occlusion: {baseline: 0.5}
          gradient: {}
        """);
    Path out = tmp.resolve("out");
    MainTest.Run r = run("run", yaml.toString(), "--out", out.toString(), "--quiet", "--plugins", plugins.toString());
    assertEquals(0, r.code(), r.err());
    String json = Files.readString(out.resolve("results.json"));
    assertTrue(json.contains("\"id\" : \"occlusion\"") && json.contains("\"baseline\" : 0.5"), json);

    // The plugin's score for x is the mean |p(x) - p(x with x := 0.5)|, computed here independently.
    try (OnnxModel m = OnnxModel.load(tmp.resolve("model.onnx"), ExecutionOptions.defaults())) {
      List<String> lines = Files.readAllLines(tmp.resolve("events.csv"));
      int n = lines.size() - 1;
      float[] x = new float[n * 3];
      for (int i = 0; i < n; i++) {
        String[] f = lines.get(i + 1).split(",");
        for (int j = 0; j < 3; j++) x[i * 3 + j] = Float.parseFloat(f[j]);
      }
      float[] p = m.evaluate(FloatTensor.of(x, n, 3)).data();
      float[] occluded = x.clone();
      for (int i = 0; i < n; i++) occluded[i * 3] = 0.5f;
      float[] q = m.evaluate(FloatTensor.of(occluded, n, 3)).data();
      double mean = 0;
      for (int i = 0; i < n; i++) mean += Math.abs(p[i] - q[i]) / n;
      String scores = json.substring(json.indexOf("\"scores\"", json.indexOf("\"occlusion\"")));
      double reported = Double.parseDouble(scores.substring(scores.indexOf('[') + 1, scores.indexOf(',')).strip());
      assertEquals(mean, reported, 1e-6 * Math.max(1, mean));
    }
  }

  @Test
  void duplicateIdsNameBothPlugins() throws Exception {
    Path plugins = buildPluginJar();
    Files.copy(plugins.resolve("occlusion-plugin-1.0.jar"), plugins.resolve("occlusion-copy.jar"));
    MainTest.Run r = run("methods", "--plugins", plugins.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Two attribution methods have the id 'occlusion'") && r.err().contains("occlusion-copy.jar"),
        r.err());
  }

}
