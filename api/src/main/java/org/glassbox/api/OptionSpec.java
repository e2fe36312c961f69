package org.glassbox.api;

import java.util.List;
import java.util.Objects;

/**
 * One documented option of a method: its name (lowercase, words joined by '_' as YAML keys are),
 * type, default and description; {@code choices} restricts a STRING option.
 */
public record OptionSpec(String name, OptionType type, Object defaultValue, String description, List<String> choices) {
  public OptionSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    Objects.requireNonNull(description);
    if (!name.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("option names are lowercase_with_underscores: " + name);
    choices = List.copyOf(choices);
  }

  public static OptionSpec integer(String name, long defaultValue, String description) {
    return new OptionSpec(name, OptionType.INTEGER, defaultValue, description, List.of());
  }

  public static OptionSpec number(String name, double defaultValue, String description) {
    return new OptionSpec(name, OptionType.NUMBER, defaultValue, description, List.of());
  }

  public static OptionSpec bool(String name, boolean defaultValue, String description) {
    return new OptionSpec(name, OptionType.BOOLEAN, defaultValue, description, List.of());
  }

  public static OptionSpec choice(String name, String defaultValue, String description, String... choices) {
    return new OptionSpec(name, OptionType.STRING, defaultValue, description, List.of(choices));
  }

  /** A list of names, e.g. {@code [mass, pt]}. */
  public static OptionSpec strings(String name, java.util.List<String> defaultValue, String description) {
    return new OptionSpec(name, OptionType.STRING_LIST, java.util.List.copyOf(defaultValue), description, java.util.List.of());
  }

  /** A list of numbers, e.g. {@code [0.5, 1, 2]}. */
  public static OptionSpec numbers(String name, java.util.List<Double> defaultValue, String description) {
    return new OptionSpec(name, OptionType.NUMBER_LIST, java.util.List.copyOf(defaultValue), description, java.util.List.of());
  }

  public static OptionSpec text(String name, String defaultValue, String description) {
    return new OptionSpec(name, OptionType.STRING, defaultValue, description, List.of());
  }
}
