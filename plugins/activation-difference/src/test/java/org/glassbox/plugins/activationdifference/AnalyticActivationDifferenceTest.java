package org.glassbox.plugins.activationdifference;

import org.glassbox.testing.EngineModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.attribution.Attribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * analytic.onnx: z = 2·x0 + |x1| + 0·x2 with x uniform in [−1, 1]³, where the activation difference
 * has a closed form. For U, U' iid uniform in [−1, 1], E|U − U'| = 2/3; |U| is uniform in [0, 1], so
 * E||U| − |U'|| = 1/3. Hence
 *
 * <pre>AD_0 = 2·(2/3)/σ_z,  AD_1 = (1/3)/σ_z,  AD_2 = 0,  σ_z² = 4·Var U + Var |U| = 4/3 + 1/12.</pre>
 *
 * <p>The main check multiplies the estimate by the σ_z that the method reports (the sample σ of these
 * events, itself checked against a direct double-precision computation): AD_i·σ̂_z is then a plain
 * mean of |Δz| whose Monte-Carlo error is the reported standard error times σ̂_z, so a 4σ bound is
 * exact in distribution. A second, looser check uses the exact σ_z = √(17/12).
 */
class AnalyticActivationDifferenceTest {
  static final int N = 20_000;
  static EngineModel model;
  static EngineModel.Events data;
  static double[] z;

  @BeforeAll
  static void setUp() {
    model = EngineModel.load("analytic.onnx");
    SplittableRandom r = new SplittableRandom(20_240_601);
    float[] x = new float[N * 3];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    double[] w = new double[N];
    Arrays.fill(w, 1);
    data = new EngineModel.Events(FloatTensor.of(x, N, 3), List.of("x0", "x1", "x2"), w, Optional.empty());
    z = new double[N];
    for (int e = 0; e < N; e++) z[e] = 2.0 * x[3 * e] + Math.abs((double) x[3 * e + 1]);
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  @Test
  void matchesTheClosedForm() {
    Attribution a = model.run(new ActivationDifferenceMethod(), "output", data, Map.of("per_event", true), 5);
    assertEquals(List.of("x0", "x1", "x2"), a.features());

    // sigma_z: the population standard deviation of z over these events, computed here in double.
    double mean = Arrays.stream(z).average().orElseThrow();
    double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / N;
    double sigmaHat = a.summary().get("sigma_z").mean()[0];
    assertEquals(Math.sqrt(var), sigmaHat, 1e-5 * sigmaHat);
    double sigmaExact = Math.sqrt(4.0 / 3 + 1.0 / 12);
    assertEquals(sigmaExact, sigmaHat, 0.02 * sigmaExact, "sample sigma_z near the exact one");

    double[] v = a.values();
    double[] se = a.errors();
    double[] expectedMeanAbsDz = {4.0 / 3, 1.0 / 3, 0};
    for (int i = 0; i < 2; i++) {
      // Standard errors of 20,000 events: about 0.6 % of the value.
      assertTrue(se[i] > 0 && se[i] < 0.01 * v[i], "standard error " + se[i] + " of " + v[i]);
      double meanAbsDz = v[i] * sigmaHat;
      assertEquals(expectedMeanAbsDz[i], meanAbsDz, 4 * se[i] * sigmaHat, "E|dz| of x" + i);
      // Looser: against the exact sigma (adds the ~0.5 % sampling error of sigma_z).
      assertEquals(expectedMeanAbsDz[i] / sigmaExact, v[i], 4 * se[i] + 0.015 * v[i], "AD of x" + i);
    }
    // x2 is multiplied by exactly 0: every replacement leaves z unchanged, bit for bit.
    assertEquals(0.0, v[2]);
    assertEquals(0.0, se[2]);
    float[] perEvent = a.perEvent().orElseThrow().data();
    for (int e = 0; e < N; e++) assertEquals(0f, perEvent[3 * e + 2]);

    // The reported standard error is that of the mean of the per-event values.
    for (int i = 0; i < 3; i++) {
      double m = 0;
      for (int e = 0; e < N; e++) m += perEvent[3 * e + i];
      m /= N;
      double s2 = 0;
      for (int e = 0; e < N; e++) s2 += (perEvent[3 * e + i] - m) * (perEvent[3 * e + i] - m);
      assertEquals(Math.sqrt(s2 / N / (N - 1)), se[i], 1e-6 * Math.max(se[i], 1e-12));
    }
  }

  @Test
  void perEventValuesAreMeanAbsoluteDifferencesOverTheDraws() {
    // With S draws each per-event value is a mean of S terms |dz|/sigma; for x0 each term is
    // 2|x0 - x0'|/sigma <= 4/sigma, and its mean over events is still the closed form.
    Attribution a = model.run(new ActivationDifferenceMethod(), "output", data,
        Map.of("samples", 4, "per_event", true), 9);
    double sigma = a.summary().get("sigma_z").mean()[0];
    assertEquals(4.0, a.summary().get("samples").mean()[0]);
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {N, 3}, pe.shape());
    for (int e = 0; e < N; e++) {
      assertTrue(pe.data()[3 * e] >= 0 && pe.data()[3 * e] <= 4 / sigma + 1e-6);
      assertTrue(pe.data()[3 * e + 1] >= 0 && pe.data()[3 * e + 1] <= 1 / sigma + 1e-6);
    }
    double[] v = a.values();
    double[] se = a.errors();
    assertEquals(4.0 / 3, v[0] * sigma, 4 * se[0] * sigma);
    assertEquals(1.0 / 3, v[1] * sigma, 4 * se[1] * sigma);
  }

  @Test
  void aConstantNeuronScoresZero() {
    // Every event equal except in x2, which z ignores: sigma_z = 0 and every score is 0, not NaN.
    int n = 50;
    float[] x = new float[n * 3];
    for (int e = 0; e < n; e++) {
      x[3 * e] = 0.25f;
      x[3 * e + 1] = -0.5f;
      x[3 * e + 2] = e / 10f;
    }
    double[] w = new double[n];
    Arrays.fill(w, 1);
    var constant = new EngineModel.Events(FloatTensor.of(x, n, 3), List.of("a", "b", "c"), w, Optional.empty());
    Attribution a = model.run(new ActivationDifferenceMethod(), "output", constant, Map.of(), 1);
    assertEquals(0.0, a.summary().get("sigma_z").mean()[0]);
    assertArrayEquals(new double[] {0, 0, 0}, a.values());
  }
}
