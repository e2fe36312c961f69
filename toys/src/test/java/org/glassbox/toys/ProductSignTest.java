package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProductSignTest {
  private static final int N = 40_000;
  private static final ToyDataSet DATA =
      new ProductSign().generate(ProductSign.Options.defaults().withEvents(N).withSeed(7));

  @Test
  void labelIsTheSignOfTheProduct() {
    for (int i = 0; i < N; i++) {
      double x = DATA.feature(i, 0);
      double y = DATA.feature(i, 1);
      assertTrue(x != 0 && y != 0 && Math.abs(x) <= 1 && Math.abs(y) <= 1, "point " + i);
      assertEquals(x * y > 0 ? 1 : 0, DATA.label(i), "event " + i);
    }
  }

  @Test
  void classesAreExactlyBalancedAndQuadrantsWithinStatistics() {
    assertEquals(N / 2, DATA.signalCount());
    int[] quadrant = new int[4];
    for (int i = 0; i < N; i++) {
      int q = (DATA.feature(i, 0) > 0 ? 0 : 1) + (DATA.feature(i, 1) > 0 ? 0 : 2);
      quadrant[q]++;
    }
    // Each quadrant is half of one class: binomial(N/2, 1/2), sigma = sqrt(N/8).
    double sigma = Math.sqrt(N / 8.0);
    for (int q = 0; q < 4; q++) {
      assertTrue(Math.abs(quadrant[q] - N / 4.0) < 4 * sigma, "quadrant " + q + ": " + quadrant[q]);
    }
  }

  @Test
  void eachFeatureAloneIsUniformForBothClasses() {
    // Uniform on [-1, 1]: mean 0, variance 1/3, whatever the label.
    for (int f = 0; f < 2; f++) {
      for (int cls = 0; cls < 2; cls++) {
        double s = 0;
        double s2 = 0;
        int n = 0;
        for (int i = 0; i < N; i++) {
          if (DATA.label(i) != cls) continue;
          double v = DATA.feature(i, f);
          s += v;
          s2 += v * v;
          n++;
        }
        double mean = s / n;
        assertTrue(Math.abs(mean) < 4 * Math.sqrt(1 / 3.0 / n), "mean " + mean);
        double var = s2 / n - mean * mean;
        // Var of x² for uniform[-1,1] is 4/45.
        assertTrue(Math.abs(var - 1 / 3.0) < 4 * Math.sqrt(4 / 45.0 / n), "variance " + var);
      }
    }
  }

  @Test
  void signalFractionGivesTheExactCount() {
    ToyDataSet d =
        new ProductSign()
            .generate(ProductSign.Options.defaults().withEvents(1001).withSignalFraction(0.3));
    assertEquals(300, d.signalCount());
    for (int i = 0; i < d.size(); i++) {
      assertEquals(d.feature(i, 0) * d.feature(i, 1) > 0 ? 1 : 0, d.label(i));
    }
  }
}
