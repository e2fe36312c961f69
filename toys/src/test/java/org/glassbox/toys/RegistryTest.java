package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ReadOnlyBufferException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

class RegistryTest {

  private static String error(String toy, Map<String, ?> options) {
    return assertThrows(GlassboxException.class, () -> ToyGenerators.generate(toy, options))
        .getMessage();
  }

  @Test
  void generatorsAreFoundByName() {
    assertEquals(
        List.of("product-sign", "taylor-toys", "xaug-jets", "two-prong-jets", "dilepton-toy"),
        ToyGenerators.names());
    for (ToyGenerator g : ToyGenerators.all()) {
      assertTrue(g.name().matches("[a-z0-9]+(-[a-z0-9]+)*"), g.name());
      assertEquals(g, ToyGenerators.get(g.name()));
      assertFalse(g.description().isBlank());
      assertFalse(g.version().isBlank());
    }
    String m =
        assertThrows(GlassboxException.class, () -> ToyGenerators.get("xaug-jet")).getMessage();
    assertTrue(m.contains("'xaug-jet'") && m.contains("did you mean 'xaug-jets'"), m);
    assertTrue(m.contains("product-sign, taylor-toys, xaug-jets, two-prong-jets, dilepton-toy"), m);
  }

  /**
   * Every option is documented, and its documented default is what a run without it resolves to.
   */
  @Test
  void documentedDefaultsAreTheResolvedDefaults() {
    for (ToyGenerator g : ToyGenerators.all()) {
      ToyDataSet d = g.generate(Map.of("events", 20));
      assertEquals(g.options().size(), d.options().size(), g.name());
      for (ToyOption o : g.options()) {
        assertTrue(o.name().matches("[a-z]+(_[a-z]+)*"), o.name());
        assertFalse(o.description().isBlank(), o.name());
        if (o.name().equals("events")) continue;
        assertEquals(o.defaultValue(), d.options().get(o.name()), g.name() + " " + o.name());
      }
      assertFalse(d.truth().isBlank());
      assertEquals(20, d.size());
    }
  }

  @Test
  void badOptionsAreNamedWithWhatIsAllowed() {
    String m = error("product-sign", Map.of("evnets", 10));
    assertTrue(m.contains("'product-sign' has no option 'evnets'"), m);
    assertTrue(m.contains("did you mean 'events'"), m);
    assertTrue(m.contains("events, seed, signal_fraction"), m);

    m = error("product-sign", Map.of("events", "many"));
    assertTrue(m.contains("option 'events' must be a whole number, got 'many'"), m);
    m = error("product-sign", Map.of("events", 2.5));
    assertTrue(m.contains("option 'events' must be a whole number"), m);
    m = error("product-sign", Map.of("events", 0));
    assertTrue(m.contains("option 'events' must be between 1 and 50000000, got 0"), m);
    m = error("taylor-toys", Map.of("signal_fraction", 1.5));
    assertTrue(m.contains("option 'signal_fraction' must be between 0 and 1"), m);
    m = error("taylor-toys", Map.of("shift", "far"));
    assertTrue(m.contains("option 'shift' must be a number, got 'far'"), m);
    m = error("xaug-jets", Map.of("with_images", 1));
    assertTrue(m.contains("option 'with_images' must be true or false"), m);
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("seed", null);
    m = error("product-sign", withNull);
    assertTrue(m.contains("option 'seed' has no value"), m);
    m = error("xaug-jets", Map.of("events", 3_000_000));
    assertTrue(m.contains("option 'events' is too large for the images"), m);

    // YAML numbers and text that parse are accepted.
    assertEquals(12, ToyGenerators.generate("product-sign", Map.of("events", 12.0)).size());
    assertEquals(
        13, ToyGenerators.generate("product-sign", Map.of("events", "13", "seed", 5L)).size());
    assertEquals(10_000, ToyGenerators.generate("product-sign", null).size());
  }

  @Test
  void dataSetsAreImmutable() {
    ToyDataSet d = ToyGenerators.generate("two-prong-jets", Map.of("events", 10, "image_size", 8));
    float[] f = d.features();
    f[0] = -1;
    assertTrue(d.feature(0, 0) != -1);
    int[] l = d.labels();
    l[0] = 7;
    assertTrue(d.label(0) != 7);
    assertThrows(ReadOnlyBufferException.class, () -> d.featureBuffer().put(0, 1f));
    assertThrows(ReadOnlyBufferException.class, () -> d.images().orElseThrow().buffer().put(0, 1f));
    assertThrows(
        ReadOnlyBufferException.class, () -> d.particles().orElseThrow().buffer().put(0, 1f));
    float[] p = d.particles().orElseThrow().data();
    p[0] = -5;
    assertTrue(d.particles().orElseThrow().get(0, 0, 0) > 0);
    assertThrows(UnsupportedOperationException.class, () -> d.options().put("seed", "2"));
    assertEquals(
        List.of(10L, 1L, 8L, 8L),
        List.of(
            d.images().orElseThrow().shape()[0],
            d.images().orElseThrow().shape()[1],
            d.images().orElseThrow().shape()[2],
            d.images().orElseThrow().shape()[3]));
    String m = assertThrows(GlassboxException.class, () -> d.column("m_jet")).getMessage();
    assertTrue(m.contains("mass, pt, multiplicity"), m);
    m = assertThrows(GlassboxException.class, () -> d.observable("mt2_ll")).getMessage();
    assertTrue(m.contains("jet_eta, jet_phi"), m);
  }
}
