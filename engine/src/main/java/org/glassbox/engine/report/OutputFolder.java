package org.glassbox.engine.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;

/**
 * A results folder written atomically: everything goes into a hidden sibling folder, which is
 * renamed to the final name only when complete. An interrupted run leaves no folder that looks
 * whole (and {@link #discard()} removes the partial one).
 */
public final class OutputFolder implements AutoCloseable {
  private final Path target;
  private final Path partial;
  private boolean committed;

  private OutputFolder(Path target, Path partial) {
    this.target = target;
    this.partial = partial;
  }

  /** Checks the target can be written, before any work starts. */
  public static void checkWritable(Path target, boolean overwrite) {
    if (Files.exists(target) && !overwrite && !isEmptyDir(target)) {
      throw new GlassboxException("The output folder " + target + " already exists; choose another with --out, or pass"
          + " --overwrite to replace it.");
    }
  }

  public static OutputFolder create(Path target) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
      return new OutputFolder(target.toAbsolutePath(), partial);
    } catch (IOException e) {
      throw new GlassboxException("Cannot create the output folder " + target + ": " + e.getMessage(), e);
    }
  }

  /** A file inside the folder being written (sub-folders are created). */
  public Path file(String relative) {
    Path p = partial.resolve(relative).normalize();
    if (!p.startsWith(partial)) throw new IllegalArgumentException("outside the output folder: " + relative);
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      throw new GlassboxException("Cannot write in " + partial + ": " + e.getMessage(), e);
    }
    return p;
  }

  public Path partialPath() {
    return partial;
  }

  public Path target() {
    return target;
  }

  /**
   * Renames the finished folder into place. An old folder is first renamed aside and deleted only
   * once the new one is in place, so a crash in between never leaves the target missing.
   */
  public void commit() {
    try {
      Path old = null;
      if (Files.exists(target)) {
        old = Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old);
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(partial, target);
      }
      committed = true;
      if (old != null) deleteTree(old);
    } catch (IOException e) {
      throw new GlassboxException("Cannot move the results into " + target + ": " + e.getMessage(), e);
    }
  }

  public void discard() {
    if (!committed) {
      try {
        deleteTree(partial);
      } catch (IOException ignored) {
        // best effort: a leftover hidden .partial folder is harmless
      }
    }
  }

  @Override
  public void close() {
    discard();
  }

  private static boolean isEmptyDir(Path p) {
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
