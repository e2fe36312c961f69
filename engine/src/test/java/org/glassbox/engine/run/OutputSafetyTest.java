package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.engine.report.OutputFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run may replace: only a previous Glassbox results folder holding nothing else and none of
 * the run's inputs, never a file or a folder Glassbox did not write; checked before any work, so a
 * refused run leaves everything as it was. Also the results folder's permissions, and the parents a
 * failed run created.
 */
class OutputSafetyTest {
  static final Path EXAMPLE = Path.of("..", "examples", "product-sign");
  @TempDir Path tmp;
  Path dir;
  Path yaml;
  Analysis analysis;

  /** The example's model and events beside a small analysis file, in one folder (as a user keeps them). */
  @BeforeEach
  void example() throws IOException {
    dir = Files.createDirectories(tmp.resolve("sand3"));
    for (String f : List.of("product_sign.onnx", "product_sign.csv")) Files.copy(EXAMPLE.resolve(f), dir.resolve(f));
    yaml = dir.resolve("base.yaml");
    Files.writeString(yaml, """
        name: product-sign
        seed: 1
        model: product_sign.onnx
        data: {file: product_sign.csv, features: [x, y, noise], label: label, weight: weight}
        neurons: [output]
        methods:
          gradient: {}
        compare: {faithfulness: false}
        """);
    analysis = new Analysis(List.of());
  }

  private Analysis.Outcome run(Path out, boolean overwrite) {
    return analysis.run(analysis.validate(yaml).withOutput(out), overwrite, Progress.NONE, f -> { });
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void overwriteRefusesTheFolderHoldingTheInputs() throws IOException {
    List<String> before = names(dir);
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(dir, true));
    assertTrue(e.getMessage().contains("holds this analysis' inputs") && e.getMessage().contains("base.yaml")
        && e.getMessage().contains("product_sign.onnx") && e.getMessage().contains("product_sign.csv"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toAbsolutePath().normalize().toString()), "names the folder: " + e.getMessage());
    assertEquals(before, names(dir), "the inputs survive, and nothing was added beside them");
    assertEquals(List.of("sand3"), names(tmp), "no partial folder beside it");
    // An ancestor of the inputs' folder is refused too, and so is "." written as a relative path.
    e = assertThrows(GlassboxException.class, () -> run(tmp, true));
    assertTrue(e.getMessage().contains("sand3/base.yaml"), e.getMessage());
    e = assertThrows(GlassboxException.class, () -> run(dir.resolve("sub/..").resolve("."), true));
    assertTrue(e.getMessage().contains("holds this analysis' inputs"), e.getMessage());
    assertEquals(before, names(dir));
  }

  @Test
  void aResultsFolderHoldingAnInputIsNotReplacedEither() throws IOException {
    Path out = dir.resolve("out");
    run(out, false);
    // The user feeds the run a copy of the data kept inside the old results.
    Files.move(dir.resolve("product_sign.csv"), out.resolve("product_sign.csv"));
    Files.writeString(yaml, Files.readString(yaml).replace("file: product_sign.csv", "file: out/product_sign.csv"));
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(out, true));
    assertTrue(e.getMessage().contains("holds this analysis' inputs (product_sign.csv)"), e.getMessage());
    assertTrue(Files.exists(out.resolve("product_sign.csv")));
  }

  @Test
  void overwriteRefusesAFolderWithFilesGlassboxDidNotWrite() throws IOException {
    Path precious = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(precious.resolve("thesis.tex"), "\\documentclass{book}");
    Files.createDirectories(precious.resolve("figures"));
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(precious, true));
    assertEquals("The output folder " + precious.toAbsolutePath().normalize() + " is not a Glassbox results folder: it holds"
        + " 2 entries that Glassbox did not write (figures/, thesis.tex), so Glassbox never replaces it, even with --overwrite."
        + " Choose another output folder (--out, or 'output:' in the analysis file), or delete it yourself if you mean to"
        + " replace it.", e.getMessage());
    assertEquals("\\documentclass{book}", Files.readString(precious.resolve("thesis.tex")));
    assertEquals(List.of("precious", "sand3"), names(tmp), "nothing written, no partial folder left");
    // Without --overwrite the same reason is given (--overwrite would not help).
    e = assertThrows(GlassboxException.class, () -> run(precious, false));
    assertTrue(e.getMessage().contains("not a Glassbox results folder"), e.getMessage());
  }

  @Test
  void overwriteRefusesAFile() throws IOException {
    Path file = tmp.resolve("afile");
    Files.writeString(file, "keep me");
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(file, true));
    assertTrue(e.getMessage().startsWith("The output folder " + file.toAbsolutePath().normalize() + " is a file, not a folder"),
        e.getMessage());
    assertEquals("keep me", Files.readString(file));
  }

  @Test
  void overwriteReplacesAPreviousResultsFolderAndOnlyWithOverwrite() throws IOException {
    Path out = tmp.resolve("results");
    run(out, false);
    assertTrue(Files.isRegularFile(out.resolve(OutputFolder.MARKER)), "results folders are marked");
    String report = Files.readString(out.resolve("index.html"));
    Files.writeString(out.resolve("index.html"), "stale");
    GlassboxException e = assertThrows(GlassboxException.class, () -> run(out, false));
    assertTrue(e.getMessage().contains("already exists; choose another with --out, or pass --overwrite"), e.getMessage());
    assertEquals("stale", Files.readString(out.resolve("index.html")));
    run(out, true);
    assertEquals(report, Files.readString(out.resolve("index.html")), "replaced by the new results");
    // A file added to the results folder since makes it someone else's again.
    Files.writeString(out.resolve("plots").resolve("my-notes.txt"), "mine");
    e = assertThrows(GlassboxException.class, () -> run(out, true));
    assertTrue(e.getMessage().contains("is a Glassbox results folder, but it also holds 1 entry that Glassbox did not write"
        + " (plots/my-notes.txt)"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("plots/my-notes.txt")));
  }

  @Test
  void overwriteReplacesAResultsFolderWrittenBeforeTheMarker() throws IOException {
    Path out = tmp.resolve("results");
    run(out, false);
    Files.delete(out.resolve(OutputFolder.MARKER));
    Files.writeString(out.resolve("index.html"), "stale");
    run(out, true);
    assertNotEquals("stale", Files.readString(out.resolve("index.html")));
    // ... but not one with a foreign file, nor a folder whose results.json Glassbox did not write.
    Files.delete(out.resolve(OutputFolder.MARKER));
    Files.writeString(out.resolve("thesis.tex"), "mine");
    assertThrows(GlassboxException.class, () -> run(out, true));
    assertTrue(Files.exists(out.resolve("thesis.tex")));
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("results.json"), "{\"schema\": \"mine\", \"provenance\": {\"glassbox\": \"no\"}}");
    assertThrows(GlassboxException.class, () -> run(other, true));
    assertTrue(Files.exists(other.resolve("results.json")));
  }

  @Test
  void theResultsFolderIsReadableAsTheUmaskAllows() throws IOException {
    assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class), "no POSIX permissions here");
    // What a folder and a file made the ordinary way get under this process's umask.
    Set<PosixFilePermission> dirPerms = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("reference")));
    Set<PosixFilePermission> filePerms = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("reference.txt")));
    Path out = run(tmp.resolve("shared").resolve("results"), false).folder();
    try (Stream<Path> all = Files.walk(out)) {
      for (Path p : all.toList()) {
        assertEquals(Files.isDirectory(p) ? dirPerms : filePerms, Files.getPosixFilePermissions(p), p.toString());
      }
    }
    assertEquals(dirPerms, Files.getPosixFilePermissions(out.getParent()));
  }

  @Test
  void aFailedRunLeavesNoResultsFolderAndNoParentItCreated() throws IOException {
    RunSpec spec = analysis.validate(yaml).withOutput(tmp.resolve("out").resolve("deeper").resolve("mine"));
    // The data goes bad after validation: the run starts, then fails reading it.
    Files.writeString(dir.resolve("product_sign.csv"), "x,y,noise,label,weight\n1,2,oops,1,1\n");
    assertThrows(GlassboxException.class, () -> analysis.run(spec, false, Progress.NONE, f -> { }));
    assertEquals(List.of("sand3"), names(tmp), "no out/ (nor out/deeper/) left behind");
    // A parent that existed before is kept, and so is one that holds something else.
    Files.createDirectories(tmp.resolve("kept"));
    RunSpec kept = spec.withOutput(tmp.resolve("kept").resolve("new").resolve("mine"));
    assertThrows(GlassboxException.class, () -> analysis.run(kept, false, Progress.NONE, f -> { }));
    assertEquals(List.of(), names(tmp.resolve("kept")));
    assertFalse(Files.exists(tmp.resolve("out")));
  }
}
