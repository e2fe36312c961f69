package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.glassbox.engine.report.OutputFolder;
import org.junit.jupiter.api.BeforeEach;
import org.glassbox.cli.MainTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough's data-loss cases: 'run --overwrite' and 'demo --out' replace only a previous
 * Glassbox results folder, never the analysis' own folder, someone's files, or a plain file; the
 * refusal comes before any work and leaves everything as it was.
 */
class OutputFolderCommandsTest {
  static final Path EXAMPLE = Path.of("..", "..", "examples", "product-sign");
  @TempDir Path tmp;
  Path sand;
  Path yaml;

  static Run run(String... args) {
    return MainTest.run(args);
  }

  /** The analysis file, the model and the data in one folder. */
  @BeforeEach
  void sandbox() throws IOException {
    sand = Files.createDirectories(tmp.resolve("sand3"));
    for (String f : List.of("product_sign.onnx", "product_sign.csv")) Files.copy(EXAMPLE.resolve(f), sand.resolve(f));
    yaml = sand.resolve("base.yaml");
    Files.writeString(yaml, """
        name: product-sign
        model: product_sign.onnx
        data: {file: product_sign.csv, features: [x, y, noise], label: label}
        neurons: [output]
        methods:
          gradient: {}
        compare: {faithfulness: false}
        """);
  }

  /** Every file under the folder with its content: what must survive a refused command. */
  private static Map<String, String> contents(Path folder) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(folder.relativize(p).toString(), new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return m;
  }

  private static void refused(Run r, String... phrases) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: The output folder "), r.err());
    for (String p : phrases) assertTrue(r.err().contains(p), "'" + p + "' missing: " + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.out().contains("Results in"), r.out());
  }

  @Test
  void overwriteNeverReplacesTheAnalysisOwnFolder() throws IOException {
    Map<String, String> before = contents(sand);
    refused(run("run", "--overwrite", "--out", sand.toString(), yaml.toString(), "-q"), sand.toAbsolutePath().normalize().toString(),
        "holds this analysis' inputs (base.yaml, product_sign.onnx, product_sign.csv)", "even with --overwrite");
    assertEquals(before, contents(sand));
    // 'output: .' in the file: refused by --check already.
    Files.writeString(yaml, Files.readString(yaml) + "output: .\n");
    before = contents(sand);
    refused(run("run", "--check", yaml.toString()), "holds this analysis' inputs");
    refused(run("run", "--overwrite", yaml.toString(), "-q"), "holds this analysis' inputs");
    assertEquals(before, contents(sand));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(sand), s.toList(), "no partial folder left beside it");
    }
  }

  @Test
  void overwriteNeverReplacesSomeoneElsesFolderOrAFile() throws IOException {
    Path precious = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(precious.resolve("thesis.tex"), "\\chapter{One}");
    refused(run("run", "--overwrite", "--out", precious.toString(), yaml.toString(), "-q"),
        "is not a Glassbox results folder: it holds 1 entry that Glassbox did not write (thesis.tex)",
        "delete it yourself if you mean to replace it");
    assertEquals(Map.of("thesis.tex", "\\chapter{One}"), contents(precious));

    Path file = tmp.resolve("afile");
    Files.writeString(file, "keep");
    Files.writeString(yaml, Files.readString(yaml) + "output: ../afile\n");
    refused(run("run", "--overwrite", yaml.toString(), "-q"), "is a file, not a folder");
    assertEquals("keep", Files.readString(file));
  }

  @Test
  void overwriteReplacesAnEarlierRunsResults() throws IOException {
    Path out = sand.resolve("results");
    Run first = run("run", "--out", out.toString(), yaml.toString(), "-q");
    assertEquals(0, first.code(), first.err());
    assertTrue(Files.exists(out.resolve(OutputFolder.MARKER)));
    Files.writeString(out.resolve("index.html"), "stale");
    refused(run("run", "--out", out.toString(), yaml.toString(), "-q"), "already exists", "pass --overwrite to replace it");
    assertEquals("stale", Files.readString(out.resolve("index.html")));
    Run again = run("run", "--overwrite", "--out", out.toString(), yaml.toString(), "-q");
    assertEquals(0, again.code(), again.err());
    assertTrue(Files.readString(out.resolve("index.html")).startsWith("<!DOCTYPE html>"));
    assertTrue(Files.exists(yaml) && Files.exists(sand.resolve("product_sign.onnx")) && Files.exists(sand.resolve("product_sign.csv")));
    // The demo does not take a run's results folder for its own.
    refused(run("demo", "--out", out.toString(), "--quiet"), "holds the results of a Glassbox run, not of the Glassbox demo");
    assertTrue(Files.exists(out.resolve("results.json")));
  }

  @Test
  void demoNeverReplacesAFolderItDidNotWrite() throws IOException {
    Path precious = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(precious.resolve("thesis.tex"), "\\chapter{One}");
    Files.createDirectories(precious.resolve("figures"));
    refused(run("demo", "--out", precious.toString(), "--quiet"), precious.toAbsolutePath().normalize().toString(),
        "is not a Glassbox results folder: it holds 2 entries that Glassbox did not write (figures/, thesis.tex)",
        "Choose another output folder with --out, or delete it yourself if you mean to replace it.");
    assertEquals(Map.of("thesis.tex", "\\chapter{One}"), contents(precious));
    assertTrue(Files.isDirectory(precious.resolve("figures")));
    Path file = tmp.resolve("afile");
    Files.writeString(file, "keep");
    refused(run("demo", "--out", file.toString(), "--quiet"), "is a file, not a folder");
    assertEquals("keep", Files.readString(file));
  }

  @Test
  void demoReplacesAnEarlierDemosFolderButChecksIt() throws IOException {
    // An earlier demo's folder, as Glassbox writes it (the full demo is run twice in MainTest).
    Path demo = tmp.resolve("demo");
    try (OutputFolder f = OutputFolder.create(demo, OutputFolder.Kind.DEMO)) {
      Files.writeString(f.file("index.html"), "old");
      f.commit();
    }
    Files.writeString(demo.resolve("thesis.tex"), "mine");
    refused(run("demo", "--out", demo.toString(), "--quiet"), "is a Glassbox results folder, but it also holds 1 entry that"
        + " Glassbox did not write (thesis.tex)");
    assertEquals("mine", Files.readString(demo.resolve("thesis.tex")));
  }
}
