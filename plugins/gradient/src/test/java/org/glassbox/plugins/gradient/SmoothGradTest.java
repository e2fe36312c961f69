package org.glassbox.plugins.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.attribution.Attribution;
import org.junit.jupiter.api.Test;

/** SmoothGrad: no noise is the gradient; seeded; on a quadratic its expectation is known exactly. */
class SmoothGradTest {
  static final SmoothGradMethod SG = new SmoothGradMethod();
  static final double[][] A = {{2, 0.5, -1, 0}, {0.5, -1, 0.3, 0.8}, {-1, 0.3, 0.5, 0.2}, {0, 0.8, 0.2, -3}};
  static final double[] B = {0.3, -0.2, 0.1, 1};

  /** Inputs of very different spreads (sd 1, 3, 0.2, 10), weights in [0.2, 2.2]. */
  static AnalyticModel.Events data(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] spread = {1, 3, 0.2, 10};
    float[] x = new float[n * 4];
    double[] w = new double[n];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < 4; i++) x[4 * e + i] = (float) (spread[i] * r.nextGaussian() + i);
      w[e] = 0.2 + 2 * r.nextDouble();
    }
    return AnalyticModel.Events.of(x, 4, w, null);
  }

  static float[] perEvent(Attribution a) {
    return a.perEvent().orElseThrow().data();
  }

  /** The weighted standard deviation of each input, computed here independently. */
  static double[] sigma(AnalyticModel.Events d) {
    int n = d.events();
    double[] s = new double[4];
    for (int i = 0; i < 4; i++) {
      double sw = 0;
      double m = 0;
      for (int e = 0; e < n; e++) {
        sw += d.weights()[e];
        m += d.weights()[e] * d.inputs().data()[4 * e + i];
      }
      m /= sw;
      double v = 0;
      for (int e = 0; e < n; e++) v += d.weights()[e] * Math.pow(d.inputs().data()[4 * e + i] - m, 2);
      s[i] = Math.sqrt(v / sw);
    }
    return s;
  }

  @Test
  void withoutNoiseItIsTheGradient() {
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(A, B);
    AnalyticModel.Events d = data(1, 300);
    float[] g = model.gradient(null, d.inputs()).data();
    float[] abs = g.clone();
    for (int k = 0; k < abs.length; k++) abs[k] = Math.abs(abs[k]);
    assertArrayEquals(g, perEvent(model.run(SG, d, Map.of("noise", 0.0, "per_event", true), 5)));
    assertArrayEquals(abs, perEvent(model.run(SG, d, Map.of("noise", 0.0, "absolute", true, "per_event", true), 5)));
    // And the score is then the gradient method's score.
    Attribution plain = model.run(new GradientMethod(), d, Map.of(), 0);
    assertArrayEquals(plain.values(), model.run(SG, d, Map.of("noise", 0.0), 5).values(), 0.0);
  }

  @Test
  void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
    AnalyticModel.Smooth model = new AnalyticModel.Smooth(new double[] {0.8, -0.5, 0.3, 0.1}, new double[] {0.4, 0.6, -0.7, 0.02});
    AnalyticModel.Events d = data(2, 300);
    float[] a = perEvent(model.run(SG, d, Map.of("per_event", true), 11));
    float[] b = perEvent(model.run(SG, d, Map.of("per_event", true), 11));
    float[] c = perEvent(model.run(SG, d, Map.of("per_event", true), 12));
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void allEventsAndSamplesGoInOneCallWhenTheyFit() {
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(A, B);
    model.run(SG, data(3, 2_000), Map.of("samples", 24), 0);
    assertEquals(List.of(48_000), model.gradientCalls);
    assertEquals(List.of(), model.valueCalls);
  }

  @Test
  void onAQuadraticTheNoiseAveragesOutToTheGradient() {
    // ∇z(x + ε) = ∇z(x) + Aε: the SmoothGrad value minus the gradient is A·ε̄, ε̄_j ~ N(0, (noise σ_j)² / S),
    // so each residual over its standard deviation sqrt(Σ_j A_ij² (noise σ_j)² / S) is a standard normal.
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(A, B);
    int n = 3_000;
    int samples = 16;
    double noise = 0.3;
    AnalyticModel.Events d = data(4, n);
    Attribution a = model.run(SG, d, Map.of("noise", noise, "samples", samples, "per_event", true), 7);
    float[] sg = perEvent(a);
    float[] g = model.gradient(null, d.inputs()).data();
    double[] sigma = sigma(d);
    double[] sd = new double[4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) sd[i] += A[i][j] * A[i][j] * noise * noise * sigma[j] * sigma[j];
      sd[i] = Math.sqrt(sd[i] / samples);
    }
    double sum = 0;
    double sumSquares = 0;
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < 4; i++) {
        double z = (sg[4 * e + i] - g[4 * e + i]) / sd[i];
        sum += z;
        sumSquares += z * z;
      }
    }
    int count = 4 * n;
    assertEquals(0, sum / count, 5 / Math.sqrt(count) * 2); // residuals of one event are correlated: a factor 2 of room
    assertEquals(1, sumSquares / count, 0.1);
    // The Monte Carlo standard error summary estimates the same spread, averaged over inputs.
    double expect = (sd[0] + sd[1] + sd[2] + sd[3]) / 4;
    assertEquals(expect, a.summary().get("Monte Carlo standard error (mean)").mean()[0], 0.05 * expect);
  }

  @Test
  void withAbsoluteOnAQuadraticItIsTheFoldedNormalMean() {
    // |∇z(x) + Aε|_i with (Aε)_i ~ N(0, s_i²): E = s √(2/π) exp(−μ²/2s²) + μ erf(μ / (s√2)), μ = ∂_i z(x).
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(A, B);
    int n = 3_000;
    int samples = 32;
    double noise = 0.5;
    AnalyticModel.Events d = data(5, n);
    float[] sg = perEvent(model.run(SG, d, Map.of("noise", noise, "samples", samples, "absolute", true,
        "per_event", true), 8));
    float[] g = model.gradient(null, d.inputs()).data();
    double[] sigma = sigma(d);
    double[] s = new double[4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) s[i] += A[i][j] * A[i][j] * noise * noise * sigma[j] * sigma[j];
      s[i] = Math.sqrt(s[i]);
    }
    double sumSquares = 0;
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < 4; i++) {
        double mu = g[4 * e + i];
        double mean = s[i] * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * s[i] * s[i])) + mu * erf(mu / (s[i] * Math.sqrt(2)));
        double variance = mu * mu + s[i] * s[i] - mean * mean;
        double z = (sg[4 * e + i] - mean) / Math.sqrt(variance / samples);
        sumSquares += z * z;
        assertTrue(sg[4 * e + i] >= Math.abs(mu) - 6 * Math.sqrt(variance / samples)); // Jensen, within noise
      }
    }
    assertEquals(1, sumSquares / (4 * n), 0.1);
  }

  @Test
  void theNoiseFollowsEachInputsWeightedSpread() {
    // A linear model has a constant gradient; the spread of x + ε shows in the Monte Carlo error of
    // a model whose gradient is the identity map (z = ½|x|², A = 1): sd of the value_i = noise σ_i / √S.
    double[][] identity = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(identity, new double[4]);
    AnalyticModel.Events d = data(6, 4_000);
    Attribution a = model.run(SG, d, Map.of("noise", 0.2, "samples", 1, "per_event", true), 9);
    float[] sg = perEvent(a);
    float[] x = d.inputs().data();
    double[] sigma = sigma(d);
    for (int i = 0; i < 4; i++) {
      double v = 0;
      for (int e = 0; e < 4_000; e++) v += Math.pow(sg[4 * e + i] - x[4 * e + i], 2);
      double measured = Math.sqrt(v / 4_000);
      assertEquals(0.2 * sigma[i], measured, 0.05 * 0.2 * sigma[i], "input " + i);
    }
    // One sample: no Monte Carlo error to report.
    assertFalse(a.summary().containsKey("Monte Carlo standard error (mean)"));
    assertEquals("mean |smoothgrad|", a.scoreName());
  }

  /** erf to about 1e-7 (Abramowitz and Stegun 7.1.26 is 1.5e-7; this series/continued form is enough here). */
  static double erf(double x) {
    double t = 1 / (1 + 0.5 * Math.abs(x));
    // Numerical Recipes erfc, fractional error below 1.2e-7 everywhere.
    double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return x >= 0 ? 1 - y : y - 1;
  }
}
