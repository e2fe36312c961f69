package org.glassbox.plugins.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gauss–Legendre nodes and weights against tabulated values and its degree of exactness. */
class GaussLegendreTest {
  @Test
  void tabulatedRules() {
    GaussLegendre.Rule one = GaussLegendre.onUnitInterval(1);
    assertArrayEquals(new double[] {0.5}, one.nodes(), 1e-15);
    assertArrayEquals(new double[] {1}, one.weights(), 1e-15);
    // ±1/√3 on [-1, 1], weights 1.
    GaussLegendre.Rule two = GaussLegendre.onUnitInterval(2);
    assertArrayEquals(new double[] {(1 - 1 / Math.sqrt(3)) / 2, (1 + 1 / Math.sqrt(3)) / 2}, two.nodes(), 1e-15);
    assertArrayEquals(new double[] {0.5, 0.5}, two.weights(), 1e-15);
    // 0, ±√(3/5); weights 8/9, 5/9.
    GaussLegendre.Rule three = GaussLegendre.onUnitInterval(3);
    double r = Math.sqrt(0.6);
    assertArrayEquals(new double[] {(1 - r) / 2, 0.5, (1 + r) / 2}, three.nodes(), 1e-15);
    assertArrayEquals(new double[] {5 / 18.0, 8 / 18.0, 5 / 18.0}, three.weights(), 1e-15);
    // 5 nodes: 0, ±(1/3)√(5 − 2√(10/7)), ±(1/3)√(5 + 2√(10/7)); weights 128/225, (322 ± 13√70)/900.
    GaussLegendre.Rule five = GaussLegendre.onUnitInterval(5);
    double a = Math.sqrt(5 - 2 * Math.sqrt(10 / 7.0)) / 3;
    double b = Math.sqrt(5 + 2 * Math.sqrt(10 / 7.0)) / 3;
    assertArrayEquals(new double[] {(1 - b) / 2, (1 - a) / 2, 0.5, (1 + a) / 2, (1 + b) / 2}, five.nodes(), 1e-15);
    double wa = (322 + 13 * Math.sqrt(70)) / 900;
    double wb = (322 - 13 * Math.sqrt(70)) / 900;
    assertArrayEquals(new double[] {wb / 2, wa / 2, 128 / 450.0, wa / 2, wb / 2}, five.weights(), 1e-15);
  }

  @Test
  void nNodesIntegrateEveryPolynomialUpToDegree2nMinus1Exactly() {
    for (int n : new int[] {1, 2, 4, 7, 16, 32, 100, 257}) {
      GaussLegendre.Rule rule = GaussLegendre.onUnitInterval(n);
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += rule.weights()[k];
        assertTrue(rule.nodes()[k] > 0 && rule.nodes()[k] < 1);
        if (k > 0) assertTrue(rule.nodes()[k] > rule.nodes()[k - 1]);
      }
      assertEquals(1, sum, 1e-13);
      // ∫_0^1 (2t − 1)^p dt = 1/(p + 1) for even p, 0 for odd p; centred to keep the check well conditioned.
      for (int p = 0; p <= Math.min(2 * n - 1, 60); p++) {
        double q = 0;
        for (int k = 0; k < n; k++) q += rule.weights()[k] * Math.pow(2 * rule.nodes()[k] - 1, p);
        assertEquals(p % 2 == 0 ? 1.0 / (p + 1) : 0, q, 1e-13, n + " nodes, degree " + p);
      }
      // Degree 2n is not exact (the error, 2^(2n) (n!)^4 / ((2n + 1) ((2n)!)^2), is visible up to about 7 nodes).
      if (n <= 7) {
        double q = 0;
        for (int k = 0; k < n; k++) q += rule.weights()[k] * Math.pow(2 * rule.nodes()[k] - 1, 2 * n);
        assertTrue(Math.abs(q - 1.0 / (2 * n + 1)) > 1e-6, n + " nodes");
      }
    }
  }

  @Test
  void theMidpointRule() {
    GaussLegendre.Rule m = GaussLegendre.midpoint(4);
    assertArrayEquals(new double[] {0.125, 0.375, 0.625, 0.875}, m.nodes(), 0);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, m.weights(), 0);
  }
}
