package org.glassbox.toys;

import java.util.List;
import java.util.Objects;

/**
 * One documented option of a toy generator: its key (lowercase snake_case, as written in YAML), its
 * type, its default, what it does and, for choices, the allowed values.
 *
 * @param name the key, e.g. {@code events}
 * @param type how the value is read
 * @param defaultValue the default, as text
 * @param description what the option does, its range and its unit
 * @param allowed the allowed values of a {@link Type#CHOICE}; empty for other types
 */
public record ToyOption(
    String name, Type type, String defaultValue, String description, List<String> allowed) {

  /** How an option's value is read. */
  public enum Type {
    /** A whole number (a YAML integer, or text that parses as one). */
    INTEGER,
    /** A finite real number. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One of {@link ToyOption#allowed()}. */
    CHOICE
  }

  public ToyOption {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
    allowed = List.copyOf(allowed);
    if ((type == Type.CHOICE) == allowed.isEmpty()) {
      throw new IllegalArgumentException("option " + name + ": only choices list allowed values");
    }
  }

  static ToyOption integer(String name, int defaultValue, String description) {
    return new ToyOption(
        name, Type.INTEGER, Integer.toString(defaultValue), description, List.of());
  }

  static ToyOption events(int defaultValue) {
    return integer("events", defaultValue, "Number of events N (1 to " + Checks.MAX_EVENTS + ").");
  }

  static ToyOption signalFraction() {
    return number(
        "signal_fraction",
        0.5,
        "Fraction of signal events, in [0, 1]; the count round(N × fraction) is exact (0.5:"
            + " balanced classes) and events come in a seeded random order.");
  }

  static ToyOption seed() {
    return new ToyOption(
        "seed",
        Type.INTEGER,
        "1",
        "Seed of the random stream (any 64-bit integer); the same options give identical data on"
            + " every machine.",
        List.of());
  }

  static ToyOption number(String name, double defaultValue, String description) {
    return new ToyOption(name, Type.NUMBER, Double.toString(defaultValue), description, List.of());
  }

  static ToyOption bool(String name, boolean defaultValue, String description) {
    return new ToyOption(
        name, Type.BOOLEAN, Boolean.toString(defaultValue), description, List.of());
  }

  static ToyOption choice(String name, String defaultValue, String description, String... allowed) {
    return new ToyOption(name, Type.CHOICE, defaultValue, description, List.of(allowed));
  }
}
