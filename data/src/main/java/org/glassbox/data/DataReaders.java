package org.glassbox.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.glassbox.api.GlassboxException;

/**
 * Reads event data by file extension: {@code .csv} (and {@code .csv.gz}), {@code .npy},
 * {@code .npz}, {@code .h5}/{@code .hdf5}. Every format goes through the same checks (NaN policy,
 * labels 0/1, finite weights, {@code maxEvents}); the format details are in {@link DataSpec}.
 *
 * <p>Errors are {@link GlassboxException}s that name the file and, for bad values, the row (CSV
 * line number, or event index counting from 0) and the column.
 */
public final class DataReaders {
  /** The extensions {@link #read} understands, for messages and documentation. */
  public static final List<String> SUPPORTED_EXTENSIONS = List.of(".csv", ".csv.gz", ".npy", ".npz", ".h5", ".hdf5");

  private DataReaders() {}

  /** Reads the events the spec asks for, whole. */
  public static EventTable read(DataSpec spec) {
    return read(spec, sha256(checkFile(spec.file())));
  }

  /**
   * Reads the events the spec asks for, whole, from a file whose SHA-256 the caller already has
   * (several arrays of one file: the file is hashed once, not once per array).
   */
  public static EventTable read(DataSpec spec, String sha) {
    checkFile(spec.file());
    try (EventReader r = new EventReader(open(spec), spec, sha)) {
      return r.next(Long.MAX_VALUE);
    }
  }

  /**
   * Reads the events in chunks of {@code chunkEvents} (the last may be smaller), for data larger
   * than memory: CSV and NPY rows are streamed, and so are NPZ members and contiguous HDF5
   * datasets; chunked HDF5 datasets are loaded one dataset at a time. The chunks, concatenated,
   * are exactly what {@link #read} returns. Each chunk's {@code droppedRows} and {@code totalRows}
   * count the rows read for that chunk (rows dropped after the last kept event belong to no chunk).
   * Columns, shapes and names are checked before this returns; bad values surface when their chunk is read.
   *
   * <p>The stream holds the file open: close it (try-with-resources), or read it to the end.
   * Computing the file's SHA-256 costs one extra pass over its bytes before the first chunk.
   */
  public static Stream<EventTable> chunks(DataSpec spec, int chunkEvents) {
    return chunks(spec, chunkEvents, sha256(checkFile(spec.file())));
  }

  /** {@link #chunks(DataSpec, int)} of a file whose SHA-256 the caller already has. */
  public static Stream<EventTable> chunks(DataSpec spec, int chunkEvents, String sha) {
    if (chunkEvents <= 0) throw new IllegalArgumentException("chunkEvents must be positive, got " + chunkEvents);
    checkFile(spec.file());
    EventReader r = new EventReader(open(spec), spec, sha);
    Iterator<EventTable> it = new Iterator<>() {
      private EventTable ahead;

      @Override
      public boolean hasNext() {
        while (ahead == null && !r.finished()) {
          EventTable t = r.next(chunkEvents);
          if (t.events() > 0) ahead = t;
        }
        if (ahead == null) r.close(); // read to the end: release the file even if the caller never closes
        return ahead != null;
      }

      @Override
      public EventTable next() {
        if (!hasNext()) throw new NoSuchElementException();
        EventTable t = ahead;
        ahead = null;
        return t;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(r::close);
  }

  /**
   * The names of the arrays of an {@code .npz} (its keys) or HDF5 file (its dataset paths, without
   * the leading slash), in file order: what {@link DataSpec#dataset()} may name. Lets a caller that
   * looks for arrays by name say which are missing and which exist.
   */
  public static List<String> arrays(Path file) {
    String ext = extension(checkFile(file));
    switch (ext) {
      case ".npz":
        return ArrayFiles.npzArrays(file);
      case ".h5":
      case ".hdf5":
        return ArrayFiles.hdf5Arrays(file);
      default:
        throw new GlassboxException(file + " is a " + ext + " file, which holds no named arrays; an .npz or HDF5 file"
            + " does.");
    }
  }

  /** Hex SHA-256 of a file's bytes, streamed. */
  public static String sha256(Path file) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static Path checkFile(Path file) {
    extension(file);
    if (!Files.exists(file)) {
      throw new GlassboxException("Data file not found: " + file
          + (file.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")") + ".");
    }
    if (!Files.isRegularFile(file)) throw new GlassboxException("Data file " + file + " is not a regular file.");
    return file;
  }

  /** The supported extension the file name ends with. */
  private static String extension(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String ext : List.of(".csv.gz", ".csv", ".npy", ".npz", ".h5", ".hdf5")) {
      if (name.endsWith(ext)) return ext;
    }
    int dot = name.lastIndexOf('.');
    throw new GlassboxException("Cannot read " + file + ": " + (dot < 0 ? "no file extension" : "unknown extension '"
        + name.substring(dot) + "'") + ". Supported: " + String.join(", ", SUPPORTED_EXTENSIONS)
        + " (CSV with a header row, NumPy arrays, HDF5).");
  }

  private static RowSource open(DataSpec spec) {
    Path file = spec.file();
    switch (extension(file)) {
      case ".csv":
      case ".csv.gz":
        return new CsvSource(file, spec);
      case ".npy":
        return ArrayFiles.npy(file, spec);
      case ".npz":
        return ArrayFiles.npz(file, spec);
      default:
        return ArrayFiles.hdf5(file, spec);
    }
  }
}
