package org.glassbox.engine.report;

/** File-name-safe stems for tables, arrays and plots (public for distributions that write arrays themselves). */
public final class Names {
  private Names() {}

  public static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
    return t.isEmpty() ? "x" : t;
  }

  /** {@code <model>__<neuron>__<method>} (without the method when it is null), each part made file-safe. */
  public static String stem(String model, String neuron, String method) {
    return safe(model) + "__" + safe(neuron) + (method == null ? "" : "__" + safe(method));
  }

  /** A data file's name (reports show no absolute paths); a toy generator's description as it is. */
  static String dataName(String source) {
    if (source.startsWith("generator ")) return source;
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }
}
