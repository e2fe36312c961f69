package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReadersTest {
  @TempDir Path dir;

  @Test
  void aMissingFileNamesThePath() {
    Path p = dir.resolve("no_such_events.csv");
    String m = assertThrows(GlassboxException.class, () -> DataReaders.read(DataSpec.of(p))).getMessage();
    assertTrue(m.contains(p.toString()) && m.contains("not found"), m);
  }

  @Test
  void anUnknownExtensionNamesTheSupportedOnes() throws Exception {
    Path p = Files.writeString(dir.resolve("events.parquet"), "PAR1");
    String m = assertThrows(GlassboxException.class, () -> DataReaders.read(DataSpec.of(p))).getMessage();
    assertTrue(m.contains(p.toString()) && m.contains(".parquet"), m);
    for (String ext : List.of(".csv", ".npy", ".npz", ".h5", ".hdf5")) assertTrue(m.contains(ext), m);
  }

  @Test
  void extensionsAreCaseInsensitiveAndHdf5IsBothSpellings() throws Exception {
    Path p = TestFiles.csv(dir, "EVENTS.CSV", "a", "1");
    assertArrayEquals(new float[] {1}, DataReaders.read(DataSpec.of(p)).features().data());
  }

  @Test
  void sha256IsOfTheFileBytes() throws Exception {
    byte[] big = new byte[300_000]; // more than one read buffer
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    Path p = TestFiles.write(dir, "blob.npy", big);
    assertEquals(TestFiles.sha256(p), DataReaders.sha256(p));
    // The SHA-256 of the empty input, a published constant.
    Path empty = TestFiles.write(dir, "empty.npy", new byte[0]);
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DataReaders.sha256(empty));
  }

  @Test
  void specDefaultsAndValidation() {
    DataSpec s = new DataSpec(Path.of("a.csv"), null, null, null, 0, null, null);
    assertEquals(List.of(), s.features());
    assertEquals(NanPolicy.ERROR, s.nan());
    assertThrows(GlassboxException.class, () -> new DataSpec(Path.of("a.csv"), List.of(), null, null, -1, null, null));
  }

  @Test
  void eventTableAsEventData() throws Exception {
    Path p = TestFiles.csv(dir, "e.csv", "a,y", "1,1", "2,0");
    EventTable t = DataReaders.read(DataSpec.of(p).withLabel("y"));
    var data = t.toEventData();
    assertArrayEquals(new double[] {1, 1}, data.weights());
    assertArrayEquals(new int[] {1, 0}, data.labels().orElseThrow());
    assertEquals(List.of("a"), data.featureNames());
    assertEquals(2, data.events());
  }
}
