package org.glassbox.api;

import java.util.Arrays;

/**
 * A dense float32 array in row-major order with its shape; dimension 0 is the event (batch) axis.
 * The array is not copied: treat it as read-only once handed over.
 */
public record FloatTensor(float[] data, long[] shape) {

  public FloatTensor {
    long size = 1;
    for (long d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
    }
  }

  public static FloatTensor of(float[] data, long... shape) {
    return new FloatTensor(data, shape);
  }

  /** Number of events (size of dimension 0). */
  public int events() {
    return (int) shape[0];
  }

  /** Values per event: the product of all dimensions but the first. */
  public int eventSize() {
    return shape[0] == 0 ? 0 : data.length / (int) shape[0];
  }

  /** Shape of one event (all dimensions but the first). */
  public long[] eventShape() {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** Events [from, to) as a new tensor (copied). */
  public FloatTensor slice(int from, int to) {
    int n = eventSize();
    long[] s = shape.clone();
    s[0] = to - from;
    return new FloatTensor(Arrays.copyOfRange(data, from * n, to * n), s);
  }

  public float get(int flatIndex) {
    return data[flatIndex];
  }

  /** Concatenates tensors along the event axis; all must share the event shape. */
  public static FloatTensor concat(java.util.List<FloatTensor> parts) {
    if (parts.size() == 1) return parts.get(0);
    long events = 0;
    int total = 0;
    for (FloatTensor p : parts) {
      events += p.shape[0];
      total += p.data.length;
    }
    float[] out = new float[total];
    int at = 0;
    for (FloatTensor p : parts) {
      System.arraycopy(p.data, 0, out, at, p.data.length);
      at += p.data.length;
    }
    long[] s = parts.get(0).shape.clone();
    s[0] = events;
    return new FloatTensor(out, s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
