package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

/**
 * Files written by h5py (libhdf5: chunked, gzip-compressed datasets, bool enums) and by
 * numpy.savez_compressed, with src/test/resources/fixtures/make_fixtures.py. Expected values
 * repeat that script's formulas.
 */
class DataFixturesTest {
  private static final Path H5 = Path.of("src/test/resources/fixtures/h5py_events.h5");
  private static final Path NPZ = Path.of("src/test/resources/fixtures/numpy_events.npz");
  private static final int N = 20;

  private static float[] x() {
    float[] x = new float[N * 3];
    for (int i = 0; i < N; i++) for (int j = 0; j < 3; j++) x[i * 3 + j] = i + j / 4f;
    return x;
  }

  private static int[] y() {
    int[] y = new int[N];
    for (int i = 0; i < N; i++) y[i] = i % 2;
    return y;
  }

  private static double[] w() {
    double[] w = new double[N];
    for (int i = 0; i < N; i++) w[i] = 0.5 + i / 16.0;
    return w;
  }

  @Test
  void chunkedCompressedHdf5FromH5py() {
    for (String labels : List.of("labels", "bool_labels")) {
      EventTable t = DataReaders.read(new DataSpec(H5, List.of("pt", "eta", "phi"), labels, "weights", 0,
          NanPolicy.ERROR, "/events/x"));
      assertArrayEquals(new long[] {N, 3}, t.features().shape());
      assertArrayEquals(x(), t.features().data());
      assertArrayEquals(y(), t.labels(), labels);
      assertArrayEquals(w(), t.weights());
    }
  }

  @Test
  void hdf5ImagesAndOneDimensionalColumns() {
    EventTable img = DataReaders.read(DataSpec.of(H5).withDataset("events/image"));
    assertArrayEquals(new long[] {N, 1, 2, 2}, img.features().shape());
    for (int i = 0; i < N; i++) {
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) assertEquals(i * 10 + r * 2 + c, img.features().data()[i * 4 + r * 2 + c]);
      }
    }
    EventTable cols = DataReaders.read(DataSpec.of(H5).withFeatures(List.of("jets/pt", "jets/eta")));
    for (int i = 0; i < N; i++) {
      assertEquals(i * 100f, cols.features().data()[i * 2]);
      assertEquals(i + 0.5f, cols.features().data()[i * 2 + 1]);
    }
  }

  @Test
  void hdf5NanAndChunks() {
    DataSpec spec = DataSpec.of(H5).withDataset("events/with_nan").withLabel("bool_labels");
    String m = assertThrows(GlassboxException.class, () -> DataReaders.read(spec)).getMessage();
    assertTrue(m.contains("event 5") && m.contains("'f1'"), m);
    EventTable whole = DataReaders.read(spec.withNan(NanPolicy.DROP));
    assertEquals(N - 1, whole.events());
    assertEquals(1, whole.droppedRows());
    List<EventTable> chunks;
    try (Stream<EventTable> s = DataReaders.chunks(spec.withNan(NanPolicy.DROP), 7)) {
      chunks = s.collect(Collectors.toList());
    }
    assertEquals(List.of(7, 7, 5), chunks.stream().map(EventTable::events).toList());
    float[] joined = new float[(N - 1) * 3];
    int at = 0;
    for (EventTable c : chunks) {
      System.arraycopy(c.features().data(), 0, joined, at, c.features().data().length);
      at += c.features().data().length;
    }
    assertArrayEquals(whole.features().data(), joined);
  }

  @Test
  void npzFromNumpySavezCompressedWithBooleanLabels() {
    EventTable t = DataReaders.read(DataSpec.of(NPZ).withLabel("y").withWeight("w"));
    assertArrayEquals(new long[] {N, 3}, t.features().shape());
    assertArrayEquals(x(), t.features().data());
    assertArrayEquals(y(), t.labels());
    assertArrayEquals(w(), t.weights());
  }

  @Test
  void arraysListsNpzKeysAndHdf5DatasetPaths() {
    assertEquals(List.of("x", "y", "w"), DataReaders.arrays(NPZ));
    List<String> h5 = DataReaders.arrays(H5);
    assertTrue(h5.containsAll(List.of("events/x", "events/image", "events/with_nan", "labels", "bool_labels", "weights",
        "jets/pt", "jets/eta")), h5.toString());
    String m = assertThrows(GlassboxException.class, () -> DataReaders.arrays(Path.of("src/test/resources/mlp_relu.x.npy")))
        .getMessage();
    assertTrue(m.contains("mlp_relu.x.npy") && m.contains("no named arrays"), m);
  }
}
