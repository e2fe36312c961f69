package org.glassbox.plugins.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.attribution.Attribution;
import org.junit.jupiter.api.Test;

/** Integrated gradients against closed forms: linear models, a cubic, quadrature error rates. */
class IntegratedGradientsTest {
  static final IntegratedGradientsMethod IG = new IntegratedGradientsMethod();

  /** N events of F inputs in [-2, 2], weights in [0.2, 2.2], labels alternating 0, 1 (0 first). */
  static AnalyticModel.Events data(long seed, int n, int f) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * f];
    for (int k = 0; k < x.length; k++) x[k] = (float) (4 * r.nextDouble() - 2);
    double[] w = new double[n];
    int[] labels = new int[n];
    for (int e = 0; e < n; e++) {
      w[e] = 0.2 + 2 * r.nextDouble();
      labels[e] = e % 2;
    }
    return AnalyticModel.Events.of(x, f, w, labels);
  }

  static float[] perEvent(Attribution a) {
    return a.perEvent().orElseThrow().data();
  }

  @Test
  void aLinearModelGetsExactlyInputMinusBaselineTimesWeight() {
    AnalyticModel.Linear model = new AnalyticModel.Linear(0.7, 1.5, -2, 0.25);
    AnalyticModel.Events d = data(1, 500, 3);
    float[] x = d.inputs().data();
    double[] w = d.weights();
    // The weighted means over all events and over the label-0 events.
    double[] mean = new double[3];
    double[] background = new double[3];
    double sw = 0;
    double sb = 0;
    for (int e = 0; e < 500; e++) {
      sw += w[e];
      if (e % 2 == 0) sb += w[e];
      for (int i = 0; i < 3; i++) {
        mean[i] += w[e] * x[3 * e + i];
        if (e % 2 == 0) background[i] += w[e] * x[3 * e + i];
      }
    }
    for (int i = 0; i < 3; i++) {
      mean[i] /= sw;
      background[i] /= sb;
    }
    Map<String, double[]> baselines = Map.of("zeros", new double[3], "mean", mean, "background-mean", background);
    for (String rule : List.of("gauss-legendre", "riemann-midpoint")) {
      for (int steps : new int[] {1, 7, 32}) {
        for (var b : baselines.entrySet()) {
          Attribution a = model.run(IG, d, Map.of("baseline", b.getKey(), "rule", rule, "steps", steps, "per_event", true), 0);
          float[] pe = perEvent(a);
          for (int e = 0; e < 500; e++) {
            for (int i = 0; i < 3; i++) {
              double expect = (x[3 * e + i] - b.getValue()[i]) * model.w[i];
              assertEquals(expect, pe[3 * e + i], 1e-5 * (1 + Math.abs(expect)), rule + " " + steps + " " + b.getKey());
            }
          }
          assertTrue(a.summary().get("completeness gap (max)").mean()[0] < 1e-5, a.summary().toString());
        }
      }
    }
  }

  @Test
  void theMidpointRuleMissesACubicByItsThirdDerivativeOver24StepsSquared() {
    // Along the line the integrand f(α) = d·∇z is a quadratic; the midpoint rule's error is
    // exactly f''/(24 m²) = z'''/(24 m²) per event, so the gap falls as 1/m².
    AnalyticModel.Cubic model = new AnalyticModel.Cubic(1);
    AnalyticModel.Events d = data(2, 400, 3);
    float[] x = d.inputs().data();
    double previous = Double.NaN;
    for (int m : new int[] {2, 4, 8, 16}) {
      Attribution a = model.run(IG, d, Map.of("rule", "riemann-midpoint", "steps", m, "per_event", true), 0);
      float[] pe = perEvent(a);
      double sum = 0;
      double sw = 0;
      for (int e = 0; e < 400; e++) {
        double[] xe = {x[3 * e], x[3 * e + 1], x[3 * e + 2]};
        double gap = pe[3 * e] + pe[3 * e + 1] + pe[3 * e + 2] - (model.z(xe) - model.z(new double[3]));
        double expect = -model.thirdDerivative(xe) / (24.0 * m * m);
        assertEquals(expect, gap, 2e-5 * (1 + Math.abs(model.z(xe))), "event " + e + ", " + m + " steps");
        sum += d.weights()[e] * Math.abs(expect);
        sw += d.weights()[e];
      }
      double mean = a.summary().get("completeness gap (mean)").mean()[0];
      assertEquals(sum / sw, mean, 1e-4 * sum / sw + 1e-5);
      if (!Double.isNaN(previous)) assertEquals(4, previous / mean, 0.01);
      previous = mean;
    }
  }

  @Test
  void gaussLegendreIsExactForACubicFromTwoNodes() {
    // The integrand is a quadratic in α: two Gauss–Legendre nodes integrate it exactly, so each
    // attribution is the closed form d_i ∫ ∂_i z(x' + α d) dα (computed here with 3 nodes in double).
    AnalyticModel.Cubic model = new AnalyticModel.Cubic(0.5);
    AnalyticModel.Events d = data(3, 400, 3);
    float[] x = d.inputs().data();
    double[] t = {0.5 - Math.sqrt(0.15), 0.5, 0.5 + Math.sqrt(0.15)};
    double[] wt = {5 / 18.0, 8 / 18.0, 5 / 18.0};
    for (int steps : new int[] {2, 3, 32}) {
      Attribution a = model.run(IG, d, Map.of("steps", steps, "per_event", true, "baseline", "mean"), 0);
      float[] pe = perEvent(a);
      float[] base = IntegratedGradientsMethod.baseline("mean", contextFor(d));
      for (int e = 0; e < 400; e++) {
        double[] dir = new double[3];
        for (int i = 0; i < 3; i++) dir[i] = x[3 * e + i] - base[i];
        double[] integral = new double[3];
        for (int k = 0; k < 3; k++) {
          double[] p = new double[3];
          for (int i = 0; i < 3; i++) p[i] = base[i] + t[k] * dir[i];
          double[] g = model.grad(p);
          for (int i = 0; i < 3; i++) integral[i] += wt[k] * g[i];
        }
        for (int i = 0; i < 3; i++) {
          double expect = dir[i] * integral[i];
          assertEquals(expect, pe[3 * e + i], 2e-5 * (1 + Math.abs(expect)), "event " + e + " input " + i);
        }
      }
      assertTrue(a.summary().get("completeness gap (max)").mean()[0] < 1e-4, a.summary().toString());
    }
    // One node is the midpoint rule with one step: not exact.
    Attribution one = model.run(IG, d, Map.of("steps", 1), 0);
    assertTrue(one.summary().get("completeness gap (mean)").mean()[0] > 0.01);
  }

  @Test
  void onASmoothModelTheGapFallsAsOneOverStepsSquaredOrFasterWithGaussLegendre() {
    AnalyticModel.Smooth model = new AnalyticModel.Smooth(new double[] {0.8, -0.5, 0.3, 0.1}, new double[] {0.4, 0.6, -0.7, 0.2});
    AnalyticModel.Events d = data(4, 300, 4);
    double[] midpoint = new double[4];
    double[] gauss = new double[4];
    int[] steps = {8, 16, 32, 64};
    for (int k = 0; k < 4; k++) {
      midpoint[k] = model.run(IG, d, Map.of("rule", "riemann-midpoint", "steps", steps[k]), 0)
          .summary().get("completeness gap (mean)").mean()[0];
      gauss[k] = model.run(IG, d, Map.of("steps", steps[k]), 0).summary().get("completeness gap (mean)").mean()[0];
    }
    // Midpoint: 1/m² (measured 4.7e-4, 1.2e-4, 2.9e-5, 7.4e-6: ratios 4.00), until float32 rounding
    // (~2e-8 here) takes over.
    for (int k = 0; k < 3; k++) assertEquals(4, midpoint[k] / midpoint[k + 1], 0.05);
    // Gauss–Legendre at 8 nodes is already at the float32 floor, far below the midpoint rule at 64.
    assertTrue(gauss[0] < 1e-6 && gauss[0] < midpoint[3] / 10, gauss[0] + " vs " + midpoint[3]);

    // And the attributions agree with the integral done in double with 64 Gauss–Legendre nodes.
    GaussLegendre.Rule rule = GaussLegendre.onUnitInterval(64);
    float[] pe = perEvent(model.run(IG, d, Map.of("steps", 16, "per_event", true), 0));
    float[] x = d.inputs().data();
    for (int e = 0; e < 300; e++) {
      for (int i = 0; i < 4; i++) {
        double integral = 0;
        for (int k = 0; k < 64; k++) {
          double[] p = new double[4];
          for (int j = 0; j < 4; j++) p[j] = rule.nodes()[k] * x[4 * e + j];
          integral += rule.weights()[k] * model.grad(p)[i];
        }
        assertEquals(x[4 * e + i] * integral, pe[4 * e + i], 2e-6);
      }
    }
  }

  @Test
  void allEventsAndStepsGoInOneCallWhenTheyFit() {
    AnalyticModel.Cubic model = new AnalyticModel.Cubic(1);
    AnalyticModel.Events d = data(5, 1_000, 3);
    model.run(IG, d, Map.of("steps", 32), 0);
    assertEquals(List.of(32_000), model.gradientCalls);
    assertEquals(List.of(1_000, 1), model.valueCalls); // z(x) for all events, z(x') once
  }

  @Test
  void largeRunsAreChunkedByEventsWithTheSameResults() {
    // 90,000 events x 32 steps x 3 inputs = 8.6 M values > 2^23: two calls of whole events.
    AnalyticModel.Linear model = new AnalyticModel.Linear(0, 1, 2, 3);
    int n = 90_000;
    AnalyticModel.Events d = data(6, n, 3);
    Attribution all = model.run(IG, d, Map.of("per_event", true, "rule", "riemann-midpoint"), 0);
    int perCall = (1 << 23) / (32 * 3);
    assertEquals(List.of(perCall * 32, (n - perCall) * 32), model.gradientCalls);
    // The first 100 events alone (zeros baseline): the same numbers, bit for bit.
    AnalyticModel.Events head = new AnalyticModel.Events(d.inputs().slice(0, 100), d.featureNames(),
        java.util.Arrays.copyOf(d.weights(), 100), java.util.Optional.empty());
    float[] first = perEvent(new AnalyticModel.Linear(0, 1, 2, 3).run(IG, head, Map.of("per_event", true,
        "rule", "riemann-midpoint"), 0));
    assertArrayEquals(first, java.util.Arrays.copyOf(perEvent(all), 300));
  }

  @Test
  void scoresSummaryAndShapes() {
    AnalyticModel.Cubic model = new AnalyticModel.Cubic(1);
    AnalyticModel.Events d = data(7, 200, 3);
    Attribution a = model.run(IG, d, Map.of("per_event", true, "rule", "riemann-midpoint", "steps", 4), 0);
    assertEquals(List.of("x0", "x1", "x2"), a.features());
    assertEquals(List.of("signed mean (sum over features)", "completeness gap (mean)", "completeness gap (max)",
        "|z(x) - z(baseline)| (mean)"), List.copyOf(a.summary().keySet()));
    assertEquals("mean |integrated gradient|", a.scoreName());
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {200, 3}, pe.shape());
    double[] w = d.weights();
    double[] expect = new double[3];
    double sw = 0;
    double max = 0;
    float[] x = d.inputs().data();
    for (int e = 0; e < 200; e++) {
      for (int i = 0; i < 3; i++) expect[i] += w[e] * Math.abs(pe.data()[3 * e + i]);
      sw += w[e];
      double[] xe = {x[3 * e], x[3 * e + 1], x[3 * e + 2]};
      max = Math.max(max, Math.abs(model.thirdDerivative(xe)) / (24.0 * 16));
    }
    for (int i = 0; i < 3; i++) assertEquals(expect[i] / sw, a.values()[i], 1e-6 * expect[i] / sw);
    assertEquals(max, a.summary().get("completeness gap (max)").mean()[0], 1e-4 * max);
    // Without per_event the values are not kept.
    assertTrue(model.run(IG, d, Map.of(), 0).perEvent().isEmpty());
  }

  /** A context over the data alone (for the baseline helper). */
  static org.glassbox.api.attribution.AttributionContext contextFor(AnalyticModel.Events d) {
    return new org.glassbox.api.attribution.AttributionContext() {
      @Override
      public org.glassbox.api.ModelAccess model() {
        return null;
      }

      @Override
      public org.glassbox.api.Neuron neuron() {
        return null;
      }

      @Override
      public org.glassbox.api.EventData data() {
        return d;
      }

      @Override
      public org.glassbox.api.Options options() {
        return null;
      }

      @Override
      public long seed() {
        return 0;
      }
    };
  }

  /** The events of {@code d} with the inputs in {@code fixed} fed as they are (a mask, indices). */
  record WithFixed(AnalyticModel.Events d, java.util.BitSet held, FloatTensor ref) implements org.glassbox.api.EventData {
    WithFixed(AnalyticModel.Events d, java.util.BitSet held) {
      this(d, held, null);
    }

    @Override
    public java.util.Optional<FloatTensor> reference() {
      return java.util.Optional.ofNullable(ref);
    }

    @Override
    public FloatTensor inputs() {
      return d.inputs();
    }

    @Override
    public List<String> featureNames() {
      return d.featureNames();
    }

    @Override
    public double[] weights() {
      return d.weights();
    }

    @Override
    public java.util.Optional<int[]> labels() {
      return d.labels();
    }

    @Override
    public java.util.BitSet fixed() {
      return (java.util.BitSet) held.clone();
    }
  }

  @Test
  void anInputFedAsItIsStaysAtTheEventsValueAlongThePath() {
    // z = 1/2 x'Ax + b.x: the gradient is linear in x, so one Gauss-Legendre node (the midpoint) is exact.
    double[][] a = {{1, 2, -1}, {2, -3, 0.5}, {-1, 0.5, 2}};
    double[] b = {0.3, -1, 2};
    AnalyticModel.Quadratic model = new AnalyticModel.Quadratic(a, b);
    AnalyticModel.Events d = data(4, 200, 3);
    java.util.BitSet held = new java.util.BitSet();
    held.set(2);
    Attribution ig = model.run(IG, new WithFixed(d, held), Map.of("baseline", "zeros", "steps", 1, "per_event", true), 0);
    float[] pe = perEvent(ig);
    float[] x = d.inputs().data();
    for (int e = 0; e < 200; e++) {
      double[] xe = {x[3 * e], x[3 * e + 1], x[3 * e + 2]};
      double[] mid = {xe[0] / 2, xe[1] / 2, xe[2]};
      double[] g = model.grad(mid);
      for (int i = 0; i < 2; i++) assertEquals(xe[i] * g[i], pe[3 * e + i], 1e-4 * (1 + Math.abs(xe[i] * g[i])), "event " + e);
      assertEquals(0f, pe[3 * e + 2], "the held input is not attributed");
      // Completeness against the baseline that keeps the held input: z(x) - z(0, 0, x2).
      double gap = pe[3 * e] + pe[3 * e + 1] - (model.z(xe) - model.z(new double[] {0, 0, xe[2]}));
      assertEquals(0, gap, 1e-4 * (1 + Math.abs(model.z(xe))), "completeness, event " + e);
    }
    assertTrue(ig.summary().get("completeness gap (max)").mean()[0] < 1e-4, ig.summary().toString());
  }

  @Test
  void aPerEventReferenceIsEachEventsOwnStartingPoint() {
    AnalyticModel.Linear model = new AnalyticModel.Linear(0.5, 2, -1, 0.75);
    AnalyticModel.Events d = data(6, 300, 3);
    float[] ref = data(7, 300, 3).inputs().data();
    java.util.BitSet held = new java.util.BitSet();
    held.set(1);
    Attribution a = model.run(IG, new WithFixed(d, held, FloatTensor.of(ref, 300, 3)), Map.of("baseline", "reference", "steps", 3,
        "per_event", true), 0);
    float[] pe = perEvent(a);
    float[] x = d.inputs().data();
    for (int k = 0; k < pe.length; k++) {
      int i = k % 3;
      double expect = i == 1 ? 0 : (x[k] - ref[k]) * model.w[i];
      assertEquals(expect, pe[k], 1e-5 * (1 + Math.abs(expect)), "value " + k);
    }
    assertTrue(a.summary().get("completeness gap (max)").mean()[0] < 1e-5, a.summary().toString());
  }
}
