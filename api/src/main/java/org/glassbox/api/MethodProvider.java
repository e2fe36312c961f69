package org.glassbox.api;

import java.util.List;

/**
 * What every method provider declares: a stable id (lowercase kebab-case, e.g. {@code taylor}), a
 * one-line description, a version, and its options. The five SPIs extend this with one work
 * method each.
 */
public interface MethodProvider {
  String id();

  String description();

  default String version() {
    return "1";
  }

  default List<OptionSpec> options() {
    return List.of();
  }

  /** Deviations from METHODS.md and conventions this method fixes, shown in its help and results. */
  default String conventions() {
    return "";
  }
}
