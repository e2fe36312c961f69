package org.glassbox.toys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;

/** The registry of toy generators, looked up by name. */
public final class ToyGenerators {
  private static final List<ToyGenerator> ALL =
      List.of(
          new ProductSign(),
          new TaylorToys(),
          new XaugJets(),
          new TwoProngJets(),
          new DileptonToy());

  private ToyGenerators() {}

  /** Every generator, in a fixed order. */
  public static List<ToyGenerator> all() {
    return ALL;
  }

  /** Their names. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (ToyGenerator g : ALL) names.add(g.name());
    return List.copyOf(names);
  }

  /**
   * The generator with this name.
   *
   * @throws GlassboxException listing the known names (and the nearest) when there is none
   */
  public static ToyGenerator get(String name) {
    for (ToyGenerator g : ALL) if (g.name().equals(name)) return g;
    String near = name == null ? null : OptionReader.nearest(name, names());
    throw new GlassboxException(
        "There is no toy data set '"
            + name
            + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)")
            + "; the toy data sets are: "
            + String.join(", ", names())
            + ".");
  }

  /** Shorthand for {@code get(name).generate(options)}. */
  public static ToyDataSet generate(String name, Map<String, ?> options) {
    return get(name).generate(options);
  }
}
