package org.glassbox.engine.model;

import java.util.Arrays;

/**
 * A tensor of a graph: its element type (ONNX {@code TensorProto.DataType} code) and its shape,
 * with {@link #DYNAMIC} for dimensions that change with the batch size.
 */
public record TensorInfo(String name, int elemType, long[] dims) {
  public static final long DYNAMIC = -1;
  public static final int FLOAT = 1;
  public static final int DOUBLE = 11;
  public static final int INT64 = 7;
  public static final int BOOL = 9;

  public int rank() {
    return dims.length;
  }

  public long dim(int axis) {
    return dims[axis < 0 ? axis + dims.length : axis];
  }

  public boolean isFloating() {
    return elemType == FLOAT || elemType == DOUBLE || elemType == 10 || elemType == 16;
  }

  public boolean isStatic(int axis) {
    return dim(axis) != DYNAMIC;
  }

  /** Number of values per event: product of the dimensions after the first (dynamic ones count 1). */
  public long eventSize() {
    long n = 1;
    for (int i = 1; i < dims.length; i++) n *= Math.max(dims[i], 1);
    return n;
  }

  /** Dimensions after the first (the shape of one event). */
  public long[] eventShape() {
    return Arrays.copyOfRange(dims, 1, dims.length);
  }

  public String shapeText() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(dims[i] == DYNAMIC ? "N" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && t.name.equals(name) && t.elemType == elemType && Arrays.equals(t.dims, dims);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + shapeText();
  }
}
