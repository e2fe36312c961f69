package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.glassbox.api.maximization.Population;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.Test;

/**
 * The product-sign example (seed 000 §2.5.1): the network outputs P(x·y > 0). Maximising it, the
 * population must fill the two signal quadrants, x·y > 0, and nothing else; the unrelated input
 * noise stays spread as it was drawn (seed 000: unimportant inputs keep their initial distribution).
 */
class ProductSignAscentTest {
  @Test
  void populationLiesInTheSignalQuadrants() {
    try (EngineModel model = EngineModel.load(Fixtures.productSignModel())) {
      Fixtures.Events data = Fixtures.productSign();
      Population p = new GradientAscentMethod().maximize(Fixtures.maximization(model, model.neuron("output"), data,
          Fixtures.options(AscentSettings.SPECS, Map.of()), 3));
      int m = p.points().events();
      assertEquals(1000, p.starts());
      assertTrue(m > 500, m + " of 1000 starts reached the threshold");
      int both = 0;
      int positive = 0;
      int negative = 0;
      int noiseHigh = 0;
      float[] x = p.points().data();
      for (int k = 0; k < m; k++) {
        float a = x[3 * k];
        float b = x[3 * k + 1];
        if (a * b > 0) both++;
        if (a > 0 && b > 0) positive++;
        if (a < 0 && b < 0) negative++;
        if (x[3 * k + 2] > 0) noiseHigh++;
        assertTrue(p.values()[k] >= 0.99f, "point " + k + " passed a threshold near 1: " + p.values()[k]);
      }
      assertEquals(m, both, "every point in a quadrant x*y > 0");
      assertTrue(positive > 0.3 * m && negative > 0.3 * m, positive + " in (+,+), " + negative + " in (-,-)");
      assertTrue(noiseHigh > 0.3 * m && noiseHigh < 0.7 * m, noiseHigh + " of " + m + " with noise > 0");
    }
  }
}
