package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HDF5 files written here with jhdf's writer (contiguous datasets). */
class Hdf5ReaderTest {
  @TempDir Path dir;

  private static String message(Runnable r) {
    return assertThrows(GlassboxException.class, r::run).getMessage();
  }

  /**
   * events.h5: /x (5 x 3 float32, x[i][j] = 10 i + j), /y (int labels), /w (double weights),
   * /jets/pt and /jets/eta (1-D double), /short (4 int labels).
   */
  private Path write(float badValue, int badEvent) {
    Path f = dir.resolve("events.h5");
    float[][] x = new float[5][3];
    for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) x[i][j] = 10 * i + j;
    if (badEvent >= 0) x[badEvent][2] = badValue;
    try (WritableHdfFile h = HdfFile.write(f)) {
      h.putDataset("x", x);
      h.putDataset("y", new int[] {1, 0, 1, 0, 1});
      h.putDataset("w", new double[] {0.1, 0.2, 0.3, 0.4, 0.5});
      WritableGroup jets = h.putGroup("jets");
      jets.putDataset("pt", new double[] {100, 200, 300, 400, 500});
      jets.putDataset("eta", new double[] {-2, -1, 0, 1, 2});
      h.putDataset("short", new int[] {1, 0, 1, 0});
    }
    return f;
  }

  @Test
  void oneTwoDimensionalDatasetWithLabelsAndWeights() throws Exception {
    Path f = write(0, -1);
    EventTable t = DataReaders.read(new DataSpec(f, List.of("a", "b", "c"), "y", "/w", 0, NanPolicy.ERROR, "x"));
    assertEquals(List.of("a", "b", "c"), t.featureNames());
    assertArrayEquals(new long[] {5, 3}, t.features().shape());
    float[] expected = new float[15];
    for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) expected[i * 3 + j] = 10 * i + j;
    assertArrayEquals(expected, t.features().data());
    assertArrayEquals(new int[] {1, 0, 1, 0, 1}, t.labels());
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, t.weights());
    assertEquals(TestFiles.sha256(f), t.sha256());

    // Without data.dataset and features, /x is the default, as for .npz.
    EventTable d = DataReaders.read(DataSpec.of(f));
    assertEquals(List.of("f0", "f1", "f2"), d.featureNames());
    assertArrayEquals(expected, d.features().data());
  }

  @Test
  void aListOfOneDimensionalDatasets() throws Exception {
    Path f = write(0, -1);
    EventTable t = DataReaders.read(new DataSpec(f, List.of("jets/eta", "/jets/pt"), "y", null, 0, NanPolicy.ERROR, null));
    assertEquals(List.of("jets/eta", "/jets/pt"), t.featureNames());
    assertArrayEquals(new float[] {-2, 100, -1, 200, 0, 300, 1, 400, 2, 500}, t.features().data());
  }

  @Test
  void missingDatasetsSuggestTheNearestAndWrongLengthsNameBoth() throws Exception {
    Path f = write(0, -1);
    String m = message(() -> DataReaders.read(new DataSpec(f, List.of("jets/ptt"), null, null, 0, NanPolicy.ERROR, null)));
    assertTrue(m.contains(f.toString()) && m.contains("'jets/ptt'") && m.contains("'jets/eta'")
        && m.contains("Did you mean 'jets/pt'?"), m);
    String g = message(() -> DataReaders.read(new DataSpec(f, List.of(), null, null, 0, NanPolicy.ERROR, "jets")));
    assertTrue(g.contains("group"), g);
    String l = message(() -> DataReaders.read(new DataSpec(f, List.of(), "short", null, 0, NanPolicy.ERROR, "x")));
    assertTrue(l.contains("4 entries") && l.contains("5 events"), l);
  }

  @Test
  void nanNamesTheEventAndFeatureOrIsDropped() throws Exception {
    Path f = write(Float.NaN, 3);
    String m = message(() -> DataReaders.read(new DataSpec(f, List.of("a", "b", "c"), null, null, 0, NanPolicy.ERROR, "x")));
    assertTrue(m.contains(f.toString()) && m.contains("event 3") && m.contains("'c'") && m.contains("nan: drop"), m);
    EventTable t = DataReaders.read(new DataSpec(f, List.of(), "y", null, 0, NanPolicy.DROP, "x"));
    assertEquals(4, t.events());
    assertArrayEquals(new int[] {1, 0, 1, 1}, t.labels());
    assertEquals(1, t.droppedRows());
  }
}
