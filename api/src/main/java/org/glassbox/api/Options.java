package org.glassbox.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A method's options after validation against its {@link OptionSpec}s: every declared option has a
 * value (the user's or the default), of the declared type.
 */
public final class Options {
  private final Map<String, Object> values;

  public Options(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Defaults only. */
  public static Options defaults(List<OptionSpec> specs) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (OptionSpec s : specs) v.put(s.name(), s.defaultValue());
    return new Options(v);
  }

  private Object get(String name) {
    if (!values.containsKey(name)) throw new IllegalArgumentException("option '" + name + "' is not declared");
    return values.get(name);
  }

  public long integer(String name) {
    return ((Number) get(name)).longValue();
  }

  public double number(String name) {
    return ((Number) get(name)).doubleValue();
  }

  public boolean bool(String name) {
    return (Boolean) get(name);
  }

  public String string(String name) {
    return (String) get(name);
  }

  @SuppressWarnings("unchecked")
  public List<Double> numbers(String name) {
    return (List<Double>) get(name);
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(String name) {
    return (List<String>) get(name);
  }

  /** All values, for provenance. */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
