package org.glassbox.api.observables;

import java.util.List;

/**
 * Per-event particle lists (e.g. jet constituents), padded to a common length: a row-major
 * [events, maxParticles, fields] array and the number of real particles of each event (padding
 * rows after them are ignored).
 *
 * @param fields the name of each field, e.g. {@code pt, eta, phi}
 */
public record ParticleData(List<String> fields, int events, int maxParticles, float[] data, int[] counts) {
  public ParticleData {
    fields = List.copyOf(fields);
    if ((long) events * maxParticles * fields.size() != data.length || counts.length != events) {
      throw new IllegalArgumentException("particle arrays do not match [" + events + ", " + maxParticles + ", "
          + fields.size() + "]");
    }
  }

  /** The index of a field, or -1. */
  public int field(String name) {
    return fields.indexOf(name);
  }

  public float get(int event, int particle, int field) {
    return data[(event * maxParticles + particle) * fields.size() + field];
  }
}
