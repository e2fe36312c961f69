package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.EventData;
import org.glassbox.api.Progress;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.Test;

/**
 * Gradient ascent on a model with an input fed as it is (a mask, indices; here the product-sign
 * network's decoy input declared so): every start takes that input from a data event, unclamped by
 * the box, and keeps it while the other inputs climb; it never puts a start "on the boundary".
 */
class FixedInputsAscentTest {
  @Test
  void aFixedInputKeepsItsEventsValueOutsideTheBox() {
    Fixtures.Events events = Fixtures.productSign();
    BitSet held = new BitSet();
    held.set(2);
    EventData data = EngineModel.withFixed(events, held);
    Set<Float> noise = new HashSet<>();
    float[] x = events.inputs().data();
    for (int e = 0; e < events.inputs().events(); e++) noise.add(x[3 * e + 2]);
    AscentSettings s = AscentSettings.from(Fixtures.options(AscentSettings.SPECS, Map.of("starts", 200, "init", "data",
        "box_low", List.of(-0.3), "box_high", List.of(0.3), "threshold_scale", "value", "threshold", 0.99)));
    try (EngineModel model = EngineModel.load(Fixtures.productSignModel())) {
      GradientAscent.Result r = GradientAscent.run(model, model.neuron("output"), data, s, 5, Progress.NONE, null);
      int outside = 0;
      for (int k = 0; k < 200; k++) {
        float start = r.starts()[3 * k + 2];
        assertTrue(noise.contains(start), "start " + k + " takes the held input from a data event: " + start);
        assertEquals(start, r.ends()[3 * k + 2], "start " + k + " keeps it while climbing");
        if (Math.abs(start) > 0.3) outside++;
        assertTrue(Math.abs(r.starts()[3 * k]) <= 0.3 + 1e-6 && Math.abs(r.starts()[3 * k + 1]) <= 0.3 + 1e-6,
            "the climbing inputs start inside the box");
      }
      assertTrue(outside > 50, "noise is uniform in [-1, 1]: most held values lie outside the box, and stay: " + outside);
      // On the boundary means a climbing input is: the held one, outside the box, never counts.
      for (int k = 0; k < 200; k++) {
        boolean climbing = r.box().onBoundary(0, r.ends()[3 * k], s.step()) || r.box().onBoundary(1, r.ends()[3 * k + 1], s.step());
        assertEquals(climbing, r.onBoundary()[k], "start " + k);
      }
    }
  }
}
