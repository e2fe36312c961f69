package org.glassbox.plugins.ado;

/**
 * Whether an oriented value is the raw one or {@code 1 - raw}. ADO and AUC below ½ mean the
 * function orders pairs the other way round; seed 002 inverts them ("the decision function can be
 * inverted to make the opposite/correct decisions"), and this records that it did.
 */
public enum Orientation {
  /** The raw value is at least ½ and is reported as is. */
  AS_IS,
  /** The raw value was below ½; the reported value is {@code 1 - raw}. */
  INVERTED;

  static Orientation of(double raw) {
    return raw < 0.5 ? INVERTED : AS_IS;
  }

  static double orient(double raw) {
    return raw < 0.5 ? 1 - raw : raw;
  }
}
