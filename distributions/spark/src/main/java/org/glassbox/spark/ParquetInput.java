package org.glassbox.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.glassbox.api.GlassboxException;
import org.glassbox.data.NanPolicy;

/**
 * A Parquet file, or a folder of part files, read by Spark: the columns named by
 * {@code data.features} (numeric columns, or one array column whose per-row arrays are the model
 * input), {@code data.label} and {@code data.weight}.
 *
 * <p>Executors turn the rows of their partitions into {@link EventBlock}s ({@link #blocks}); the
 * driver collects only the first rows in file order (part files by path, rows by their index in the
 * file) and writes them as a CSV file that the engine reads as the run's first chunk ({@link #writeHead}).
 */
final class ParquetInput {
  /** Hidden columns: the part file of a row and its index in that file (Spark's Parquet metadata). */
  static final String FILE = "__glassbox_file";
  static final String ROW = "__glassbox_row";

  /**
   * What executors need to turn rows into events: column positions 0.. are the features (or the one
   * array), then the label and the weight if present, then the file and row index.
   */
  record Layout(String file, List<String> featureColumns, boolean array, List<String> featureNames, boolean label,
      boolean weight, NanPolicy nan) implements Serializable {
    private static final long serialVersionUID = 1L;

    Layout {
      featureColumns = new ArrayList<>(featureColumns);
      featureNames = new ArrayList<>(featureNames);
    }

    int width() {
      return featureNames.size();
    }

    /** Position of the part-file column in a row (the row index follows it). */
    int fileIndex() {
      return (array ? 1 : featureColumns.size()) + (label ? 1 : 0) + (weight ? 1 : 0);
    }
  }

  private final SparkSession spark;
  private final Path path;
  private final List<String> observables;
  private final String labelColumn;
  private final String weightColumn;
  private final Layout layout;

  private ParquetInput(SparkSession spark, Path path, List<String> observables, String label, String weight, Layout layout) {
    this.spark = spark;
    this.path = path;
    this.observables = List.copyOf(observables);
    this.labelColumn = label;
    this.weightColumn = weight;
    this.layout = layout;
  }

  static boolean isParquet(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
  }

  /**
   * Opens the data set and checks its columns: a missing column is an error naming the column and
   * the file. An array feature column takes its width from the first row.
   *
   * @param features the feature columns; empty for every numeric column but the label, weight and observables
   */
  static ParquetInput open(SparkSession spark, Path path, List<String> features, String label, String weight,
      List<String> observables, NanPolicy nan) {
    if (!Files.exists(path)) throw new GlassboxException("data file not found: " + path + ".");
    StructType schema;
    try {
      schema = spark.read().parquet(path.toString()).schema();
    } catch (RuntimeException e) {
      throw new GlassboxException("Cannot read " + path + " as Parquet: " + e.getMessage(), e);
    }
    List<String> cols = new ArrayList<>(features);
    if (cols.isEmpty()) {
      for (StructField f : schema.fields()) {
        if (f.dataType() instanceof NumericType && !f.name().equals(label) && !f.name().equals(weight)
            && !observables.contains(f.name())) cols.add(f.name());
      }
      if (cols.isEmpty()) throw new GlassboxException(path + " has no numeric columns to use as features.");
    }
    for (String c : cols) field(schema, path, c, "data.features");
    if (label != null) field(schema, path, label, "data.label");
    if (weight != null) field(schema, path, weight, "data.weight");
    for (String c : observables) field(schema, path, c, "data.observables");
    boolean array = false;
    List<String> names = new ArrayList<>(cols);
    DataType first = field(schema, path, cols.get(0), "data.features").dataType();
    if (first instanceof ArrayType at) {
      if (cols.size() != 1) {
        throw new GlassboxException(path + ": data.features names the array column '" + cols.get(0) + "'; an array column must"
            + " be the only feature (its per-row arrays are the model input).");
      }
      if (!(at.elementType() instanceof NumericType)) {
        throw new GlassboxException(path + ": the column '" + cols.get(0) + "' is an array of " + at.elementType().simpleString()
            + "; features must be numbers.");
      }
      array = true;
      Row r = spark.read().parquet(path.toString()).select(functions.col(cols.get(0))).first();
      List<Object> values = r.isNullAt(0) ? List.of() : r.getList(0);
      if (values.isEmpty()) throw new GlassboxException(path + ": the first row of the array column '" + cols.get(0) + "' is empty.");
      names.clear();
      for (int k = 0; k < values.size(); k++) names.add(cols.get(0) + "_" + k);
    } else {
      for (String c : cols) {
        DataType t = field(schema, path, c, "data.features").dataType();
        if (!(t instanceof NumericType)) {
          throw new GlassboxException(path + ": the column '" + c + "' is " + t.simpleString()
              + "; features must be numeric columns (or one array column).");
        }
      }
    }
    Layout layout = new Layout(path.toString(), cols, array, names, label != null, weight != null, nan);
    return new ParquetInput(spark, path, observables, label, weight, layout);
  }

  private static StructField field(StructType schema, Path path, String name, String key) {
    for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
    List<String> have = new ArrayList<>();
    for (StructField f : schema.fields()) have.add(f.name());
    throw new GlassboxException(key + ": the column '" + name + "' is not in " + path + "; it has: " + String.join(", ", have) + ".");
  }

  Path path() {
    return path;
  }

  Layout layout() {
    return layout;
  }

  /** The feature names the engine sees (an array column becomes {@code <column>_0, _1, ...}). */
  List<String> featureNames() {
    return layout.featureNames();
  }

  /** The rows, with the columns of {@link Layout} in order and the part file and row index last. */
  private Dataset<Row> frame(boolean withObservables) {
    List<Column> cols = new ArrayList<>();
    for (String c : layout.featureColumns()) cols.add(functions.col(c));
    if (labelColumn != null) cols.add(functions.col(labelColumn));
    if (weightColumn != null) cols.add(functions.col(weightColumn));
    cols.add(functions.col("_metadata.file_path").as(FILE));
    cols.add(functions.col("_metadata.row_index").as(ROW));
    if (withObservables) for (String c : observables) cols.add(functions.col(c));
    return spark.read().parquet(path.toString()).select(cols.toArray(Column[]::new));
  }

  /** The columns of {@code data.observables}, in order (in {@link #rows(int, boolean)}'s rows after the row index). */
  List<String> observables() {
    return observables;
  }

  /** The rows in Spark's partitions: as read, or coalesced / repartitioned to {@code partitions} (0: as read). */
  JavaRDD<Row> rows(int partitions) {
    return rows(partitions, false);
  }

  /** {@link #rows(int)}, with the observables' columns after the part file and row index when asked. */
  JavaRDD<Row> rows(int partitions, boolean withObservables) {
    Dataset<Row> df = frame(withObservables);
    int have = df.rdd().getNumPartitions();
    if (partitions > 0 && partitions < have) df = df.coalesce(partitions);
    else if (partitions > have) df = df.repartition(partitions);
    return df.javaRDD();
  }

  /**
   * Collects the first {@code events} rows in file order (part files by path, rows by index; Spark
   * keeps only the top rows of each partition) and writes them, with the observables, as a CSV file
   * the engine reads: features, then the label and the weight. NaN under {@code nan: error} fails
   * here with the part file and row.
   *
   * @return the rows written
   */
  int writeHead(int events, Path csv) {
    List<Row> rows = frame(true).orderBy(functions.col(FILE), functions.col(ROW)).limit(events).collectAsList();
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      List<String> header = new ArrayList<>(layout.featureNames());
      if (labelColumn != null) header.add(labelColumn);
      if (weightColumn != null) header.add(weightColumn);
      header.addAll(observables);
      w.write(String.join(",", header));
      w.newLine();
      float[] x = new float[layout.width()];
      StringBuilder line = new StringBuilder();
      for (Row r : rows) {
        String error = read(layout, r, x);
        if (error != null && layout.nan() == NanPolicy.ERROR) throw new GlassboxException(error);
        line.setLength(0);
        for (int j = 0; j < x.length; j++) line.append(j == 0 ? "" : ",").append(Float.toString(x[j]));
        int at = layout.array() ? 1 : layout.featureColumns().size();
        if (labelColumn != null) line.append(',').append(label(layout, r, at++));
        if (weightColumn != null) line.append(',').append(r.isNullAt(at) ? "nan" : Double.toString(((Number) r.get(at)).doubleValue()));
        int obs = layout.fileIndex() + 2;
        for (int k = 0; k < observables.size(); k++) {
          Object o = r.get(obs + k);
          line.append(',').append(o == null ? "nan" : o instanceof Boolean b ? (b ? "1" : "0") : o.toString());
        }
        w.write(line.toString());
        w.newLine();
      }
    } catch (IOException e) {
      throw new GlassboxException("Cannot write " + csv + ": " + e.getMessage(), e);
    }
    return rows.size();
  }

  /** Where a row comes from, for messages: the part file and the row's index in it (from 1). */
  static String where(Layout layout, Row r) {
    int file = layout.fileIndex();
    return layout.file() + " (" + Path.of(java.net.URI.create(r.getString(file)).getPath()).getFileName() + ", row "
        + (r.getLong(file + 1) + 1) + ")";
  }

  /**
   * Reads a row's features into {@code x}; returns an error message for a NaN, Inf or null feature
   * or weight, a label that is not 0 or 1, or an array of the wrong width; null when the row is good.
   */
  static String read(Layout layout, Row r, float[] x) {
    if (layout.array()) {
      if (r.isNullAt(0)) return where(layout, r) + ": the array column '" + layout.featureColumns().get(0) + "' is null.";
      List<Object> v = r.getList(0);
      if (v.size() != x.length) {
        return where(layout, r) + ": the array column '" + layout.featureColumns().get(0) + "' has " + v.size() + " values; the"
            + " first row has " + x.length + ".";
      }
      for (int k = 0; k < x.length; k++) {
        Object o = v.get(k);
        x[k] = o == null ? Float.NaN : ((Number) o).floatValue();
        if (!Float.isFinite(x[k])) return where(layout, r) + ": NaN or Inf in '" + layout.featureNames().get(k) + "'.";
      }
    } else {
      for (int j = 0; j < x.length; j++) {
        x[j] = r.isNullAt(j) ? Float.NaN : ((Number) r.get(j)).floatValue();
        if (!Float.isFinite(x[j])) return where(layout, r) + ": NaN or Inf in '" + layout.featureNames().get(j) + "'.";
      }
    }
    int at = layout.array() ? 1 : x.length;
    if (layout.label()) {
      Object o = r.get(at++);
      boolean ok = o instanceof Boolean || (o instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1));
      if (!ok) return where(layout, r) + ": the label is " + o + "; labels are 0 or 1 (1 = signal).";
    }
    if (layout.weight()) {
      Object o = r.get(at);
      if (o == null || !Double.isFinite(((Number) o).doubleValue())) return where(layout, r) + ": NaN, Inf or null weight.";
    }
    return null;
  }

  private static int label(Layout layout, Row r, int at) {
    Object o = r.get(at);
    return o instanceof Boolean b ? (b ? 1 : 0) : (int) ((Number) o).doubleValue();
  }

  /**
   * A partition's events as blocks of at most {@code block} events, in partition order; rows with
   * NaN are dropped under {@code nan: drop} and fail the task otherwise.
   *
   * @param first the index of the partition's first event among every partition's events
   */
  static void blocks(Layout layout, Iterator<Row> rows, long first, int block, java.util.function.Consumer<EventBlock> out) {
    blocks(layout, rows, first, block, List.of(), out);
  }

  /**
   * {@link #blocks(Layout, Iterator, long, int, java.util.function.Consumer)} with the values of the
   * observables (rows from {@link #rows(int, boolean)} with them) in the blocks; a NaN or null
   * observable fails the task with the part file and row (dropping it would drop other rows than the
   * engine drops for the model inputs).
   */
  static void blocks(Layout layout, Iterator<Row> rows, long first, int block, List<String> observables,
      java.util.function.Consumer<EventBlock> out) {
    int ko = observables.size();
    float[] obs = ko == 0 ? null : new float[block * ko];
    int w = layout.width();
    float[] x = new float[block * w];
    int[] labels = layout.label() ? new int[block] : null;
    double[] weights = layout.weight() ? new double[block] : null;
    float[] row = new float[w];
    int n = 0;
    long at = first;
    while (rows.hasNext()) {
      Row r = rows.next();
      String error = read(layout, r, row);
      if (error != null) {
        if (layout.nan() == NanPolicy.ERROR) throw new GlassboxException(error);
        continue;
      }
      System.arraycopy(row, 0, x, n * w, w);
      int c = layout.array() ? 1 : w;
      if (labels != null) labels[n] = label(layout, r, c++);
      if (weights != null) weights[n] = ((Number) r.get(c)).doubleValue();
      for (int k = 0; k < ko; k++) {
        Object o = r.get(layout.fileIndex() + 2 + k);
        float v = o == null ? Float.NaN : o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).floatValue();
        if (Float.isNaN(v)) throw new GlassboxException(where(layout, r) + ": NaN or null in the observable '" + observables.get(k) + "'.");
        obs[n * ko + k] = v;
      }
      if (++n == block) {
        out.accept(new EventBlock(at, x.clone(), new long[] {n, w}, labels == null ? null : labels.clone(),
            weights == null ? null : weights.clone(), obs == null ? null : obs.clone()));
        at += n;
        n = 0;
      }
    }
    if (n > 0) {
      out.accept(new EventBlock(at, java.util.Arrays.copyOf(x, n * w), new long[] {n, w},
          labels == null ? null : java.util.Arrays.copyOf(labels, n), weights == null ? null : java.util.Arrays.copyOf(weights, n),
          obs == null ? null : java.util.Arrays.copyOf(obs, n * ko)));
    }
  }

  /** Events a partition holds after dropping (a first pass, so that each partition knows where its events start). */
  static long count(Layout layout, Iterator<Row> rows) {
    float[] x = new float[layout.width()];
    long n = 0;
    while (rows.hasNext()) {
      String error = read(layout, rows.next(), x);
      if (error == null) n++;
      else if (layout.nan() == NanPolicy.ERROR) throw new GlassboxException(error);
    }
    return n;
  }
}
