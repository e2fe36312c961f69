package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.glassbox.api.GlassboxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NpyTest {
  @Test
  void readsNumpyWrittenFiles() {
    // Written by numpy (engine/src/test/resources/fixtures/derivatives/make_fixtures.py): float32 inputs of 12 events x 5 features.
    Npy.Array a = Npy.read(Path.of("src/test/resources/mlp_relu.x.npy"));
    assertEquals("f4", a.dtype());
    assertArrayEquals(new long[] {12, 5}, a.shape());
    Npy.Array h = Npy.read(Path.of("src/test/resources/mlp_relu.hess.npy"));
    assertEquals("f8", h.dtype());
    assertArrayEquals(new long[] {12, 5, 5}, h.shape());
  }

  @Test
  void writesWhatItReads() throws IOException {
    float[] v = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, v, new long[] {2, 3});
    byte[] bytes = out.toByteArray();
    assertEquals(0, (bytes.length - v.length * 4) % 64, "header padded to 64 bytes as numpy does");
    Npy.Array a = Npy.parse(bytes, "test");
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(new double[] {1.5, -2, 3.25, 0, 7, 8}, a.values());
  }

  @Test
  void rejectsOtherFiles() {
    assertThrows(GlassboxException.class, () -> Npy.parse("pt,eta\n1,2\n".getBytes(), "data.csv"));
  }
}
