package org.glassbox.data;

import org.glassbox.api.FloatTensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassbox.api.GlassboxException;

/**
 * NumPy's {@code .npy} format (version 1 to 3), little- or big-endian float32, float64 and integer
 * arrays in C order. The format is a short text header and raw values; the Java libraries that
 * read it pull in a Kotlin runtime, which is more than this needs.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** An array read from a file: values widened to double, with the stored type's name. */
  public record Array(double[] values, long[] shape, String dtype) {
    public FloatTensor toFloat() {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      return new FloatTensor(f, shape.length == 0 ? new long[] {1} : shape);
    }
  }

  public static Array read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
  }

  static Array parse(byte[] bytes, String where) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new GlassboxException(where + " is not a .npy file (no NUMPY magic); save it with numpy.save.");
      }
    }
    int major = bytes[6];
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int offset;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(bb.getShort(8));
      offset = 10;
    } else {
      headerLen = bb.getInt(8);
      offset = 12;
    }
    String header = new String(bytes, offset, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher o = ORDER.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !o.find() || !s.find()) {
      throw new GlassboxException(where + ": unsupported .npy header " + header.strip()
          + " (Glassbox reads float and integer arrays).");
    }
    if (o.group(1).equals("True")) {
      throw new GlassboxException(where + ": Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray.");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      if (!part.isBlank()) dims.add(Long.parseLong(part.strip()));
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long x : shape) count *= x;
    char kind = d.group(2).charAt(0);
    int width = Integer.parseInt(d.group(3));
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer data = ByteBuffer.wrap(bytes, offset + headerLen, bytes.length - offset - headerLen).slice().order(order);
    if (data.remaining() < count * width) {
      throw new GlassboxException(where + " is truncated: the header promises " + count + " values.");
    }
    double[] values = new double[(int) count];
    for (int i = 0; i < count; i++) {
      values[i] = switch (kind + "" + width) {
        case "f4" -> data.getFloat(i * 4);
        case "f8" -> data.getDouble(i * 8);
        case "i1" -> data.get(i);
        case "u1" -> Byte.toUnsignedInt(data.get(i));
        case "i2" -> data.getShort(i * 2);
        case "i4" -> data.getInt(i * 4);
        case "i8" -> data.getLong(i * 8);
        default -> throw new GlassboxException(where + ": unsupported dtype " + kind + width);
      };
    }
    return new Array(values, shape, kind + "" + width);
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
