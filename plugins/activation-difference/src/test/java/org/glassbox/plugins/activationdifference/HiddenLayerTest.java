package org.glassbox.plugins.activationdifference;

import org.glassbox.testing.EngineModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.attribution.Attribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hidden-layer mode ({@code layer: h1}) on mlp.onnx, checked two ways: against the method run on
 * mlp_tail.onnx, the same network from h1 on written independently by make_fixtures.py, with the
 * h1 activations (mlp_hidden.csv) as plain inputs; and against a brute-force computation of the
 * estimator's expectation: for every event and hidden neuron, the (weighted) mean of |Δz| over
 * every other event as donor, evaluated with mlp_tail in ONNX Runtime and summed in double.
 */
class HiddenLayerTest {
  static EngineModel mlp;
  static EngineModel tail;
  static EngineModel.Events data;
  static EngineModel.Events hidden;

  @BeforeAll
  static void setUp() {
    mlp = EngineModel.load("mlp.onnx");
    tail = EngineModel.load("mlp_tail.onnx");
    data = EngineModel.csv("mlp_data.csv", "weight");
    hidden = EngineModel.csv("mlp_hidden.csv", "weight");
  }

  @AfterAll
  static void tearDown() {
    mlp.close();
    tail.close();
  }

  @Test
  void layerModeEqualsTheTailModelOnTheHiddenActivations() {
    Map<String, Object> options = Map.of("layer", "h1", "layer_label", "L1", "samples", 3, "per_event", true);
    Attribution a = mlp.run(new ActivationDifferenceMethod(), "output", data, options, 42);
    Attribution b = tail.run(new ActivationDifferenceMethod(), "output", hidden, Map.of("samples", 3, "per_event", true),
        42);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 8; j++) names.add("L1N" + j);
    assertEquals(names, a.features());
    for (int[] inputs : a.inputsOf()) assertEquals(0, inputs.length, "hidden neurons involve no single model input");

    assertEquals(b.summary().get("sigma_z").mean()[0], a.summary().get("sigma_z").mean()[0], 1e-5);
    double[] va = a.values();
    double[] vb = b.values();
    for (int j = 0; j < 8; j++) assertEquals(vb[j], va[j], 1e-4 * vb[j] + 1e-7, "neuron " + j);
    // Same seed, same weights, same event order: the same donors, so event by event the same values
    // (up to the 7 significant digits of the CSV's activations).
    float[] pa = a.perEvent().orElseThrow().data();
    float[] pb = b.perEvent().orElseThrow().data();
    assertArrayEquals(new long[] {1000, 8}, a.perEvent().orElseThrow().shape());
    for (int k = 0; k < pa.length; k++) assertEquals(pb[k], pa[k], 2e-5 + 1e-4 * Math.abs(pb[k]), "entry " + k);
    // The features differ from each other (the test would pass trivially if all were 0).
    for (int j = 0; j < 8; j++) assertTrue(va[j] > 0.005, "neuron " + j + ": " + va[j]);
  }

  @Test
  void withoutLabelTheNeuronsAreNamedByTensor() {
    Attribution a = mlp.run(new ActivationDifferenceMethod(), "output", data, Map.of("layer", "h1"), 1);
    assertEquals("h1[0]", a.features().get(0));
    assertEquals("h1[7]", a.features().get(7));
  }

  @Test
  void matchesTheBruteForceExpectationWithWeights() {
    checkAgainstBruteForce(hidden.weights(), 10);
  }

  @Test
  void matchesTheBruteForceExpectationWithWeightsThatReshapeTheMarginals() {
    // Weights that depend on the activations (events with h0 > 0 count 8 times more, h3 scales the
    // rest): the weighted marginals p(h_i) that donors come from differ clearly from the plain ones,
    // so drawing donors uniformly would show.
    float[] h = hidden.inputs().data();
    double[] w = new double[hidden.events()];
    for (int e = 0; e < w.length; e++) w[e] = (h[8 * e] > 0 ? 4 : 0.5) * (1.5 + h[8 * e + 3]);
    checkAgainstBruteForce(w, 10);
  }

  @Test
  void matchesTheBruteForceExpectationWithNegativeWeights() {
    // Every 7th event gets a negative weight (as higher-order Monte Carlo produces): the donors then
    // carry the signed importance factor, and the estimate must still be unbiased.
    double[] w = hidden.weights().clone();
    for (int e = 0; e < w.length; e += 7) w[e] = -0.4 * w[e];
    checkAgainstBruteForce(w, 10);
  }

  /**
   * The exact expectation of the estimator given the data: for event n and neuron i,
   * E_n,i = Σ_{m≠n} w_m |z(h_n with h_n,i := h_m,i) − z(h_n)| / Σ_{m≠n} w_m, and AD_i = Σ_n w_n E_n,i /
   * (Σ_n w_n σ_z). The Monte-Carlo estimate with S draws scatters around it only by the donor draws;
   * its standard deviation is computed here from the same sums (drawing ∝ |w| with the factor
   * sign(w_m)·Σ|w| / Σw).
   */
  private static void checkAgainstBruteForce(double[] w, int samples) {
    var events = new EngineModel.Events(hidden.inputs(), hidden.featureNames(), w, Optional.empty());
    Attribution a = tail.run(new ActivationDifferenceMethod(), "output", events, Map.of("samples", samples), 3);

    float[] h = hidden.inputs().data();
    int n = hidden.events();
    int f = 8;
    float[] z0 = tail.value(tail.neuron("output"), hidden.inputs()).data();
    double sw = 0;
    double swz = 0;
    double swAbs = 0;
    for (int e = 0; e < n; e++) {
      sw += w[e];
      swAbs += Math.abs(w[e]);
      swz += w[e] * z0[e];
    }
    double meanZ = swz / sw;
    double var = 0;
    for (int e = 0; e < n; e++) var += w[e] * (z0[e] - meanZ) * (z0[e] - meanZ);
    double sigma = Math.sqrt(var / sw);
    assertEquals(sigma, a.summary().get("sigma_z").mean()[0], 1e-5 * sigma);

    double[] expectation = new double[f];
    double[] donorVariance = new double[f];
    float[] rows = new float[n * f * f];
    for (int e = 0; e < n; e++) {
      // Rows (i, m): event e with neuron i taken from donor m.
      for (int i = 0; i < f; i++) {
        for (int m = 0; m < n; m++) {
          int r = i * n + m;
          System.arraycopy(h, e * f, rows, r * f, f);
          rows[r * f + i] = h[m * f + i];
        }
      }
      float[] z = tail.value(tail.neuron("output"), FloatTensor.of(rows, (long) n * f, f)).data();
      double restAbs = swAbs - Math.abs(w[e]);
      double rest = sw - w[e];
      for (int i = 0; i < f; i++) {
        double mean = 0;
        double second = 0;
        for (int m = 0; m < n; m++) {
          if (m == e) continue;
          double d = Math.abs((double) z[i * n + m] - z0[e]);
          mean += w[m] * d;
          // The Monte-Carlo term is sign(w_m)·restAbs/rest·d, drawn with probability |w_m|/restAbs.
          double term = restAbs / rest * d;
          second += Math.abs(w[m]) / restAbs * term * term;
        }
        mean /= rest;
        expectation[i] += w[e] * mean;
        donorVariance[i] += w[e] * w[e] * (second - mean * mean) / samples;
      }
    }
    double[] v = a.values();
    for (int i = 0; i < f; i++) {
      double exact = expectation[i] / (sw * sigma);
      double sd = Math.sqrt(donorVariance[i]) / (sw * sigma);
      assertTrue(sd < 0.05 * exact, "donor spread " + sd + " of " + exact);
      assertEquals(exact, v[i], 4 * sd, "neuron " + i + ": brute force " + exact + " +- " + sd);
    }
  }
}
