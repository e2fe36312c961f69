package org.glassbox.api;

/** A bad option value; the engine adds where it was written (file, line, column). */
public class OptionException extends GlassboxException {
  private final String option;

  public OptionException(String option, String message) {
    super(message);
    this.option = option;
  }

  /** The option's name, as written in YAML. */
  public String option() {
    return option;
  }
}
