package org.glassbox.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glassbox.api.GlassboxException;

/**
 * Events from stored arrays (NPY, NPZ, HDF5): either one array of events (N x F, or N x an event
 * shape such as 1 x 32 x 32) or several 1-D arrays that become the columns of an N x F table;
 * optional label and weight arrays of length N (or N x 1). Shapes are checked when it opens.
 */
final class ArraySource implements RowSource {
  private final String where;
  private final List<Column> features;
  private final Column label;
  private final Column weight;
  private final AutoCloseable container;
  private final long rows;
  private final long[] eventShape;
  private final List<String> names;
  private float[] scratch = new float[0];
  /** Index of the next event, for messages. */
  private long position;

  /**
   * @param where the file, for messages
   * @param features one N-D array, or several 1-D arrays (one per feature)
   * @param names names given by the user (empty = {@code f0, f1, ...} for one array, the array
   *     names for several)
   * @param container closed after the columns (the zip or HDF5 file), or null
   */
  ArraySource(String where, List<Column> features, List<String> names, Column label, Column weight,
      AutoCloseable container) {
    this.where = where;
    this.features = List.copyOf(features);
    this.label = label;
    this.weight = weight;
    this.container = container;
    try {
      Column first = features.get(0);
      if (first.shape().length == 0) {
        throw new GlassboxException(first.where() + " is a scalar; features need one row per event.");
      }
      rows = first.shape()[0];
      if (features.size() == 1) {
        long[] s = first.shape();
        eventShape = s.length == 1 ? new long[] {1} : Arrays.copyOfRange(s, 1, s.length);
        long size = 1;
        for (long d : eventShape) size *= d;
        if (names.isEmpty()) {
          List<String> f = new ArrayList<>();
          for (long i = 0; i < size; i++) f.add("f" + i);
          this.names = List.copyOf(f);
        } else if (names.size() != size) {
          throw new GlassboxException(first.where() + " has " + size + " values per event (shape "
              + Arrays.toString(s) + ") but " + names.size() + " feature names are given; give one name per value,"
              + " or none for f0, f1, ...");
        } else {
          this.names = List.copyOf(names);
        }
      } else {
        for (Column c : features) {
          checkVector(c, "feature");
        }
        eventShape = new long[] {features.size()};
        this.names = List.copyOf(names);
      }
      if (label != null) checkVector(label, "label");
      if (weight != null) checkVector(weight, "weight");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A per-event array: N or N x 1 values, N matching the features. */
  private void checkVector(Column c, String role) {
    long[] s = c.shape();
    boolean vector = s.length == 1 || (s.length == 2 && s[1] == 1);
    if (!vector) {
      throw new GlassboxException(c.where() + ": a " + role + " array needs one value per event (shape (N,) or (N, 1)),"
          + " but its shape is " + Arrays.toString(s) + ".");
    }
    if (s[0] != rows) {
      throw new GlassboxException(c.where() + " has " + s[0] + " entries but " + features.get(0).where() + " has "
          + rows + " events; the " + role + " needs one value per event.");
    }
  }

  @Override
  public String where() {
    return where;
  }

  @Override
  public List<String> featureNames() {
    return names;
  }

  @Override
  public long[] eventShape() {
    return eventShape.clone();
  }

  @Override
  public long knownRows() {
    return rows;
  }

  @Override
  public String labelName() {
    return label == null ? null : "label " + label.where();
  }

  @Override
  public String weightName() {
    return weight == null ? null : "weight " + weight.where();
  }

  @Override
  public String rowName(long id) {
    return "event " + id + " (counting from 0)";
  }

  @Override
  public String featureName(int j) {
    String name = "feature '" + names.get(j) + "'";
    if (eventShape.length < 2) return name;
    long[] index = new long[eventShape.length];
    long rest = j;
    for (int d = eventShape.length - 1; d >= 0; d--) {
      index[d] = rest % eventShape[d];
      rest /= eventShape[d];
    }
    return name + " (index " + Arrays.toString(index) + " in an event of shape " + Arrays.toString(eventShape) + ")";
  }

  @Override
  public int read(RowBlock into, int max) {
    int n;
    if (features.size() == 1) {
      n = features.get(0).read(into.x, 0, max);
    } else {
      // Several 1-D arrays: read each, then interleave into rows.
      int f = features.size();
      if (scratch.length < max) scratch = new float[max];
      n = -1;
      for (int j = 0; j < f; j++) {
        int got = features.get(j).read(scratch, 0, max);
        if (n >= 0 && got != n) throw new IllegalStateException("columns out of step");
        n = got;
        for (int i = 0; i < got; i++) into.x[i * f + j] = scratch[i];
      }
    }
    if (label != null && label.read(into.label, 0, n) != n) throw new IllegalStateException("label out of step");
    if (weight != null && weight.read(into.weight, 0, n) != n) throw new IllegalStateException("weight out of step");
    for (int i = 0; i < n; i++) into.ids[i] = position + i;
    position += n;
    return n;
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(features);
    all.add(label);
    all.add(weight);
    all.add(container);
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      if (c == null) continue;
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) failure = new GlassboxException("Cannot close " + where + ": " + e.getMessage(), e);
      }
    }
    if (failure != null) throw failure;
  }
}
