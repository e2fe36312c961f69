package org.glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private static DataSpec spec(Path file, List<String> features, String label, String weight) {
    return new DataSpec(file, features, label, weight, 0, NanPolicy.ERROR, null);
  }

  private static String message(Runnable r) {
    return assertThrows(GlassboxException.class, r::run).getMessage();
  }

  @Test
  void readsNamedFeaturesInTheGivenOrderWithLabelsAndWeights() throws Exception {
    Path f = TestFiles.csv(dir, "events.csv",
        "pt,eta,label,w",
        "10.5,-1.25,1,0.5",
        "20,0.5,0,2",
        "\"30\",  2.0 ,1,1e-1");
    EventTable t = DataReaders.read(spec(f, List.of("eta", "pt"), "label", "w"));
    assertEquals(List.of("eta", "pt"), t.featureNames());
    assertArrayEquals(new long[] {3, 2}, t.features().shape());
    assertArrayEquals(new float[] {-1.25f, 10.5f, 0.5f, 20f, 2f, 30f}, t.features().data());
    assertArrayEquals(new int[] {1, 0, 1}, t.labels());
    assertArrayEquals(new double[] {0.5, 2, 0.1}, t.weights());
    assertEquals(0, t.droppedRows());
    assertEquals(3, t.totalRows());
    assertEquals(f.toString(), t.source());
    assertEquals(TestFiles.sha256(f), t.sha256());
  }

  @Test
  void withoutFeaturesTakesEveryNumericColumnButLabelWeightAndUnnamedIndex() throws Exception {
    // As pandas' to_csv writes it: an unnamed index column first, and a text column.
    Path f = TestFiles.csv(dir, "pandas.csv",
        ",pt,name,eta,y,w",
        "0,1.5,jet,,1,1",
        "1,2.5,lepton,0.25,0,1");
    EventTable t = DataReaders.read(new DataSpec(f, List.of(), "y", "w", 0, NanPolicy.DROP, null));
    assertEquals(List.of("pt", "eta"), t.featureNames());
    // The empty eta cell is NaN, so with nan: drop the first row goes.
    assertArrayEquals(new float[] {2.5f, 0.25f}, t.features().data());
    assertArrayEquals(new int[] {0}, t.labels());
    assertEquals(1, t.droppedRows());
    assertEquals(2, t.totalRows());
  }

  @Test
  void labelsMayBeZeroOneTrueFalseOrSB() throws Exception {
    Path f = TestFiles.csv(dir, "labels.csv",
        "x,label",
        "1,0", "2,1", "3,1.0", "4,true", "5,FALSE", "6,s", "7,B", "8,True");
    EventTable t = DataReaders.read(spec(f, List.of("x"), "label", null));
    assertArrayEquals(new int[] {0, 1, 1, 1, 0, 1, 0, 1}, t.labels());
    assertNull(t.weights());
  }

  @Test
  void aLabelThatIsNotZeroOrOneNamesTheLine() throws Exception {
    Path f = TestFiles.csv(dir, "bad.csv", "x,label", "1,0", "2,1", "3,2");
    String m = message(() -> DataReaders.read(spec(f, List.of("x"), "label", null)));
    assertTrue(m.contains(f.toString()) && m.contains("line 4") && m.contains("label") && m.contains("not 0 or 1"), m);

    Path g = TestFiles.csv(dir, "words.csv", "x,label", "1,signal?");
    String n = message(() -> DataReaders.read(spec(g, List.of("x"), "label", null)));
    assertTrue(n.contains("line 2") && n.contains("signal?") && n.contains("true/false") && n.contains("s/b"), n);
  }

  @Test
  void aMissingColumnNamesFileColumnAvailableColumnsAndNearestMatch() throws Exception {
    Path f = TestFiles.csv(dir, "cols.csv", "jet_pt,jet_eta,is_signal", "1,2,1");
    String m = message(() -> DataReaders.read(spec(f, List.of("jet_pt", "jet_etta"), "is_signal", null)));
    assertTrue(m.contains(f.toString()), m);
    assertTrue(m.contains("'jet_etta'"), m);
    assertTrue(m.contains("'jet_pt', 'jet_eta', 'is_signal'"), m);
    assertTrue(m.contains("Did you mean 'jet_eta'?"), m);

    String l = message(() -> DataReaders.read(spec(f, List.of(), "signal", null)));
    assertTrue(l.contains("label column 'signal'") && l.contains("Did you mean 'is_signal'?"), l);
    String w = message(() -> DataReaders.read(spec(f, List.of(), null, "weight")));
    assertTrue(w.contains("weight column 'weight'") && w.contains("'jet_pt'"), w);
  }

  @Test
  void nanOrInfinityWithErrorNamesFileLineColumnAndTheDropOption() throws Exception {
    String[][] cases = {{"nan", "NaN"}, {"", "NaN"}, {"inf", "+Inf"}, {"-Infinity", "-Inf"}};
    for (String[] c : cases) {
      Path f = TestFiles.csv(dir, "nan.csv", "pt,eta", "1,2", "3,4", "5," + c[0]);
      String m = message(() -> DataReaders.read(spec(f, List.of(), null, null)));
      assertTrue(m.contains(f.toString()) && m.contains("line 4") && m.contains("'eta'") && m.contains(c[1]), m);
      assertTrue(m.contains("nan: drop"), m);
    }
  }

  @Test
  void nanWithDropRemovesAndCountsRows() throws Exception {
    Path f = TestFiles.csv(dir, "drop.csv", "a,b,y", "1,2,1", "nan,3,0", "4,inf,1", "5,6,0");
    EventTable t = DataReaders.read(new DataSpec(f, List.of("a", "b"), "y", null, 0, NanPolicy.DROP, null));
    assertArrayEquals(new float[] {1, 2, 5, 6}, t.features().data());
    assertArrayEquals(new int[] {1, 0}, t.labels());
    assertEquals(2, t.droppedRows());
    assertEquals(4, t.totalRows());
  }

  @Test
  void nanInLabelOrWeightIsAnErrorEvenWhenDropping() throws Exception {
    Path f = TestFiles.csv(dir, "lw.csv", "a,y,w", "1,1,1", "2,,1");
    String m = message(() -> DataReaders.read(new DataSpec(f, List.of("a"), "y", "w", 0, NanPolicy.DROP, null)));
    assertTrue(m.contains("line 3") && m.contains("label column 'y'") && m.contains("NaN"), m);
    Path g = TestFiles.csv(dir, "w.csv", "a,y,w", "1,1,1", "2,0,nan");
    String n = message(() -> DataReaders.read(new DataSpec(g, List.of("a"), "y", "w", 0, NanPolicy.DROP, null)));
    assertTrue(n.contains("line 3") && n.contains("weight column 'w'") && n.contains("NaN"), n);
  }

  @Test
  void maxEventsTakesTheFirstEventsAfterDropping() throws Exception {
    Path f = TestFiles.csv(dir, "max.csv", "a", "1", "nan", "2", "3", "4");
    EventTable t = DataReaders.read(new DataSpec(f, List.of(), null, null, 3, NanPolicy.DROP, null));
    assertArrayEquals(new float[] {1, 2, 3}, t.features().data());
    assertEquals(1, t.droppedRows());
    assertEquals(4, t.totalRows());
  }

  @Test
  void aHeaderRowIsRequired() throws Exception {
    Path f = TestFiles.csv(dir, "noheader.csv", "1,2,3", "4,5,6");
    String m = message(() -> DataReaders.read(spec(f, List.of(), null, null)));
    assertTrue(m.contains(f.toString()) && m.contains("header"), m);
    Path e = TestFiles.csv(dir, "empty.csv");
    Files.writeString(e, "");
    assertTrue(message(() -> DataReaders.read(spec(e, List.of(), null, null))).contains("header"));
  }

  @Test
  void textInAFeatureColumnAndRaggedRowsNameTheLine() throws Exception {
    Path f = TestFiles.csv(dir, "text.csv", "a,b", "1,2", "3,x");
    String m = message(() -> DataReaders.read(spec(f, List.of("a", "b"), null, null)));
    assertTrue(m.contains("line 3") && m.contains("'b'") && m.contains("'x'"), m);
    Path g = TestFiles.csv(dir, "ragged.csv", "a,b", "1,2", "3");
    String n = message(() -> DataReaders.read(spec(g, List.of("a"), null, null)));
    assertTrue(n.contains("line 3") && n.contains("1 fields") && n.contains("header has 2"), n);
  }

  @Test
  void quotedNewlinesByteOrderMarkAndGzip() throws Exception {
    // A quoted cell spanning two lines: the bad value after it is on line 5 of the file.
    Path f = dir.resolve("bom.csv");
    Files.writeString(f, "\uFEFFpt,note\n1,\"two\nlines\"\n2,ok\nnan,x\n", StandardCharsets.UTF_8);
    String m = message(() -> DataReaders.read(spec(f, List.of("pt"), null, null)));
    assertTrue(m.contains("line 5") && m.contains("'pt'"), m);

    Path g = dir.resolve("events.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(g))) {
      out.write("pt,y\n1,1\n2,0\n".getBytes(StandardCharsets.UTF_8));
    }
    EventTable t = DataReaders.read(spec(g, List.of(), "y", null));
    assertArrayEquals(new float[] {1, 2}, t.features().data());
    assertArrayEquals(new int[] {1, 0}, t.labels());
  }

  @Test
  void theLabelCannotAlsoBeAFeature() throws Exception {
    Path f = TestFiles.csv(dir, "leak.csv", "a,y", "1,1");
    String m = message(() -> DataReaders.read(spec(f, List.of("a", "y"), "y", null)));
    assertTrue(m.contains("'y'") && m.contains("label"), m);
  }

  @Test
  void aHeaderWithoutRowsGivesNoEvents() throws Exception {
    Path f = TestFiles.csv(dir, "none.csv", "a,b,y");
    EventTable t = DataReaders.read(spec(f, List.of("a", "b"), "y", null));
    assertArrayEquals(new long[] {0, 2}, t.features().shape());
    assertEquals(0, t.labels().length);
    assertEquals(0, t.totalRows());
  }

  @Test
  void otherSeparatorsAreNamed() throws Exception {
    Path f = TestFiles.csv(dir, "semi.csv", "a;b", "1;2");
    String m = message(() -> DataReaders.read(spec(f, List.of(), null, null)));
    assertTrue(m.contains("';'") && m.contains("comma-separated"), m);
  }
}
