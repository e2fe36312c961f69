package org.glassbox.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.data.Npy;
import org.glassbox.engine.report.Names;
import org.glassbox.engine.run.ChunkScorer;

/**
 * The per-event arrays of one partition, written by its task as NPY files (float32, C order, as
 * the engine writes {@code arrays/<stem>.npy}), one per neuron and method that keeps per-event
 * values: {@code arrays/<stem>/part-<partition>.npy} under the results folder being written, which
 * therefore must be on a file system every executor sees. A file is written under a temporary name
 * and renamed into place when complete, so a task that fails, is retried or runs twice (speculation)
 * leaves one whole file with the same content; nothing goes to the driver but the file names.
 */
final class PartFiles implements AutoCloseable {

  /**
   * A part written: [neuron][method] indices, the file relative to the results folder, and the
   * events [first, first + events) it holds.
   */
  record Part(int neuron, int method, String file, long first, long events) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Path root;
  private final String model;
  private final List<String> neurons;
  private final List<String> methods;
  private final int partition;
  private final long first;
  private final long events;
  private final String attempt;
  private final OutputStream[][] open;
  private final Path[][] temporary;
  private final long[][] written;

  /**
   * @param root the results folder being written
   * @param events how many events the partition holds (the arrays' first dimension)
   */
  PartFiles(Path root, String model, List<String> neurons, List<String> methods, int partition, long first, long events,
      String attempt) {
    this.root = root;
    this.model = model;
    this.neurons = neurons;
    this.methods = methods;
    this.partition = partition;
    this.first = first;
    this.events = events;
    this.attempt = attempt;
    this.open = new OutputStream[neurons.size()][methods.size()];
    this.temporary = new Path[neurons.size()][methods.size()];
    this.written = new long[neurons.size()][methods.size()];
  }

  /** Whether a file is a part being written (or left by an attempt that died). */
  static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".part-") && name.endsWith(".tmp");
  }

  static String relative(String model, String neuron, String method, int partition) {
    return "arrays/" + Names.stem(model, neuron, method) + "/part-" + String.format(Locale.ROOT, "%05d", partition) + ".npy";
  }

  /** Appends the per-event values of a block's results (the methods that kept them). */
  void add(ChunkScorer.Partial p) {
    Attribution[][] a = p.attributions();
    for (int i = 0; i < a.length; i++) {
      for (int m = 0; m < a[i].length; m++) {
        if (a[i][m].perEvent().isEmpty()) continue;
        FloatTensor t = a[i][m].perEvent().get();
        if (t.events() != p.events()) {
          throw new IllegalStateException(methods.get(m) + " kept per-event values of " + t.events() + " events for a block of "
              + p.events());
        }
        try {
          if (open[i][m] == null) start(i, m, t.shape());
          ByteBuffer bb = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
          bb.asFloatBuffer().put(t.data());
          open[i][m].write(bb.array());
          written[i][m] += t.events();
        } catch (IOException e) {
          throw new GlassboxException("Cannot write the per-event values of " + methods.get(m) + " in " + root + ": "
              + e.getMessage(), e);
        }
      }
    }
  }

  private void start(int i, int m, long[] shape) throws IOException {
    Path file = root.resolve(relative(model, neurons.get(i), methods.get(m), partition));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + attempt + ".tmp");
    temporary[i][m] = tmp;
    open[i][m] = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    long[] s = shape.clone();
    s[0] = events;
    Npy.write(open[i][m], new float[0], s); // the header only; the values follow block by block
  }

  /** Closes the files and renames them into place; returns the parts. */
  List<Part> finish() {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < open.length; i++) {
      for (int m = 0; m < open[i].length; m++) {
        if (open[i][m] == null) continue;
        try {
          open[i][m].close();
          open[i][m] = null;
          if (written[i][m] != events) {
            throw new IllegalStateException(methods.get(m) + " kept per-event values of " + written[i][m] + " of the partition's "
                + events + " events");
          }
          String rel = relative(model, neurons.get(i), methods.get(m), partition);
          Path file = root.resolve(rel);
          try {
            Files.move(temporary[i][m], file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary[i][m], file, StandardCopyOption.REPLACE_EXISTING);
          }
          temporary[i][m] = null;
          parts.add(new Part(i, m, rel, first, events));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return parts;
  }

  /** Removes what an unfinished attempt wrote. */
  @Override
  public void close() {
    for (int i = 0; i < open.length; i++) {
      for (int m = 0; m < open[i].length; m++) {
        try {
          if (open[i][m] != null) open[i][m].close();
          if (temporary[i][m] != null) Files.deleteIfExists(temporary[i][m]);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }
}
