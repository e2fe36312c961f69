package org.glassbox.data;

import java.util.Arrays;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;

/**
 * Turns a {@link RowSource}'s raw rows into {@link EventTable}s: checks labels and weights,
 * applies the NaN policy and stops after {@code maxEvents}. Whole reads and chunked reads both go
 * through {@link #next}, which is why chunks give the same rows as a whole read.
 */
final class EventReader implements AutoCloseable {
  /** Values per scratch block: a few MB, so that checking and copying stay in cache-friendly pieces. */
  private static final int BLOCK_VALUES = 1 << 20;
  /** Largest Java array we allocate (a little under Integer.MAX_VALUE, as the JDK's collections do). */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final RowSource src;
  private final DataSpec spec;
  private final String sha256;
  private final int eventSize;
  private final RowSource.RowBlock block;
  private long kept;
  private long rowsRead;
  private boolean exhausted;
  private boolean closed;

  EventReader(RowSource src, DataSpec spec, String sha256) {
    this.src = src;
    this.spec = spec;
    this.sha256 = sha256;
    long size = 1;
    for (long d : src.eventShape()) size *= d;
    if (size > MAX_ARRAY) throw new GlassboxException(src.where() + ": one event holds " + size + " values; too many.");
    this.eventSize = (int) size;
    int rows = Math.max(1, Math.min(8192, BLOCK_VALUES / Math.max(1, eventSize)));
    this.block = new RowSource.RowBlock(rows, eventSize, src.labelName() != null, src.weightName() != null);
  }

  /** True when no further events can come (end of the data, or {@code maxEvents} reached). */
  boolean finished() {
    return exhausted || (spec.maxEvents() > 0 && kept >= spec.maxEvents());
  }

  /**
   * The next up to {@code limit} events that pass the checks; an empty table when none are left.
   * The table's {@code droppedRows} and {@code totalRows} count the rows this call read.
   */
  EventTable next(long limit) {
    long want = limit;
    if (spec.maxEvents() > 0) want = Math.min(want, spec.maxEvents() - kept);
    if (exhausted) want = 0;
    // Arrays know their length: allocate once. CSV does not: start small and double.
    long left = src.knownRows() >= 0 ? src.knownRows() - rowsRead : -1;
    long first = Math.max(0, left >= 0 ? Math.min(want, left) : Math.min(want, 4096));
    if (first * eventSize > MAX_ARRAY) throw tooMany(first);
    int cap = (int) first;
    float[] x = new float[Math.multiplyExact(cap, eventSize)];
    int[] labels = block.label != null ? new int[cap] : null;
    double[] weights = block.weight != null ? new double[cap] : null;
    int have = 0;
    long read = 0;
    long dropped = 0;
    while (have < want) {
      int n = src.read(block, (int) Math.min(block.capacity(), want - have));
      if (n == 0) {
        exhausted = true;
        break;
      }
      read += n;
      rowsRead += n;
      for (int i = 0; i < n; i++) {
        double label = block.label != null ? checkLabel(block.label[i], block.ids[i]) : 0;
        double weight = block.weight != null ? checkWeight(block.weight[i], block.ids[i]) : 0;
        int bad = firstNonFinite(block.x, i * eventSize);
        if (bad >= 0) {
          if (spec.nan() == NanPolicy.ERROR) throw nanError(block.x[i * eventSize + bad], block.ids[i], bad);
          dropped++;
          continue;
        }
        if (have == cap) {
          long grown = Math.min(want, Math.max(1024, 2L * cap));
          if (grown * eventSize > MAX_ARRAY) throw tooMany(grown);
          cap = (int) grown;
          x = Arrays.copyOf(x, cap * eventSize);
          if (labels != null) labels = Arrays.copyOf(labels, cap);
          if (weights != null) weights = Arrays.copyOf(weights, cap);
        }
        System.arraycopy(block.x, i * eventSize, x, have * eventSize, eventSize);
        if (labels != null) labels[have] = (int) label;
        if (weights != null) weights[have] = weight;
        have++;
      }
    }
    kept += have;
    if (have < cap) {
      x = Arrays.copyOf(x, have * eventSize);
      if (labels != null) labels = Arrays.copyOf(labels, have);
      if (weights != null) weights = Arrays.copyOf(weights, have);
    }
    long[] shape = new long[src.eventShape().length + 1];
    shape[0] = have;
    System.arraycopy(src.eventShape(), 0, shape, 1, shape.length - 1);
    return new EventTable(src.where(), sha256, src.featureNames(), new FloatTensor(x, shape), labels, weights, dropped, read);
  }

  private GlassboxException tooMany(long events) {
    return new GlassboxException(src.where() + ": " + events + " events of " + eventSize
        + " values do not fit one Java array; set maxEvents in the data block or read in chunks.");
  }

  private int firstNonFinite(float[] x, int from) {
    for (int j = 0; j < eventSize; j++) {
      if (!Float.isFinite(x[from + j])) return j;
    }
    return -1;
  }

  private double checkLabel(double v, long id) {
    if (v == 0 || v == 1) return v;
    String at = src.where() + ", " + src.rowName(id) + ": the " + src.labelName();
    if (Double.isNaN(v)) {
      throw new GlassboxException(at + " is NaN or empty; every event needs a label 0 or 1 (1 = signal)."
          + " (`nan: drop` drops events with bad inputs only; fix or remove this row.)");
    }
    throw new GlassboxException(at + " is " + format(v) + ", not 0 or 1 (1 = signal).");
  }

  private double checkWeight(double w, long id) {
    if (Double.isFinite(w)) return w;
    throw new GlassboxException(src.where() + ", " + src.rowName(id) + ": the " + src.weightName() + " is "
        + (Double.isNaN(w) ? "NaN or empty" : format(w)) + "; every event needs a finite weight."
        + " (`nan: drop` drops events with bad inputs only; fix or remove this row.)");
  }

  private GlassboxException nanError(float v, long id, int feature) {
    return new GlassboxException(src.where() + ", " + src.rowName(id) + ": " + src.featureName(feature) + " is "
        + format(v) + src.nanNote() + ". Set `nan: drop` in the data block to drop such events"
        + " (they are counted), or fix the file.");
  }

  private static String format(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Idempotent: a chunk stream closes when read to the end and again when the caller closes it. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    src.close();
  }
}
