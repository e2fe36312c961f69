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

  public static OptionSpec text(String name, String defaultValue, String description) {
    return new OptionSpec(name, OptionType.STRING, defaultValue, description, List.of());
  }
}
