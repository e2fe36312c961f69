package org.glassbox.data;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;

/**
 * NumPy's {@code .npy} format (version 1 to 3), little- or big-endian float32, float64, integer
 * and boolean arrays in C order. The format is a short text header and raw values; the Java
 * libraries that read it pull in a Kotlin runtime, which is more than this needs.
 *
 * <p>{@link Reader} reads an array a block of rows at a time from any stream (a file, or a member
 * of an {@code .npz} zip), so that arrays larger than memory can be processed in chunks.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiub])(\\d)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** Bytes per block when streaming; large enough to amortize the stream calls, small enough to be cheap. */
  private static final int BLOCK_BYTES = 1 << 20;

  private Npy() {}

  /** An array read from a file: values widened to double, with the stored type's name. */
  public record Array(double[] values, long[] shape, String dtype) {
    public FloatTensor toFloat() {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      return new FloatTensor(f, shape.length == 0 ? new long[] {1} : shape);
    }
  }

  /**
   * What a {@code .npy} header says: the element type as NumPy spells it without the byte order
   * ({@code f4}, {@code i8}, {@code b1}, ...), the byte order and the shape.
   */
  public record Header(String dtype, ByteOrder order, long[] shape) {
    /** Number of values in the whole array. */
    public long count() {
      long n = 1;
      for (long d : shape) n *= d;
      return n;
    }

    /** Bytes per value. */
    public int width() {
      return dtype.charAt(1) - '0';
    }

    /** Rows (dimension 0), or 1 for a scalar. */
    public long rows() {
      return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per row: the product of all dimensions but the first. */
    public long rowSize() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) n *= shape[i];
      return n;
    }
  }

  public static Array read(Path file) {
    try (Reader r = open(file)) {
      return readAll(r, file.toString());
    }
  }

  static Array parse(byte[] bytes, String where) {
    try (Reader r = new Reader(new ByteArrayInputStream(bytes), where)) {
      return readAll(r, where);
    }
  }

  private static Array readAll(Reader r, String where) {
    long count = r.header().count();
    if (count > Integer.MAX_VALUE - 8) {
      throw new GlassboxException(where + " holds " + count + " values, more than one Java array can;"
          + " read it in chunks.");
    }
    double[] values = new double[(int) count];
    r.read(values, 0, (int) r.header().rows());
    return new Array(values, r.header().shape(), r.header().dtype());
  }

  /** Opens a file for reading rows in order; the caller closes the reader. */
  public static Reader open(Path file) {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return new Reader(in, file.toString());
    } catch (RuntimeException e) {
      closeQuietly(in);
      throw e;
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Already failing with a better message; a failed close adds nothing.
    }
  }

  /**
   * Reads an array's rows in order from a stream positioned at the start of the {@code .npy}
   * data, without holding more than one block in memory. Not thread-safe: one reader per thread.
   */
  public static final class Reader implements Closeable {
    private final InputStream in;
    private final String where;
    private final Header header;
    private long rowsRead;
    private byte[] buffer = new byte[0];

    /** Reads the header from {@code in}; {@code where} names the source in error messages. */
    public Reader(InputStream in, String where) {
      this.in = in;
      this.where = where;
      this.header = readHeader(in, where);
    }

    public Header header() {
      return header;
    }

    /** Rows not read yet. */
    public long remaining() {
      return header.rows() - rowsRead;
    }

    /** Reads up to {@code rows} rows into {@code dst} from index {@code off}; returns the rows read (0 at the end). */
    public int read(float[] dst, int off, int rows) {
      int n = (int) Math.min(rows, remaining());
      if (n <= 0) return 0;
      long total = n * header.rowSize();
      boolean bulk = header.dtype().equals("f4");
      for (long done = 0; done < total; ) {
        int k = (int) Math.min(BLOCK_BYTES / header.width(), total - done);
        ByteBuffer bb = nextBlock(k);
        int at = off + (int) done;
        if (bulk) {
          bb.asFloatBuffer().get(dst, at, k);
        } else {
          for (int i = 0; i < k; i++) dst[at + i] = (float) value(bb, i);
        }
        done += k;
      }
      rowsRead += n;
      return n;
    }

    /** Reads up to {@code rows} rows into {@code dst} from index {@code off}, widened to double. */
    public int read(double[] dst, int off, int rows) {
      int n = (int) Math.min(rows, remaining());
      if (n <= 0) return 0;
      long total = n * header.rowSize();
      for (long done = 0; done < total; ) {
        int k = (int) Math.min(BLOCK_BYTES / header.width(), total - done);
        ByteBuffer bb = nextBlock(k);
        int at = off + (int) done;
        for (int i = 0; i < k; i++) dst[at + i] = value(bb, i);
        done += k;
      }
      rowsRead += n;
      return n;
    }

    /** The next {@code k} values' bytes, in the file's byte order. */
    private ByteBuffer nextBlock(int k) {
      int bytes = k * header.width();
      if (buffer.length < bytes) buffer = new byte[bytes];
      int got;
      try {
        got = in.readNBytes(buffer, 0, bytes);
      } catch (IOException e) {
        throw new GlassboxException("Cannot read " + where + ": " + e.getMessage(), e);
      }
      if (got < bytes) {
        throw new GlassboxException(where + " is truncated: the header promises " + header.count()
            + " values of " + header.width() + " bytes (shape " + Arrays.toString(header.shape()) + ").");
      }
      return ByteBuffer.wrap(buffer, 0, bytes).order(header.order());
    }

    private double value(ByteBuffer data, int i) {
      switch (header.dtype()) {
        case "f4": return data.getFloat(i * 4);
        case "f8": return data.getDouble(i * 8);
        case "i1": return data.get(i);
        case "u1": return Byte.toUnsignedInt(data.get(i));
        case "b1": return data.get(i) != 0 ? 1 : 0;
        case "i2": return data.getShort(i * 2);
        case "u2": return Short.toUnsignedInt(data.getShort(i * 2));
        case "i4": return data.getInt(i * 4);
        case "u4": return Integer.toUnsignedLong(data.getInt(i * 4));
        case "i8": return data.getLong(i * 8);
        case "u8": {
          long v = data.getLong(i * 8);
          return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
        default: throw new IllegalStateException(header.dtype());
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new GlassboxException("Cannot close " + where + ": " + e.getMessage(), e);
      }
    }
  }

  private static Header readHeader(InputStream in, String where) {
    try {
      byte[] start = in.readNBytes(8);
      for (int i = 0; i < MAGIC.length; i++) {
        if (start.length <= i || start[i] != MAGIC[i]) {
          throw new GlassboxException(where + " is not a .npy file (no NUMPY magic); save it with numpy.save.");
        }
      }
      if (start.length < 8) throw new GlassboxException(where + " is truncated inside the .npy header.");
      int major = start[6];
      byte[] len = in.readNBytes(major == 1 ? 2 : 4);
      if (len.length < (major == 1 ? 2 : 4)) throw new GlassboxException(where + " is truncated inside the .npy header.");
      ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
      int headerLen = major == 1 ? Short.toUnsignedInt(lb.getShort(0)) : lb.getInt(0);
      byte[] text = in.readNBytes(headerLen);
      if (text.length < headerLen) throw new GlassboxException(where + " is truncated inside the .npy header.");
      String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      return parseHeader(header, where);
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + where + ": " + e.getMessage(), e);
    }
  }

  private static Header parseHeader(String header, String where) {
    Matcher d = DESCR.matcher(header);
    Matcher o = ORDER.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !o.find() || !s.find()) {
      throw new GlassboxException(where + ": unsupported .npy header " + header.strip()
          + " (Glassbox reads float, integer and boolean arrays, not structured or object arrays).");
    }
    if (o.group(1).equals("True")) {
      throw new GlassboxException(where + ": Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray.");
    }
    String dtype = d.group(2) + d.group(3);
    if (!List.of("f4", "f8", "i1", "u1", "b1", "i2", "u2", "i4", "u4", "i8", "u8").contains(dtype)) {
      throw new GlassboxException(where + ": unsupported dtype " + dtype
          + " (Glassbox reads float32/64, signed and unsigned integers and booleans); convert with numpy's astype(float32).");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      if (!part.isBlank()) dims.add(Long.parseLong(part.strip()));
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new Header(dtype, order, shape);
  }

  /** Writes float32 values in C order (version 1 header, little-endian). */
  public static void write(OutputStream out, float[] values, long[] shape) throws IOException {
    writeHeader(out, "<f4", shape);
    ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(values);
    out.write(bb.array());
  }

  /** Writes float64 values in C order (version 1 header, little-endian). */
  public static void write(OutputStream out, double[] values, long[] shape) throws IOException {
    writeHeader(out, "<f8", shape);
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bb.asDoubleBuffer().put(values);
    out.write(bb.array());
  }

  /** Writes int64 values in C order (version 1 header, little-endian), as numpy stores integer labels. */
  public static void write(OutputStream out, long[] values, long[] shape) throws IOException {
    writeHeader(out, "<i8", shape);
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bb.asLongBuffer().put(values);
    out.write(bb.array());
  }

  private static void writeHeader(OutputStream out, String descr, long[] shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) dims.append(d).append(", ");
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int total = MAGIC.length + 4 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
  }
}
