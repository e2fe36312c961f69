package org.glassbox.engine.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results folder's own rules: what it replaces, and what an unfinished one leaves behind. */
class OutputFolderTest {
  @TempDir Path tmp;

  private static Path written(Path target, OutputFolder.Kind kind, String... files) throws IOException {
    try (OutputFolder f = OutputFolder.create(target, kind)) {
      for (String name : files) Files.writeString(f.file(name), name);
      f.commit();
    }
    return target;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theDemoReplacesOnlyAnEarlierDemosFolder() throws IOException {
    Path demo = written(tmp.resolve("demo"), OutputFolder.Kind.DEMO, "index.html", "product-sign/results.json");
    assertDoesNotThrow(() -> OutputFolder.checkReplaceable(demo, OutputFolder.Kind.DEMO));
    written(demo, OutputFolder.Kind.DEMO, "index.html");
    assertEquals(List.of(OutputFolder.MARKER, "index.html"), names(demo), "the earlier demo's folder was replaced");

    Path run = written(tmp.resolve("run"), OutputFolder.Kind.RUN, "results.json");
    GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFolder.checkReplaceable(run, OutputFolder.Kind.DEMO));
    assertTrue(e.getMessage().contains("holds the results of a Glassbox run, not of the Glassbox demo"), e.getMessage());

    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.tex"), "mine");
    e = assertThrows(GlassboxException.class, () -> OutputFolder.checkReplaceable(mine, OutputFolder.Kind.DEMO));
    assertEquals("The output folder " + mine + " is not a Glassbox results folder: it holds 1 entry that Glassbox did not"
        + " write (thesis.tex), so Glassbox never replaces it. Choose another output folder with --out, or delete it yourself"
        + " if you mean to replace it.", e.getMessage());
    assertDoesNotThrow(() -> OutputFolder.checkReplaceable(tmp.resolve("new"), OutputFolder.Kind.DEMO));
    assertDoesNotThrow(() -> OutputFolder.checkReplaceable(Files.createDirectory(tmp.resolve("empty")), OutputFolder.Kind.DEMO));
  }

  @Test
  void aDemoFolderFromBeforeTheMarkerIsRecognised() throws IOException {
    Path demo = Files.createDirectories(tmp.resolve("demo").resolve("product-sign").resolve("tables"));
    demo = demo.getParent().getParent();
    Files.writeString(demo.resolve("index.html"), "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Glassbox"
        + " demo</title></head></html>");
    Files.writeString(demo.resolve("product-sign/results.json"), "{\"schema\": \"glassbox-results/1\", \"name\": \"p\","
        + " \"provenance\": {\"glassbox\": \"0.1.0\", \"java\": \"17\"}, \"models\": []}");
    Files.writeString(demo.resolve("product-sign/tables/x.csv"), "a");
    Path d = demo;
    assertDoesNotThrow(() -> OutputFolder.checkReplaceable(d, OutputFolder.Kind.DEMO));
    Files.writeString(demo.resolve("product-sign/tables/thesis.tex"), "mine");
    GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFolder.checkReplaceable(d, OutputFolder.Kind.DEMO));
    assertTrue(e.getMessage().contains("product-sign/tables/thesis.tex"), e.getMessage());
  }

  @Test
  void aFolderThatAppearsDuringTheRunIsLeftAloneAndTheResultsKeptBesideIt() throws IOException {
    Path target = tmp.resolve("out");
    OutputFolder f = OutputFolder.create(target);
    Files.writeString(f.file("results.json"), "{}");
    Files.createDirectories(target);
    Files.writeString(target.resolve("thesis.tex"), "mine");
    GlassboxException e = assertThrows(GlassboxException.class, f::commit);
    f.close();
    assertTrue(e.getMessage().contains("the results are in " + tmp.resolve("out-1")), e.getMessage());
    assertEquals(List.of("thesis.tex"), names(target));
    assertTrue(Files.exists(tmp.resolve("out-1/results.json")));
  }

  @Test
  void anUnfinishedFolderRemovesItselfAndTheEmptyParentsItCreated() throws IOException {
    Path target = tmp.resolve("a").resolve("b").resolve("results");
    try (OutputFolder f = OutputFolder.create(target)) {
      Files.writeString(f.file("tables/x.csv"), "1");
      assertTrue(Files.isDirectory(tmp.resolve("a/b")));
    }
    assertEquals(List.of(), names(tmp));

    // A parent that gained someone else's file during the run stays, with its own parents.
    try (OutputFolder f = OutputFolder.create(target)) {
      Files.writeString(tmp.resolve("a/notes.txt"), "mine");
    }
    assertEquals(List.of("notes.txt"), names(tmp.resolve("a")));
    assertFalse(Files.exists(tmp.resolve("a/b")));
  }

  @Test
  void aFileBrowsersLitterIsNobodysWork() throws IOException {
    Path run = written(tmp.resolve("run"), OutputFolder.Kind.RUN, "results.json", "plots/a.png");
    Files.writeString(run.resolve("plots/.DS_Store"), "finder");
    Files.writeString(run.resolve("Thumbs.db"), "explorer");
    assertDoesNotThrow(() -> OutputFolder.checkWritable(run, true));
    Path opened = Files.createDirectories(tmp.resolve("opened"));
    Files.writeString(opened.resolve(".DS_Store"), "finder");
    assertDoesNotThrow(() -> OutputFolder.checkWritable(opened, false), "as good as empty");
    Files.writeString(opened.resolve("notes.txt"), "mine");
    GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFolder.checkWritable(opened, true));
    assertTrue(e.getMessage().contains("holds 1 entry that Glassbox did not write (notes.txt)"), e.getMessage());
  }

  @Test
  void aSymbolicLinkIsNotReplaced() throws IOException {
    Path real = written(tmp.resolve("real"), OutputFolder.Kind.RUN, "results.json");
    Path link;
    try {
      link = Files.createSymbolicLink(tmp.resolve("link"), real);
    } catch (UnsupportedOperationException | IOException e) {
      return; // no symbolic links here
    }
    GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFolder.checkWritable(link, true));
    assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    assertDoesNotThrow(() -> OutputFolder.checkWritable(real, true));
  }
}
