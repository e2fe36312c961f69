package org.glassbox.api;

/** The value types an option can take in YAML. */
public enum OptionType {
  INTEGER, NUMBER, BOOLEAN, STRING, NUMBER_LIST, STRING_LIST;

  /** The YAML spelling used in help and error messages. */
  public String yamlName() {
    return switch (this) {
      case INTEGER -> "integer";
      case NUMBER -> "number";
      case BOOLEAN -> "true/false";
      case STRING -> "text";
      case NUMBER_LIST -> "list of numbers";
      case STRING_LIST -> "list of names";
    };
  }
}
