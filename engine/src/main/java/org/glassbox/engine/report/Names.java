package org.glassbox.engine.report;

/** File-name-safe stems for tables, arrays and plots. */
final class Names {
  private Names() {}

  static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
    return t.isEmpty() ? "x" : t;
  }

  static String stem(String model, String neuron, String method) {
    return safe(model) + "__" + safe(neuron) + (method == null ? "" : "__" + safe(method));
  }

  /** A data file's name (reports show no absolute paths); a toy generator's description as it is. */
  static String dataName(String source) {
    if (source.startsWith("generator ")) return source;
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }
}
