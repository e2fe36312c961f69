package org.glassbox.toys;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Jet constituents as a zero-padded N×P×K float array, row-major: for jet {@code e}, particle
 * {@code p} (sorted by falling pT) and field {@code k} of {@link #fields()} ({@code pt} in GeV,
 * {@code eta}, {@code phi} in (−π, π]), the value is at {@code (e·P + p)·K + k}. Jet {@code e} has
 * {@link #count(int)} real particles; slots from there to P are all zero (pT = 0 marks padding).
 * Immutable: accessors copy, {@link #buffer()} is a read-only view.
 */
public final class ParticleLists {
  private final List<String> fields;
  private final int events;
  private final int maxParticles;
  private final float[] data;
  private final int[] counts;

  ParticleLists(List<String> fields, int maxParticles, float[] data, int[] counts) {
    this.fields = List.copyOf(fields);
    this.events = counts.length;
    this.maxParticles = maxParticles;
    if ((long) events * maxParticles * this.fields.size() != data.length) {
      throw new IllegalArgumentException(
          "particle array has " + data.length + " values, not N×P×K");
    }
    this.data = data;
    this.counts = counts;
  }

  /** Field names, in order: {@code pt}, {@code eta}, {@code phi}. */
  public List<String> fields() {
    return fields;
  }

  public int events() {
    return events;
  }

  /** P: the padded length (the largest multiplicity the generator can produce). */
  public int maxParticles() {
    return maxParticles;
  }

  /** {N, P, K}. */
  public long[] shape() {
    return new long[] {events, maxParticles, fields.size()};
  }

  /** Number of real (non-padding) particles of jet {@code event}. */
  public int count(int event) {
    return counts[event];
  }

  public float get(int event, int particle, int field) {
    return data[(event * maxParticles + particle) * fields.size() + field];
  }

  /** A copy of the N×P×K values. */
  public float[] data() {
    return data.clone();
  }

  /** A copy of the per-jet particle counts. */
  public int[] counts() {
    return counts.clone();
  }

  /** The N×P×K values without copying, read-only. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  float[] raw() {
    return data;
  }

  int[] rawCounts() {
    return counts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParticleLists
        && ((ParticleLists) o).maxParticles == maxParticles
        && ((ParticleLists) o).fields.equals(fields)
        && Arrays.equals(((ParticleLists) o).data, data)
        && Arrays.equals(((ParticleLists) o).counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counts) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ParticleLists" + Arrays.toString(shape()) + fields;
  }
}
