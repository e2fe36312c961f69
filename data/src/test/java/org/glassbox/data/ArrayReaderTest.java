package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and .npz files, written here with {@link Npy#write} and java.util.zip as numpy.savez lays them out. */
class ArrayReaderTest {
  @TempDir Path dir;

  /** Event i, feature j of the test arrays: distinct, exactly representable in float32. */
  private static float value(int i, int j) {
    return i * 10 + j + 0.5f;
  }

  private static float[] table(int events, int features) {
    float[] x = new float[events * features];
    for (int i = 0; i < events; i++) for (int j = 0; j < features; j++) x[i * features + j] = value(i, j);
    return x;
  }

  private static String message(Runnable r) {
    return assertThrows(GlassboxException.class, r::run).getMessage();
  }

  private static DataSpec spec(Path file, List<String> features, String label, String weight, String dataset) {
    return new DataSpec(file, features, label, weight, 0, NanPolicy.ERROR, dataset);
  }

  @Test
  void npyWithSiblingLabelAndWeightFiles() throws Exception {
    Path x = TestFiles.write(dir, "x.npy", TestFiles.npy(table(4, 3), 4, 3));
    TestFiles.write(dir, "y.npy", TestFiles.npy(new long[] {1, 0, 0, 1}, 4));
    TestFiles.write(dir, "w.npy", TestFiles.npy(new double[] {0.5, 1, 1.5, 2}, 4, 1));
    EventTable t = DataReaders.read(spec(x, List.of(), "y.npy", "w", null));
    assertEquals(List.of("f0", "f1", "f2"), t.featureNames());
    assertArrayEquals(new long[] {4, 3}, t.features().shape());
    assertArrayEquals(table(4, 3), t.features().data());
    assertArrayEquals(new int[] {1, 0, 0, 1}, t.labels());
    assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, t.weights());
    assertEquals(TestFiles.sha256(x), t.sha256());

    EventTable named = DataReaders.read(spec(x, List.of("pt", "eta", "phi"), null, null, null));
    assertEquals(List.of("pt", "eta", "phi"), named.featureNames());
    assertNull(named.labels());

    String m = message(() -> DataReaders.read(spec(x, List.of("pt", "eta"), null, null, null)));
    assertTrue(m.contains("3 values per event") && m.contains("2 feature names"), m);
    String missing = message(() -> DataReaders.read(spec(x, List.of(), "labels.npy", null, null)));
    assertTrue(missing.contains("labels.npy") && missing.contains("'y.npy'"), missing);
  }

  @Test
  void labelOrWeightOfTheWrongLengthNamesBothLengths() throws Exception {
    Path x = TestFiles.write(dir, "x.npy", TestFiles.npy(table(5, 2), 5, 2));
    TestFiles.write(dir, "y.npy", TestFiles.npy(new long[] {1, 0, 1, 0}, 4));
    String m = message(() -> DataReaders.read(spec(x, List.of(), "y", null, null)));
    assertTrue(m.contains("4 entries") && m.contains("5 events") && m.contains("y.npy"), m);

    TestFiles.write(dir, "w.npy", TestFiles.npy(new double[10], 5, 2));
    String w = message(() -> DataReaders.read(spec(x, List.of(), null, "w", null)));
    assertTrue(w.contains("[5, 2]") && w.contains("weight"), w);
  }

  @Test
  void aLabelThatIsNotZeroOrOneNamesTheEvent() throws Exception {
    Path x = TestFiles.write(dir, "x.npy", TestFiles.npy(table(3, 2), 3, 2));
    TestFiles.write(dir, "y.npy", TestFiles.npy(new double[] {0, 1, 0.5}, 3));
    String m = message(() -> DataReaders.read(spec(x, List.of(), "y", null, null)));
    assertTrue(m.contains("event 2") && m.contains("0.5") && m.contains("not 0 or 1"), m);
  }

  @Test
  void imagesKeepTheirShapeAndNanNamesEventAndPixel() throws Exception {
    // 3 events of 1 x 2 x 4 "images".
    float[] px = table(3, 8);
    Path x = TestFiles.write(dir, "img.npy", TestFiles.npy(px, 3, 1, 2, 4));
    EventTable t = DataReaders.read(DataSpec.of(x));
    assertArrayEquals(new long[] {3, 1, 2, 4}, t.features().shape());
    assertEquals(8, t.featureNames().size());
    assertEquals("f7", t.featureNames().get(7));
    assertArrayEquals(px, t.features().data());

    px[1 * 8 + 6] = Float.NaN; // event 1, pixel [0, 1, 2]
    TestFiles.write(dir, "img.npy", TestFiles.npy(px, 3, 1, 2, 4));
    String m = message(() -> DataReaders.read(DataSpec.of(x)));
    assertTrue(m.contains(x.toString()) && m.contains("event 1") && m.contains("'f6'") && m.contains("[0, 1, 2]")
        && m.contains("NaN") && m.contains("nan: drop"), m);

    EventTable dropped = DataReaders.read(DataSpec.of(x).withNan(NanPolicy.DROP));
    assertArrayEquals(new long[] {2, 1, 2, 4}, dropped.features().shape());
    assertEquals(value(2, 0), dropped.features().data()[8]);
    assertEquals(1, dropped.droppedRows());
    assertEquals(3, dropped.totalRows());
  }

  @Test
  void infinityInAnArrayWithDropAndMaxEvents() throws Exception {
    float[] x = table(6, 2);
    x[1 * 2 + 1] = Float.POSITIVE_INFINITY;
    x[3 * 2] = Float.NEGATIVE_INFINITY;
    Path f = TestFiles.write(dir, "inf.npy", TestFiles.npy(x, 6, 2));
    String m = message(() -> DataReaders.read(DataSpec.of(f)));
    assertTrue(m.contains("event 1") && m.contains("'f1'") && m.contains("+Inf"), m);
    EventTable t = DataReaders.read(DataSpec.of(f).withNan(NanPolicy.DROP).withMaxEvents(3));
    // Kept events 0, 2, 4; events 1 and 3 dropped on the way.
    assertArrayEquals(new float[] {value(0, 0), value(0, 1), value(2, 0), value(2, 1), value(4, 0), value(4, 1)},
        t.features().data());
    assertEquals(2, t.droppedRows());
    assertEquals(5, t.totalRows());
  }

  private Map<String, byte[]> savez() throws Exception {
    Map<String, byte[]> a = new LinkedHashMap<>();
    a.put("x", TestFiles.npy(table(4, 2), 4, 2));
    a.put("is_signal", TestFiles.npy(new long[] {0, 1, 1, 0}, 4));
    a.put("weight", TestFiles.npy(new float[] {1, 2, 3, 4}, 4));
    a.put("pt", TestFiles.npy(new double[] {10, 20, 30, 40}, 4));
    a.put("eta", TestFiles.npy(new float[] {-1, 0, 1, 2}, 4));
    return a;
  }

  @Test
  void npzStoredOrCompressedWithTheDefaultArrayX() throws Exception {
    for (boolean compressed : new boolean[] {false, true}) {
      Path f = TestFiles.npz(dir, "events" + compressed + ".npz", compressed, savez());
      EventTable t = DataReaders.read(spec(f, List.of("a", "b"), "is_signal", "weight", null));
      assertEquals(List.of("a", "b"), t.featureNames());
      assertArrayEquals(table(4, 2), t.features().data());
      assertArrayEquals(new int[] {0, 1, 1, 0}, t.labels());
      assertArrayEquals(new double[] {1, 2, 3, 4}, t.weights());
      assertEquals(TestFiles.sha256(f), t.sha256());
    }
  }

  @Test
  void npzColumnsFromOneDimensionalArraysOrANamedDataset() throws Exception {
    Path f = TestFiles.npz(dir, "cols.npz", true, savez());
    EventTable t = DataReaders.read(spec(f, List.of("eta", "pt"), "is_signal", null, null));
    assertEquals(List.of("eta", "pt"), t.featureNames());
    assertArrayEquals(new float[] {-1, 10, 0, 20, 1, 30, 2, 40}, t.features().data());

    EventTable pt = DataReaders.read(spec(f, List.of(), null, null, "pt"));
    assertArrayEquals(new long[] {4, 1}, pt.features().shape());
    assertArrayEquals(new float[] {10, 20, 30, 40}, pt.features().data());
  }

  @Test
  void npzMissingKeysSuggestTheNearest() throws Exception {
    Path f = TestFiles.npz(dir, "keys.npz", false, savez());
    String m = message(() -> DataReaders.read(spec(f, List.of(), "is_sgnal", null, null)));
    assertTrue(m.contains(f.toString()) && m.contains("'is_sgnal'") && m.contains("'weight'")
        && m.contains("Did you mean 'is_signal'?"), m);
    String d = message(() -> DataReaders.read(spec(f, List.of(), null, null, "X")));
    assertTrue(d.contains("Did you mean 'x'?"), d);

    Map<String, byte[]> noX = savez();
    noX.remove("x");
    Path g = TestFiles.npz(dir, "nox.npz", false, noX);
    String n = message(() -> DataReaders.read(DataSpec.of(g)));
    assertTrue(n.contains("no array 'x'") && n.contains("data.dataset") && n.contains("'pt'"), n);
  }

  @Test
  void npzArraysOfDifferentLengths() throws Exception {
    Map<String, byte[]> a = savez();
    a.put("eta", TestFiles.npy(new float[] {1, 2, 3}, 3));
    Path f = TestFiles.npz(dir, "len.npz", false, a);
    String m = message(() -> DataReaders.read(spec(f, List.of("pt", "eta"), null, null, null)));
    assertTrue(m.contains("3 entries") && m.contains("4 events"), m);
  }
}
