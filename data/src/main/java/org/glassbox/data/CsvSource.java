package org.glassbox.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.glassbox.api.GlassboxException;

/**
 * Comma-separated values with a header row, streamed record by record (RFC 4180 quoting, via
 * Apache Commons CSV). A {@code .csv.gz} file is decompressed on the fly.
 *
 * <ul>
 *   <li>Numbers: anything {@link Double#parseDouble} reads, plus {@code nan}, {@code inf},
 *       {@code -inf}, {@code infinity} in any case (as numpy and pandas write them). An empty
 *       cell is NaN, so the NaN policy decides what happens to it.
 *   <li>Labels: {@code 0}/{@code 1} (also {@code 0.0}/{@code 1.0}), {@code true}/{@code false}, or
 *       {@code s}/{@code b} (signal/background), in any case; 1, true and s mean signal.
 *   <li>Features left out of the spec: every column whose values in the first
 *       {@value #LOOKAHEAD} rows are numbers (or empty), except the label, the weight and columns
 *       with a blank name (pandas' unnamed index).
 * </ul>
 */
final class CsvSource implements RowSource {
  /** Rows inspected to decide which columns are numeric when the spec lists no features. */
  static final int LOOKAHEAD = 100;

  private final String where;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  /** Records read ahead to choose the columns, with their line numbers; served before the rest. */
  private final Deque<Line> pending = new ArrayDeque<>();
  private final List<String> header;
  private final int[] featureCols;
  private final List<String> featureNames;
  private final int labelCol;
  private final int weightCol;

  private record Line(CSVRecord record, long number) {}

  CsvSource(Path file, DataSpec spec) {
    this.where = file.toString();
    BufferedReader reader = open(file);
    try {
      parser = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).build().parse(reader);
      records = parser.iterator();
      Line first = nextLine();
      if (first == null) {
        throw new GlassboxException(where + " is empty; a CSV file needs a header row naming the columns.");
      }
      header = first.record().toList().stream().map(String::strip).toList();
      if (header.stream().allMatch(CsvSource::isNumber)) {
        throw new GlassboxException(where + ": line 1 (" + String.join(",", header) + ") looks like data, not a header."
            + " The first line must name the columns, e.g. pt,eta,phi,label.");
      }
      if (header.size() == 1 && (header.get(0).contains(";") || header.get(0).contains("\t"))) {
        throw new GlassboxException(where + ": the header '" + header.get(0) + "' is one column; the file seems to use '"
            + (header.get(0).contains(";") ? ";" : "\\t") + "' between values. Glassbox reads comma-separated files.");
      }
      labelCol = spec.label() == null ? -1 : column(spec.label(), "label column");
      weightCol = spec.weight() == null ? -1 : column(spec.weight(), "weight column");
      List<Integer> cols = new ArrayList<>();
      if (spec.features().isEmpty()) {
        cols.addAll(numericColumns());
        if (cols.isEmpty()) {
          throw new GlassboxException(where + " has no numeric columns besides the label and the weight (columns: "
              + Names.list(header) + ").");
        }
      } else {
        for (String name : spec.features()) {
          int c = column(name, "column");
          if (cols.contains(c)) throw new GlassboxException("Feature '" + name + "' is listed twice for " + where + ".");
          if (c == labelCol) {
            throw new GlassboxException("Column '" + name + "' of " + where + " is the label; it cannot also be a feature.");
          }
          cols.add(c);
        }
      }
      featureCols = cols.stream().mapToInt(Integer::intValue).toArray();
      featureNames = cols.stream().map(header::get).toList();
      for (String name : featureNames) {
        if (header.indexOf(name) != header.lastIndexOf(name)) {
          throw new GlassboxException(where + " has two columns named '" + name + "'; rename one.");
        }
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader);
      if (e instanceof GlassboxException g) throw g;
      throw new GlassboxException("Cannot read " + where + ": " + e.getMessage(), e);
    }
  }

  private static BufferedReader open(Path file) {
    try {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      // Spreadsheet programs start UTF-8 files with a byte-order mark; it is not part of the first name.
      r.mark(1);
      if (r.read() != '\uFEFF') r.reset();
      return r;
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Already failing with a better message.
    }
  }

  /** The next record and the line it ends on, or null at the end. */
  private Line nextLine() {
    try {
      if (!records.hasNext()) return null;
      CSVRecord r = records.next();
      // The parser has consumed exactly this record, so its line counter is the record's (last) line.
      return new Line(r, parser.getCurrentLineNumber());
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new GlassboxException(where + ", near line " + (parser.getCurrentLineNumber() + 1) + ": malformed CSV ("
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ").", e);
    }
  }

  private int column(String name, String what) {
    int c = header.indexOf(name);
    if (c < 0) {
      throw new GlassboxException(Names.missing(where, what, name,
          header.stream().filter(h -> !h.isBlank()).toList()));
    }
    return c;
  }

  private List<Integer> numericColumns() {
    for (int i = 0; i < LOOKAHEAD; i++) {
      Line l = nextLine();
      if (l == null) break;
      pending.add(l);
    }
    List<Integer> cols = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      if (c == labelCol || c == weightCol || header.get(c).isBlank()) continue;
      final int col = c;
      if (pending.stream().allMatch(l -> col >= l.record().size() || isNumber(l.record().get(col)) || l.record().get(col).isBlank())) {
        cols.add(c);
      }
    }
    return cols;
  }

  static boolean isNumber(String s) {
    try {
      parseNumber(s);
      return !s.isBlank();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A CSV cell as a number; empty is NaN. */
  static double parseNumber(String text) {
    String t = text.strip();
    if (t.isEmpty()) return Double.NaN;
    switch (t.toLowerCase(Locale.ROOT)) {
      case "nan": case "+nan": case "-nan": return Double.NaN;
      case "inf": case "+inf": case "infinity": case "+infinity": return Double.POSITIVE_INFINITY;
      case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
      default: return Double.parseDouble(t);
    }
  }

  @Override
  public String where() {
    return where;
  }

  @Override
  public List<String> featureNames() {
    return featureNames;
  }

  @Override
  public long[] eventShape() {
    return new long[] {featureCols.length};
  }

  @Override
  public long knownRows() {
    return -1;
  }

  @Override
  public String labelName() {
    return labelCol < 0 ? null : "label column '" + header.get(labelCol) + "'";
  }

  @Override
  public String weightName() {
    return weightCol < 0 ? null : "weight column '" + header.get(weightCol) + "'";
  }

  @Override
  public String rowName(long id) {
    return "line " + id;
  }

  @Override
  public String featureName(int j) {
    return "column '" + featureNames.get(j) + "'";
  }

  @Override
  public String nanNote() {
    return " (empty cells count as NaN)";
  }

  @Override
  public int read(RowBlock into, int max) {
    int f = featureCols.length;
    int n = 0;
    while (n < max) {
      Line l = pending.isEmpty() ? nextLine() : pending.poll();
      if (l == null) break;
      CSVRecord r = l.record();
      if (r.size() != header.size()) {
        throw new GlassboxException(where + ", line " + l.number() + ": " + r.size() + " fields, but the header has "
            + header.size() + " (" + Names.list(header) + ").");
      }
      for (int j = 0; j < f; j++) {
        String cell = r.get(featureCols[j]);
        try {
          into.x[n * f + j] = (float) parseNumber(cell);
        } catch (NumberFormatException e) {
          throw new GlassboxException(where + ", line " + l.number() + ": column '" + featureNames.get(j) + "' holds '"
              + cell + "', which is not a number." + (f > 1 ? " List only numeric columns under features." : ""));
        }
      }
      if (into.label != null) into.label[n] = parseLabel(r.get(labelCol), l.number());
      if (into.weight != null) {
        String cell = r.get(weightCol);
        try {
          into.weight[n] = parseNumber(cell);
        } catch (NumberFormatException e) {
          throw new GlassboxException(where + ", line " + l.number() + ": weight column '" + header.get(weightCol)
              + "' holds '" + cell + "', which is not a number.");
        }
      }
      into.ids[n] = l.number();
      n++;
    }
    return n;
  }

  /** 1, true, s = signal; 0, false, b = background; anything numeric is passed on for the 0/1 check. */
  private double parseLabel(String cell, long line) {
    switch (cell.strip().toLowerCase(Locale.ROOT)) {
      case "1": case "true": case "s": return 1;
      case "0": case "false": case "b": return 0;
      default:
        try {
          return parseNumber(cell);
        } catch (NumberFormatException e) {
          throw new GlassboxException(where + ", line " + line + ": label column '" + header.get(labelCol) + "' holds '"
              + cell + "'; labels are 0/1, true/false or s/b (1, true and s mean signal).");
        }
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new GlassboxException("Cannot close " + where + ": " + e.getMessage(), e);
    }
  }
}
