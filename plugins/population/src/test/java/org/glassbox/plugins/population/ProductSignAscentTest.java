package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.api.Options;
import org.glassbox.api.maximization.Population;
import org.glassbox.api.maximization.StartSlice;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * The starts climbed in parts (as a cluster's tasks climb them), the parts' populations laid end to
   * end, are the population of all the starts climbed at once: every start is drawn from its own
   * generator and climbs on its own.
   */
  @ParameterizedTest(name = "init {0}, {1} parts")
  @CsvSource({"uniform, 3", "uniform, 7", "data, 3", "data, 7"})
  void partsOfTheStartsLaidEndToEndAreThePopulationOfAll(String init, int parts) {
    try (EngineModel model = EngineModel.load(Fixtures.productSignModel())) {
      Fixtures.Events data = Fixtures.productSign();
      Options o = Fixtures.options(AscentSettings.SPECS, Map.of("starts", 150, "init", init));
      GradientAscentMethod method = new GradientAscentMethod();
      assertTrue(method.climbsStartSlices());
      Population all = method.maximize(Fixtures.maximization(model, model.neuron("output"), data, o, 3));
      List<Population> pieces = new ArrayList<>();
      int starts = 0;
      for (int p = 0; p < parts; p++) {
        Population piece = method.maximize(Fixtures.maximization(model, model.neuron("output"), data, o, 3,
            new StartSlice(p, parts)));
        assertEquals(new StartSlice(p, parts).to(150) - new StartSlice(p, parts).from(150), piece.starts());
        starts += piece.starts();
        pieces.add(piece);
      }
      assertEquals(all.starts(), starts);
      int m = all.points().events();
      assertTrue(m > 50, m + " reached");
      float[] points = new float[0];
      float[] values = new float[0];
      boolean[] boundary = new boolean[0];
      for (Population p : pieces) {
        points = concat(points, p.points().data());
        values = concat(values, p.values());
        boolean[] b = new boolean[boundary.length + p.onBoundary().length];
        System.arraycopy(boundary, 0, b, 0, boundary.length);
        System.arraycopy(p.onBoundary(), 0, b, boundary.length, p.onBoundary().length);
        boundary = b;
      }
      assertArrayEquals(all.points().data(), points);
      assertArrayEquals(all.values(), values);
      assertArrayEquals(all.onBoundary(), boundary);
      assertEquals(all.features(), pieces.get(0).features());
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
