package org.glassbox.data;

import io.jhdf.api.Dataset;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.message.DataLayout;
import java.util.Arrays;
import java.util.Set;
import org.glassbox.api.GlassboxException;

/**
 * An HDF5 dataset read in row blocks. Contiguous datasets are read slice by slice, so only a block
 * is in memory; chunked (often compressed) and compact ones are loaded whole on first use, because
 * jhdf's slicing is only relied on for the contiguous layout.
 */
final class HdfColumn implements Column {
  private static final Set<Class<?>> NUMERIC =
      Set.of(float.class, double.class, int.class, long.class, short.class, byte.class, boolean.class);

  private final Dataset ds;
  private final String where;
  private final long[] shape;
  private final int rowSize;
  private final boolean sliced;
  private Object whole;
  private long position;

  HdfColumn(Dataset ds, String where) {
    this.ds = ds;
    this.where = where;
    if (ds.isScalar() || ds.isEmpty()) {
      throw new GlassboxException(where + " is " + (ds.isScalar() ? "a scalar" : "empty") + "; it needs one row per event.");
    }
    // h5py stores numpy booleans as an enum {FALSE, TRUE}, which jhdf reads as those names.
    boolean h5pyBool = ds.getDataType() instanceof EnumDataType;
    if (ds.isCompound() || ds.isVariableLength() || !(h5pyBool || NUMERIC.contains(ds.getJavaType()))) {
      throw new GlassboxException(where + " holds " + ds.getDataType().getClass().getSimpleName()
          + " values (" + ds.getJavaType().getSimpleName() + "); Glassbox reads numeric datasets only."
          + " Store features as float datasets (one 2-D dataset, or one 1-D dataset per feature).");
    }
    this.shape = Arrays.stream(ds.getDimensions()).asLongStream().toArray();
    long size = 1;
    for (int i = 1; i < shape.length; i++) size *= shape[i];
    this.rowSize = (int) size;
    this.sliced = ds.getDataLayout() == DataLayout.CONTIGUOUS;
  }

  @Override
  public String where() {
    return where;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public int read(float[] dst, int off, int rows) {
    int n = (int) Math.min(rows, shape[0] - position);
    if (n <= 0) return 0;
    if (sliced) {
      flatten(ds.getData(offset(), dims(n)), dst, off);
    } else {
      copy(whole(), (int) (position * rowSize), dst, off, n * rowSize);
    }
    position += n;
    return n;
  }

  @Override
  public int read(double[] dst, int off, int rows) {
    int n = (int) Math.min(rows, shape[0] - position);
    if (n <= 0) return 0;
    // Labels and weights: widened straight from the stored type, so that float64 weights keep their precision.
    if (sliced) {
      flatten(ds.getData(offset(), dims(n)), dst, off);
    } else {
      copy(whole(), (int) (position * rowSize), dst, off, n * rowSize);
    }
    position += n;
    return n;
  }

  private Object whole() {
    if (whole == null) {
      if (shape[0] * rowSize > Integer.MAX_VALUE - 8) {
        throw new GlassboxException(where + " is chunked and too large to load whole (" + shape[0] * rowSize
            + " values); store it contiguous (h5py: no chunks= or compression=) or split it.");
      }
      whole = ds.getDataFlat();
    }
    return whole;
  }

  private long[] offset() {
    long[] o = new long[shape.length];
    o[0] = position;
    return o;
  }

  private int[] dims(int n) {
    int[] d = new int[shape.length];
    d[0] = n;
    for (int i = 1; i < shape.length; i++) d[i] = (int) shape[i];
    return d;
  }

  /** Copies a jhdf multi-dimensional Java array (e.g. float[][][]) into {@code dst} in C order; returns the next index. */
  private int flatten(Object arr, float[] dst, int at) {
    if (arr instanceof Object[] && !(arr instanceof String[])) {
      for (Object e : (Object[]) arr) at = flatten(e, dst, at);
      return at;
    }
    int len = java.lang.reflect.Array.getLength(arr);
    copy(arr, 0, dst, at, len);
    return at + len;
  }

  private int flatten(Object arr, double[] dst, int at) {
    if (arr instanceof Object[] && !(arr instanceof String[])) {
      for (Object e : (Object[]) arr) at = flatten(e, dst, at);
      return at;
    }
    int len = java.lang.reflect.Array.getLength(arr);
    copy(arr, 0, dst, at, len);
    return at + len;
  }

  private void copy(Object src, int from, float[] dst, int at, int count) {
    if (src instanceof float[]) {
      System.arraycopy(src, from, dst, at, count);
    } else if (src instanceof double[]) {
      double[] a = (double[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = (float) a[from + i];
    } else {
      double[] tmp = new double[count];
      copy(src, from, tmp, 0, count);
      for (int i = 0; i < count; i++) dst[at + i] = (float) tmp[i];
    }
  }

  private void copy(Object src, int from, double[] dst, int at, int count) {
    if (src instanceof double[]) {
      System.arraycopy(src, from, dst, at, count);
    } else if (src instanceof float[]) {
      float[] a = (float[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i];
    } else if (src instanceof int[]) {
      int[] a = (int[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i];
    } else if (src instanceof long[]) {
      long[] a = (long[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i];
    } else if (src instanceof short[]) {
      short[] a = (short[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i];
    } else if (src instanceof byte[]) {
      byte[] a = (byte[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i];
    } else if (src instanceof boolean[]) {
      boolean[] a = (boolean[]) src;
      for (int i = 0; i < count; i++) dst[at + i] = a[from + i] ? 1 : 0;
    } else if (src instanceof String[]) {
      String[] a = (String[]) src;
      for (int i = 0; i < count; i++) {
        String v = a[from + i];
        if (!"TRUE".equals(v) && !"FALSE".equals(v)) {
          throw new GlassboxException(where + " is an enum dataset with the value '" + v + "'; Glassbox reads numbers"
              + " and h5py booleans (FALSE/TRUE) only.");
        }
        dst[at + i] = "TRUE".equals(v) ? 1 : 0;
      }
    } else {
      throw new IllegalStateException("unexpected HDF5 array type " + src.getClass());
    }
  }

  @Override
  public void close() {
    whole = null;
  }
}
