package org.glassbox.toys;

import java.util.List;
import java.util.Map;

/**
 * A named, seeded generator of one toy data set. Implementations are stateless: the options,
 * validated before any event is drawn, fully determine the data.
 */
public interface ToyGenerator {

  /** The lowercase kebab-case name, e.g. {@code product-sign}. */
  String name();

  /**
   * The generator's version; it changes whenever the same options would give different data, so a
   * stored data set's provenance can tell whether it can be regenerated.
   */
  String version();

  /** One line: what the data set is and which seed it comes from. */
  String description();

  /** The documented options, in order, with their defaults. */
  List<ToyOption> options();

  /**
   * Generates the data set. Options not given take their defaults.
   *
   * @param options key → value (Integer, Long, Double, Boolean or text, as YAML gives them)
   * @throws org.glassbox.api.GlassboxException naming the option, when a key is unknown or a value
   *     is of the wrong type or out of range
   */
  ToyDataSet generate(Map<String, ?> options);
}
