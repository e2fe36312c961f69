package org.glassbox.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.observables.ParticleData;
import org.glassbox.data.DataSpec;
import org.glassbox.data.NanPolicy;
import org.glassbox.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Particle lists read from an NPZ member beside the features: the values written come back, in order. */
class ParticleDataTest {
  @TempDir Path dir;

  Path npz(float[] x, long[] xShape, float[] c, long[] cShape) throws IOException {
    Path f = dir.resolve("jets.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
      zip.putNextEntry(new ZipEntry("x.npy"));
      Npy.write(nonClosing(zip), x, xShape);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("constituents.npy"));
      Npy.write(nonClosing(zip), c, cShape);
      zip.closeEntry();
    }
    return f;
  }

  static OutputStream nonClosing(OutputStream o) {
    return new java.io.FilterOutputStream(o) {
      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  @Test
  void particlesComeBackAsWritten() throws IOException {
    int n = 4;
    int m = 3;
    float[] c = new float[n * m * 3];
    for (int i = 0; i < c.length; i++) c[i] = i * 0.5f;
    Path f = npz(new float[n * 2], new long[] {n, 2}, c, new long[] {n, m, 3});
    DataSource.File src = new DataSource.File(new DataSpec(f, List.of(), null, null, 0, NanPolicy.ERROR, "x"), List.of(),
        new DataSource.Particles("constituents", List.of("pt", "eta", "phi")));
    ParticleData p = src.load().particles().orElseThrow();
    assertEquals(List.of("pt", "eta", "phi"), p.fields());
    assertEquals(n, p.events());
    assertEquals(m, p.maxParticles());
    assertArrayEquals(c, p.data());
    assertEquals(c[(2 * m + 1) * 3 + 2], p.get(2, 1, 2));
  }

  @Test
  void wrongFieldCountIsExplained() throws IOException {
    Path f = npz(new float[8], new long[] {4, 2}, new float[4 * 3 * 2], new long[] {4, 3, 2});
    DataSource.File src = new DataSource.File(new DataSpec(f, List.of(), null, null, 0, NanPolicy.ERROR, "x"), List.of(),
        new DataSource.Particles("constituents", List.of("pt", "eta", "phi")));
    GlassboxException e = assertThrows(GlassboxException.class, src::load);
    assertTrue(e.getMessage().contains("'constituents' has shape [4, 3, 2]") && e.getMessage().contains("[pt, eta, phi]"),
        e.getMessage());
  }
}
