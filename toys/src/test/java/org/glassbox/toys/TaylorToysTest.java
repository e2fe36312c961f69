package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.toys.TaylorToys.ClassModel;
import org.glassbox.toys.TaylorToys.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaylorToysTest {
  private static final int N = 40_000;

  /** Sample means and covariances of each class match the configured model within 5 sigma. */
  @ParameterizedTest
  @EnumSource(Scenario.class)
  void sampleMomentsMatchTheConfiguredModel(Scenario scenario) {
    TaylorToys.Options o = TaylorToys.Options.defaults(scenario).withEvents(N).withSeed(11);
    ToyDataSet d = new TaylorToys().generate(o);
    assertEquals(N / 2, d.signalCount());
    check(d, 1, TaylorToys.signalModel(o));
    check(d, 0, TaylorToys.backgroundModel(o));
  }

  private static void check(ToyDataSet d, int cls, ClassModel model) {
    double[] mu = model.mean();
    double[][] cov = model.covariance();
    double[] s = new double[2];
    double[][] s2 = new double[2][2];
    int n = 0;
    for (int i = 0; i < d.size(); i++) {
      if (d.label(i) != cls) continue;
      double[] x = {d.feature(i, 0), d.feature(i, 1)};
      for (int a = 0; a < 2; a++) {
        s[a] += x[a];
        for (int b = 0; b < 2; b++) s2[a][b] += x[a] * x[b];
      }
      n++;
    }
    for (int a = 0; a < 2; a++) {
      double mean = s[a] / n;
      double err = Math.sqrt(cov[a][a] / n);
      assertTrue(
          Math.abs(mean - mu[a]) < 5 * err,
          "class " + cls + " mean " + a + ": " + mean + " vs " + mu[a]);
    }
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double c = s2[a][b] / n - (s[a] / n) * (s[b] / n);
        // Var of the sample covariance of a bivariate normal: (σ_aa σ_bb + σ_ab²) / n.
        double err = Math.sqrt((cov[a][a] * cov[b][b] + cov[a][b] * cov[a][b]) / n);
        assertTrue(
            Math.abs(c - cov[a][b]) < 5 * err,
            "class " + cls + " cov[" + a + "][" + b + "]: " + c + " vs " + cov[a][b]);
      }
    }
  }

  @Test
  void scenariosSeparateByWhatTheyClaim() {
    TaylorToys.Options base = TaylorToys.Options.defaults(Scenario.MARGINAL);
    // Correlation: same marginals, opposite correlation.
    TaylorToys.Options c = base.withCorrelation(0.6);
    c =
        new TaylorToys.Options(
            c.events(), c.seed(), c.signalFraction(), Scenario.CORRELATION, 1, 0.6, 2);
    ClassModel sig = TaylorToys.signalModel(c);
    ClassModel bkg = TaylorToys.backgroundModel(c);
    assertEquals(sig.mean()[0], bkg.mean()[0]);
    assertEquals(sig.covariance()[0][0], bkg.covariance()[0][0]);
    assertEquals(0.6, sig.covariance()[0][1], 1e-15);
    assertEquals(-0.6, bkg.covariance()[0][1], 1e-15);
    // Width: same means, signal sigma = width_ratio.
    TaylorToys.Options w = TaylorToys.Options.defaults(Scenario.WIDTH).withWidthRatio(3);
    assertEquals(9, TaylorToys.signalModel(w).covariance()[1][1], 1e-12);
    assertEquals(1, TaylorToys.backgroundModel(w).covariance()[1][1], 1e-12);
    assertEquals(0, TaylorToys.signalModel(w).mean()[0]);
    // Marginal: means ±shift/2, no correlation.
    TaylorToys.Options m = base.withShift(2);
    assertEquals(1, TaylorToys.signalModel(m).mean()[1], 1e-15);
    assertEquals(-1, TaylorToys.backgroundModel(m).mean()[1], 1e-15);
    assertEquals(0, TaylorToys.signalModel(m).covariance()[0][1]);
  }

  @Test
  void parametersTheScenarioIgnoresAreRejectedWhenGiven() {
    GlassboxException e =
        assertThrows(
            GlassboxException.class,
            () -> new TaylorToys().generate(Map.of("scenario", "width", "correlation", 0.5)));
    assertTrue(e.getMessage().contains("'correlation'"), e.getMessage());
    assertTrue(e.getMessage().contains("correlation, mixed"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class,
            () -> new TaylorToys().generate(Map.of("scenario", "corelation")));
    assertTrue(e.getMessage().contains("'scenario'"), e.getMessage());
    assertTrue(e.getMessage().contains("marginal, correlation, width, mixed"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'correlation'"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class,
            () -> new TaylorToys().generate(Map.of("scenario", "correlation", "correlation", 1.0)));
    assertTrue(e.getMessage().contains("'correlation' must be in (0, 0.99]"), e.getMessage());
    // Given and used: fine.
    assertEquals(
        "0.3",
        new TaylorToys()
            .generate(Map.of("scenario", "mixed", "correlation", 0.3, "events", 10))
            .options()
            .get("correlation"));
  }
}
