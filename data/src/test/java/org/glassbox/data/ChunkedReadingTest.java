package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunked reads give the same rows as a whole read, in every format, with NaN rows dropped and
 * maxEvents applied. The same 50 events are written as CSV, NPY, NPZ and HDF5; every 7th event has
 * a NaN in feature 1.
 */
class ChunkedReadingTest {
  private static final int EVENTS = 50;
  private static final int FEATURES = 3;

  @TempDir Path dir;

  private static float value(int i, int j) {
    return j == 1 && i % 7 == 3 ? Float.NaN : i * 0.25f - j;
  }

  private static int label(int i) {
    return (i * 7919) % 3 == 0 ? 1 : 0;
  }

  private static double weight(int i) {
    return 1 + i / 8.0;
  }

  private static float[] x() {
    float[] x = new float[EVENTS * FEATURES];
    for (int i = 0; i < EVENTS; i++) for (int j = 0; j < FEATURES; j++) x[i * FEATURES + j] = value(i, j);
    return x;
  }

  private List<DataSpec> specs() throws Exception {
    List<DataSpec> specs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add("a,b,c,label,weight");
    for (int i = 0; i < EVENTS; i++) {
      lines.add(value(i, 0) + "," + value(i, 1) + "," + value(i, 2) + "," + label(i) + "," + weight(i));
    }
    specs.add(new DataSpec(TestFiles.csv(dir, "e.csv", lines.toArray(String[]::new)), List.of("a", "b", "c"),
        "label", "weight", 0, NanPolicy.DROP, null));

    long[] y = new long[EVENTS];
    double[] w = new double[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      y[i] = label(i);
      w[i] = weight(i);
    }
    Path npy = TestFiles.write(dir, "e.npy", TestFiles.npy(x(), EVENTS, FEATURES));
    TestFiles.write(dir, "e_y.npy", TestFiles.npy(y, EVENTS));
    TestFiles.write(dir, "e_w.npy", TestFiles.npy(w, EVENTS));
    specs.add(new DataSpec(npy, List.of("a", "b", "c"), "e_y", "e_w", 0, NanPolicy.DROP, null));

    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("x", TestFiles.npy(x(), EVENTS, FEATURES));
    arrays.put("y", TestFiles.npy(y, EVENTS));
    arrays.put("w", TestFiles.npy(w, EVENTS));
    specs.add(new DataSpec(TestFiles.npz(dir, "e.npz", true, arrays), List.of("a", "b", "c"), "y", "w", 0,
        NanPolicy.DROP, null));

    Path h5 = dir.resolve("e.h5");
    float[][] x2 = new float[EVENTS][FEATURES];
    int[] yi = new int[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      for (int j = 0; j < FEATURES; j++) x2[i][j] = value(i, j);
      yi[i] = label(i);
    }
    try (WritableHdfFile h = HdfFile.write(h5)) {
      h.putDataset("x", x2);
      h.putDataset("y", yi);
      h.putDataset("w", w);
    }
    specs.add(new DataSpec(h5, List.of("a", "b", "c"), "y", "w", 0, NanPolicy.DROP, "x"));
    return specs;
  }

  /** The expected whole read, from the generating functions. */
  private static void assertExpected(EventTable t, long maxEvents) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < EVENTS && (maxEvents == 0 || kept.size() < maxEvents); i++) {
      if (i % 7 != 3) kept.add(i);
    }
    assertEquals(kept.size(), t.events(), t.source());
    for (int k = 0; k < kept.size(); k++) {
      int i = kept.get(k);
      for (int j = 0; j < FEATURES; j++) assertEquals(value(i, j), t.features().data()[k * FEATURES + j], t.source());
      assertEquals(label(i), t.labels()[k]);
      assertEquals(weight(i), t.weights()[k], 1e-12);
    }
    int last = kept.get(kept.size() - 1);
    assertEquals(last + 1, t.totalRows(), t.source());
    assertEquals(last + 1 - kept.size(), t.droppedRows(), t.source());
  }

  private static EventTable concat(List<EventTable> parts) {
    FloatTensor x = FloatTensor.concat(parts.stream().map(EventTable::features).toList());
    int[] labels = parts.stream().flatMapToInt(p -> java.util.Arrays.stream(p.labels())).toArray();
    double[] weights = parts.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.weights())).toArray();
    EventTable first = parts.get(0);
    return new EventTable(first.source(), first.sha256(), first.featureNames(), x, labels, weights,
        parts.stream().mapToLong(EventTable::droppedRows).sum(), parts.stream().mapToLong(EventTable::totalRows).sum());
  }

  @Test
  void chunksConcatenateToTheWholeReadInEveryFormat() throws Exception {
    for (DataSpec spec : specs()) {
      for (long max : new long[] {0, 20}) {
        DataSpec s = spec.withMaxEvents(max);
        EventTable whole = DataReaders.read(s);
        assertExpected(whole, max);
        for (int size : new int[] {1, 6, 1000}) {
          List<EventTable> chunks;
          try (Stream<EventTable> c = DataReaders.chunks(s, size)) {
            chunks = c.collect(Collectors.toList());
          }
          for (int k = 0; k < chunks.size(); k++) {
            int expected = k < chunks.size() - 1 ? size : whole.events() - size * (chunks.size() - 1);
            assertEquals(expected, chunks.get(k).events(), s.file() + " chunk " + k + " of " + size);
          }
          assertEquals(whole, concat(chunks), s.file() + " in chunks of " + size + ", maxEvents " + max);
        }
      }
    }
  }

  @Test
  void errorsSurfaceInTheChunkThatHoldsTheBadRow() throws Exception {
    for (DataSpec spec : specs()) {
      DataSpec strict = spec.withNan(NanPolicy.ERROR);
      try (Stream<EventTable> c = DataReaders.chunks(strict, 3)) {
        var it = c.iterator();
        EventTable first = it.next(); // events 0-2 are clean
        assertEquals(3, first.events());
        String m = assertThrows(GlassboxException.class, it::next).getMessage();
        assertTrue(m.contains("'b'") && m.contains(spec.file().toString()), m);
        assertTrue(m.contains(spec.file().toString().endsWith(".csv") ? "line 5" : "event 3"), m);
      }
    }
  }

  @Test
  void columnProblemsAreReportedWhenTheStreamIsCreated() throws Exception {
    DataSpec csv = specs().get(0);
    String m = assertThrows(GlassboxException.class, () -> DataReaders.chunks(csv.withFeatures(List.of("d")), 10))
        .getMessage();
    assertTrue(m.contains("'d'"), m);
  }
}
