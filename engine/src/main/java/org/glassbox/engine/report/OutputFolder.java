package org.glassbox.engine.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;

/**
 * A results folder written atomically: everything goes into a hidden sibling folder, which is
 * renamed to the final name only when complete. An interrupted run leaves no folder that looks
 * whole (and {@link #discard()} removes the partial one, and the parent folders it created).
 *
 * <p>Every results folder holds a small marker file, {@value #MARKER}, that lists what Glassbox
 * wrote into it. Only such a folder (or one written before the marker, recognised by its
 * results.json) is ever replaced, and only while it holds nothing else: Glassbox never replaces a
 * file, a folder it did not write, or a folder that holds the inputs of the run.
 */
public final class OutputFolder implements AutoCloseable {
  /** The marker file in every results folder. */
  public static final String MARKER = ".glassbox-results";

  private static final String MARKER_HEADER = "Glassbox results folder";
  private static final String FILES_LINE = "files:";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What wrote a results folder: a run of an analysis, or the demo (an index over several runs). */
  public enum Kind {
    RUN("run", "a Glassbox run"),
    DEMO("demo", "the Glassbox demo");

    private final String id;
    private final String description;

    Kind(String id, String description) {
      this.id = id;
      this.description = description;
    }

    static Optional<Kind> of(String id) {
      for (Kind k : values()) if (k.id.equals(id)) return Optional.of(k);
      return Optional.empty();
    }
  }

  private final Path target;
  private final Path partial;
  private final Kind kind;
  /** Parent folders this folder's creation made, deepest first: removed again (if empty) when it is discarded. */
  private final List<Path> createdParents;
  private volatile boolean committed;

  private OutputFolder(Path target, Path partial, Kind kind, List<Path> createdParents) {
    this.target = target;
    this.partial = partial;
    this.kind = kind;
    this.createdParents = List.copyOf(createdParents);
  }

  /** Checks the target can be written by a run whose inputs are unknown (see {@link #checkWritable(Path, boolean, Collection)}). */
  public static void checkWritable(Path target, boolean overwrite) {
    checkWritable(target, overwrite, List.of());
  }

  /**
   * Checks, before any work starts, that a run may write its results folder {@code target}: it does
   * not exist, is an empty folder, or is a previous Glassbox results folder (replaced only with
   * {@code overwrite}). A file, a folder Glassbox did not write, and a folder holding any of the
   * run's {@code inputs} (analysis file, models, data) are refused, whatever {@code overwrite} says.
   */
  public static void checkWritable(Path target, boolean overwrite, Collection<Path> inputs) {
    check(target, overwrite, null, inputs, "Choose another output folder (--out, or 'output:' in the analysis file)");
  }

  /**
   * Checks, before any work starts, that {@code target} may be (re)written as a results folder of
   * {@code kind} without asking: it does not exist, is an empty folder, or holds a previous results
   * folder of the same kind and nothing else.
   */
  public static void checkReplaceable(Path target, Kind kind) {
    check(target, true, kind, List.of(), "Choose another output folder with --out");
  }

  private static void check(Path target, boolean overwrite, Kind only, Collection<Path> inputs, String choose) {
    Path t = target.toAbsolutePath().normalize();
    if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isSymbolicLink(t)) {
      throw new GlassboxException("The output folder " + t + " is a symbolic link; Glassbox never replaces one. " + choose
          + " (the folder it links to, or a new one).");
    }
    if (!Files.isDirectory(t)) {
      throw new GlassboxException("The output folder " + t + " is a file, not a folder; Glassbox never replaces a file. "
          + choose + ".");
    }
    List<String> held = heldInputs(t, inputs);
    if (!held.isEmpty()) {
      throw new GlassboxException("The output folder " + t + " holds this analysis' inputs (" + list(held, held.size())
          + "); Glassbox never replaces it, even with --overwrite. " + choose + ", e.g. a new folder inside it such as "
          + t.resolve("glassbox-results") + ".");
    }
    if (isEmptyDir(t)) return;
    Recognised r = recognise(t);
    if (r.kind() == null) {
      throw new GlassboxException("The output folder " + t + " is not a Glassbox results folder: it holds " + entries(r.foreign())
          + " that Glassbox did not write (" + list(r.foreign(), 5) + "), so Glassbox never replaces it"
          + (only == null ? ", even with --overwrite" : "") + ". " + choose + ", or delete it yourself if you mean to replace it.");
    }
    if (!r.foreign().isEmpty()) {
      throw new GlassboxException("The output folder " + t + " is a Glassbox results folder, but it also holds "
          + entries(r.foreign()) + " that Glassbox did not write (" + list(r.foreign(), 5) + "), so Glassbox never replaces it"
          + (only == null ? ", even with --overwrite" : "") + ". " + choose + ", or move those out (or delete the folder"
          + " yourself) if you mean to replace it.");
    }
    if (only != null && r.kind() != only) {
      throw new GlassboxException("The output folder " + t + " holds the results of " + r.kind().description + ", not of "
          + only.description + ", so it is not replaced. " + choose + ", or delete it yourself if you mean to replace it.");
    }
    if (!overwrite) {
      throw new GlassboxException("The output folder " + t + " already exists; choose another with --out, or pass"
          + " --overwrite to replace it.");
    }
  }

  /** A new results folder of a run, written into a hidden sibling of {@code target} until {@link #commit()}. */
  public static OutputFolder create(Path target) {
    return create(target, Kind.RUN);
  }

  /** A new results folder of {@code kind}, written into a hidden sibling of {@code target} until {@link #commit()}. */
  public static OutputFolder create(Path target, Kind kind) {
    Path t = target.toAbsolutePath().normalize();
    List<Path> created = new ArrayList<>();
    try {
      Path parent = t.getParent();
      // The parents this run creates, deepest first, so that a failed run can remove them again.
      for (Path p = parent; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) created.add(p);
      Files.createDirectories(parent);
      // Files.createDirectory, not createTempDirectory: the folder gets the permissions the umask gives
      // (createTempDirectory's are owner-only, which would hide the report from colleagues).
      Path partial = uniqueSibling(t, ".partial-");
      return new OutputFolder(t, partial, kind, created);
    } catch (IOException e) {
      removeEmpty(created);
      throw new GlassboxException("Cannot create the output folder " + target + ": " + e.getMessage(), e);
    }
  }

  /** Creates a new folder named {@code .<target name><infix><random>} beside {@code target}. */
  private static Path uniqueSibling(Path target, String infix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      byte[] b = new byte[6];
      RANDOM.nextBytes(b);
      Path p = target.resolveSibling("." + target.getFileName() + infix + HexFormat.of().formatHex(b));
      try {
        return Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
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
   * Writes the marker and renames the finished folder into place. An old folder is first renamed
   * aside and deleted only once the new one is in place, so a crash in between never leaves the
   * target missing. Should something other than a results folder have appeared at the target
   * during the run, it is left alone and the results are kept beside it.
   */
  public void commit() {
    try {
      writeMarker();
      Path old = null;
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        if (!replaceable(target)) {
          Path kept = keepBeside();
          committed = true;
          throw new GlassboxException("The output folder " + target + " appeared during the run and holds files Glassbox did"
              + " not write, so it was left alone; the results are in " + kept + ".");
        }
        old = uniqueSibling(target, ".old-");
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

  /** Whether what is at the target now may be replaced: an empty folder, or a results folder holding nothing else. */
  private static boolean replaceable(Path target) {
    if (Files.isSymbolicLink(target) || !Files.isDirectory(target)) return false;
    if (isEmptyDir(target)) return true;
    Recognised r = recognise(target);
    return r.kind() != null && r.foreign().isEmpty();
  }

  /** Renames the finished folder to the first free {@code <target>-N}. */
  private Path keepBeside() throws IOException {
    for (int n = 1; ; n++) {
      Path p = target.resolveSibling(target.getFileName() + "-" + n);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
      try {
        Files.move(partial, p);
        return p;
      } catch (FileAlreadyExistsException e) {
        // taken meanwhile: try the next
      }
    }
  }

  private void writeMarker() throws IOException {
    Set<String> entries = new TreeSet<>();
    Files.walkFileTree(partial, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(partial)) entries.add(relative(partial, dir) + "/");
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        entries.add(relative(partial, file));
        return FileVisitResult.CONTINUE;
      }
    });
    entries.remove(MARKER);
    String version = OutputFolder.class.getPackage().getImplementationVersion();
    StringBuilder s = new StringBuilder(MARKER_HEADER).append('\n')
        .append("kind: ").append(kind.id).append('\n')
        .append("glassbox: ").append(version == null ? "development build" : version).append('\n')
        .append("# Glassbox replaces this folder ('glassbox run --overwrite', or 'glassbox demo' for the demo's) only while\n")
        .append("# it holds nothing but the files below, which Glassbox wrote.\n")
        .append(FILES_LINE).append('\n');
    for (String e : entries) s.append(e).append('\n');
    Files.writeString(partial.resolve(MARKER), s.toString(), StandardCharsets.UTF_8);
  }

  /** Removes the partial folder, and the parent folders {@link #create} made if they are empty, unless committed. */
  public void discard() {
    if (!committed) {
      try {
        deleteTree(partial);
      } catch (IOException ignored) {
        // best effort: a leftover hidden .partial folder is harmless
      }
      removeEmpty(createdParents);
    }
  }

  @Override
  public void close() {
    discard();
  }

  /** Deletes the folders, deepest first, stopping at the first that is not empty (or is gone or cannot be deleted). */
  private static void removeEmpty(List<Path> deepestFirst) {
    for (Path p : deepestFirst) {
      try {
        Files.delete(p);
      } catch (IOException e) {
        return; // not empty (someone else's files), gone, or not ours to delete: leave it and its parents
      }
    }
  }

  // ---- recognising a results folder ----

  /**
   * What a folder is: its kind, if it is a Glassbox results folder (null otherwise), and the entries
   * in it that Glassbox did not write (topmost only: a foreign folder's content is not listed).
   */
  record Recognised(Kind kind, List<String> foreign) {}

  /** The known layout of a results folder written before the marker: top-level files, and per folder the file types. */
  private static final Set<String> LEGACY_FILES = Set.of("results.json", "index.html");
  private static final Map<String, List<String>> LEGACY_FOLDERS = Map.of("tables", List.of(".csv"), "plots",
      List.of(".png", ".svg"), "arrays", List.of(".npy"), "models", List.of(".onnx"));

  static Recognised recognise(Path dir) {
    Optional<Recognised> marked = fromMarker(dir);
    if (marked.isPresent()) return marked.get();
    if (isLegacyRun(dir)) return new Recognised(Kind.RUN, legacyForeign(dir));
    Optional<Recognised> index = legacyIndex(dir);
    if (index.isPresent()) return index.get();
    return new Recognised(null, topLevel(dir));
  }

  private static Optional<Recognised> fromMarker(Path dir) {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
    List<String> lines;
    try {
      lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
    if (lines.isEmpty() || !lines.get(0).equals(MARKER_HEADER)) return Optional.empty();
    Kind kind = null;
    Set<String> written = new LinkedHashSet<>();
    boolean files = false;
    for (String line : lines.subList(1, lines.size())) {
      if (files) {
        if (!line.isEmpty()) written.add(line);
      } else if (line.equals(FILES_LINE)) {
        files = true;
      } else if (line.startsWith("kind: ")) {
        kind = Kind.of(line.substring("kind: ".length()).trim()).orElse(null);
      }
    }
    if (kind == null || !files) return Optional.empty();
    List<String> foreign = new ArrayList<>();
    walkForeign(dir, (rel, isDir) -> !rel.equals(MARKER) && !written.contains(isDir ? rel + "/" : rel), foreign);
    return Optional.of(new Recognised(kind, foreign));
  }

  /** A results.json whose top-level object has Glassbox's schema and a provenance naming the Glassbox version. */
  private static boolean isLegacyRun(Path dir) {
    Path json = dir.resolve("results.json");
    if (!Files.isRegularFile(json, LinkOption.NOFOLLOW_LINKS)) return false;
    boolean schema = false;
    boolean provenance = false;
    try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) return false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("schema") && value == JsonToken.VALUE_STRING) {
          schema = p.getText().startsWith("glassbox-results/");
        } else if (field.equals("provenance") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.equals("glassbox")) provenance = true;
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
        if (schema && provenance) return true;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return schema && provenance;
  }

  private static List<String> legacyForeign(Path dir) {
    List<String> foreign = new ArrayList<>();
    walkForeign(dir, (rel, isDir) -> {
      int slash = rel.indexOf('/');
      if (slash < 0) return isDir ? !LEGACY_FOLDERS.containsKey(rel) : !LEGACY_FILES.contains(rel);
      List<String> types = LEGACY_FOLDERS.get(rel.substring(0, slash));
      if (isDir) return !rel.startsWith("arrays/"); // Spark's per-partition parts: arrays/<stem>/part-N.npy
      return types.stream().noneMatch(rel::endsWith);
    }, foreign);
    return foreign;
  }

  /** The demo's folder from before the marker: index.html and results folders of runs, nothing else. */
  private static Optional<Recognised> legacyIndex(Path dir) {
    Path html = dir.resolve("index.html");
    if (!Files.isRegularFile(html, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
    try {
      if (!Files.readString(html, StandardCharsets.UTF_8).contains("<title>Glassbox demo</title>")) return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    List<String> foreign = new ArrayList<>();
    boolean anyRun = false;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.equals("index.html") || isBrowserLitter(name)) continue;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Recognised r = recognise(p);
          if (r.kind() == Kind.RUN) {
            anyRun = true;
            for (String f : r.foreign()) foreign.add(name + "/" + f);
            continue;
          }
        }
        foreign.add(name);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
    return anyRun ? Optional.of(new Recognised(Kind.DEMO, foreign)) : Optional.empty();
  }

  private interface Foreign {
    boolean test(String relative, boolean isDir);
  }

  /** Walks {@code root}, collecting the topmost entries (relative, '/'-separated) that {@code isForeign} flags. */
  private static void walkForeign(Path root, Foreign isForeign, List<String> out) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(root)) return FileVisitResult.CONTINUE;
          String rel = relative(root, dir);
          if (isForeign.test(rel, true)) {
            out.add(rel + "/");
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String rel = relative(root, file);
          if (!isBrowserLitter(file.getFileName().toString()) && isForeign.test(rel, false)) out.add(rel);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          out.add(relative(root, file) + " (unreadable)");
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      out.add("(cannot list: " + e.getMessage() + ")");
    }
    out.sort(Comparator.naturalOrder());
  }

  private static List<String> topLevel(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !isBrowserLitter(p.getFileName().toString()))
          .map(p -> p.getFileName() + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(cannot list: " + e.getMessage() + ")");
    }
  }

  /** The inputs that lie inside {@code folder} (or are it), relative to it; symbolic links are followed too. */
  private static List<String> heldInputs(Path folder, Collection<Path> inputs) {
    Path real = realPath(folder);
    Set<String> held = new LinkedHashSet<>();
    for (Path input : inputs) {
      if (input == null) continue;
      Path abs = input.toAbsolutePath().normalize();
      Path in = realPath(abs);
      if (abs.startsWith(folder)) held.add(abs.equals(folder) ? abs.toString() : relative(folder, abs));
      else if (in.startsWith(real)) held.add(in.equals(real) ? in.toString() : relative(real, in));
    }
    return List.copyOf(held);
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }

  private static String entries(List<String> names) {
    return names.size() == 1 ? "1 entry" : names.size() + " entries";
  }

  private static String list(List<String> names, int max) {
    if (names.size() <= max) return String.join(", ", names);
    return String.join(", ", names.subList(0, max)) + ", and " + (names.size() - max) + " more";
  }

  /**
   * Files a file browser leaves in any folder it shows (Finder's .DS_Store and ._ files, Windows'
   * Thumbs.db and desktop.ini): no one's work, so they neither make a folder someone else's nor
   * non-empty.
   */
  static boolean isBrowserLitter(String name) {
    return name.equals(".DS_Store") || name.startsWith("._") || name.equalsIgnoreCase("Thumbs.db")
        || name.equalsIgnoreCase("desktop.ini");
  }

  private static boolean isEmptyDir(Path p) {
    try (Stream<Path> s = Files.list(p)) {
      return s.allMatch(f -> isBrowserLitter(f.getFileName().toString()) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
