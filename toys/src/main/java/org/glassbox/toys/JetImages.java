package org.glassbox.toys;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Jet images as an N×1×H×W float array, row-major (batch, channel, row, column): the pT (GeV) of
 * the jet's particles summed in bins of (Δη, Δφ) relative to the jet axis. Row {@code r} covers Δη
 * ∈ [−R + r·2R/H, −R + (r+1)·2R/H) and column {@code c} covers Δφ likewise with W, where R is
 * {@link #halfWidth()}; every particle lies within ΔR ≤ R of the axis, so each image sums to the
 * jet's pT. Immutable: accessors copy, {@link #buffer()} is a read-only view.
 */
public final class JetImages {
  private final int events;
  private final int height;
  private final int width;
  private final double halfWidth;
  private final float[] data;

  JetImages(int events, int height, int width, double halfWidth, float[] data) {
    if ((long) events * height * width != data.length) {
      throw new IllegalArgumentException("image array has " + data.length + " values, not N×H×W");
    }
    this.events = events;
    this.height = height;
    this.width = width;
    this.halfWidth = halfWidth;
    this.data = data;
  }

  public int events() {
    return events;
  }

  /** H: rows, binned in Δη. */
  public int height() {
    return height;
  }

  /** W: columns, binned in Δφ. */
  public int width() {
    return width;
  }

  /** R: the image spans [−R, R] in Δη and in Δφ. */
  public double halfWidth() {
    return halfWidth;
  }

  /** {N, 1, H, W}. */
  public long[] shape() {
    return new long[] {events, 1, height, width};
  }

  public float pixel(int event, int row, int column) {
    return data[(event * height + row) * width + column];
  }

  /** A copy of the N×1×H×W values. */
  public float[] data() {
    return data.clone();
  }

  /** The N×1×H×W values without copying, read-only. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  float[] raw() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JetImages
        && ((JetImages) o).height == height
        && ((JetImages) o).width == width
        && ((JetImages) o).halfWidth == halfWidth
        && Arrays.equals(((JetImages) o).data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "JetImages" + Arrays.toString(shape()) + " over ±" + halfWidth;
  }
}
