package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.toys.ToyGenerator;
import org.glassbox.toys.ToyGenerators;
import org.glassbox.toys.ToyOption;
import org.junit.jupiter.api.Test;

class MethodsCommandTest {
  /** A toy's options were only ever shown in error messages; 'glassbox methods' now lists every one. */
  @Test
  void everyToyGeneratorIsListedWithEveryOptionAndDefault() {
    MainTest.Run r = MainTest.run("methods");
    assertEquals(0, r.code(), r.err());
    String toys = r.out().substring(r.out().indexOf("Toy data sets"));
    for (ToyGenerator g : ToyGenerators.all()) {
      assertTrue(toys.contains(g.name() + " "), g.name());
      for (ToyOption o : g.options()) {
        assertTrue(toys.contains(o.name() + ": ") && toys.contains("(default " + o.defaultValue() + ")"), g.name() + " " + o.name());
      }
    }
    assertTrue(toys.contains("one of marginal, correlation, width, mixed"), toys);
  }
}
