package org.glassbox.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes the small files the tests read; expected values in the tests come from what is written here. */
final class TestFiles {
  private TestFiles() {}

  static Path csv(Path dir, String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return p;
  }

  static byte[] npy(float[] values, long... shape) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, values, shape);
    return out.toByteArray();
  }

  static byte[] npy(double[] values, long... shape) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, values, shape);
    return out.toByteArray();
  }

  static byte[] npy(long[] values, long... shape) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, values, shape);
    return out.toByteArray();
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  /**
   * An archive as numpy.savez writes it ({@code compressed} = savez_compressed): one
   * {@code <key>.npy} member per array, STORED or DEFLATED.
   */
  static Path npz(Path dir, String name, boolean compressed, Map<String, byte[]> arrays) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream f = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(f)) {
      for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
        ZipEntry z = new ZipEntry(e.getKey() + ".npy");
        if (!compressed) {
          z.setMethod(ZipEntry.STORED);
          z.setSize(e.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          z.setCrc(crc.getValue());
        }
        zip.putNextEntry(z);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return p;
  }

  /** SHA-256 of the file computed here independently of the reader (all bytes at once). */
  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
