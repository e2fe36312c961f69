package org.glassbox.toys;

import org.glassbox.api.GlassboxException;

/** Range checks for the typed options records; every message names the toy and the option key. */
final class Checks {
  /** Arrays are indexed by int: the JDK caps an array a little below 2^31 elements. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  static final int MAX_EVENTS = 50_000_000;

  private Checks() {}

  static GlassboxException error(String toy, String option, String what) {
    return new GlassboxException(
        "toy data set '" + toy + "': option '" + option + "' " + what + ".");
  }

  static void events(String toy, int events) {
    if (events < 1 || events > MAX_EVENTS) {
      throw error(toy, "events", "must be between 1 and " + MAX_EVENTS + ", got " + events);
    }
  }

  static void signalFraction(String toy, double f) {
    if (!(f >= 0 && f <= 1)) {
      throw error(toy, "signal_fraction", "must be between 0 and 1 (0.5 = balanced), got " + f);
    }
  }

  static void range(String toy, String option, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw error(toy, option, "must be between " + lo + " and " + hi + ", got " + value);
    }
  }

  static void range(String toy, String option, int value, int lo, int hi) {
    if (value < lo || value > hi) {
      throw error(toy, option, "must be between " + lo + " and " + hi + ", got " + value);
    }
  }

  /**
   * Checks that {@code events × perEvent} values fit in one Java array; otherOption may be null.
   */
  static void fits(String toy, int events, long perEvent, String what, String otherOption) {
    if ((long) events * perEvent > MAX_ARRAY) {
      throw error(
          toy,
          "events",
          "is too large for the "
              + what
              + " ("
              + events
              + " × "
              + perEvent
              + " values exceed the 2^31 array limit); lower events"
              + (otherOption == null ? "" : " or " + otherOption));
    }
  }
}
