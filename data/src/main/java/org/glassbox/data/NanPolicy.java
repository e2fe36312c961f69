package org.glassbox.data;

/**
 * What to do with an event whose inputs hold NaN or ±Inf (the YAML {@code nan:} key). Labels and
 * weights are never dropped silently: a NaN there is an error under either policy, because it
 * means a broken file rather than a missing measurement.
 */
public enum NanPolicy {
  /** Stop with a message naming the file, the row and the column (the default). */
  ERROR,
  /** Remove the event and count it in {@link EventTable#droppedRows()}. */
  DROP
}
