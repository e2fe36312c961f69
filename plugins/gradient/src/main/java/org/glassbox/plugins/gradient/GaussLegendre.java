package org.glassbox.plugins.gradient;

/**
 * Gauss–Legendre quadrature on [0, 1] for any number of nodes: the n nodes are the roots of the
 * Legendre polynomial P_n, found by Newton's method from Tricomi's initial guesses, with weights
 * 2 / ((1 − x²) P_n'(x)²), then mapped from [−1, 1] to [0, 1]. Exact for polynomials of degree up
 * to 2n − 1.
 */
final class GaussLegendre {
  private GaussLegendre() {}

  /** Nodes in increasing order and their weights (summing to 1). */
  record Rule(double[] nodes, double[] weights) {}

  static Rule onUnitInterval(int n) {
    if (n < 1) throw new IllegalArgumentException("Gauss-Legendre needs at least one node, got " + n);
    double[] nodes = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < (n + 1) / 2; i++) {
      // The i-th largest root of P_n.
      double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; iteration++) {
        double[] p = legendre(n, x);
        derivative = p[1];
        double dx = p[0] / derivative;
        x -= dx;
        if (Math.abs(dx) <= 1e-16 * Math.max(1, Math.abs(x))) break;
      }
      derivative = legendre(n, x)[1];
      double w = 2 / ((1 - x * x) * derivative * derivative);
      // x and -x on [-1, 1] map to (1 ± x) / 2 on [0, 1], each with weight w / 2.
      nodes[n - 1 - i] = (1 + x) / 2;
      nodes[i] = (1 - x) / 2;
      weights[n - 1 - i] = w / 2;
      weights[i] = w / 2;
    }
    if (n % 2 == 1) nodes[n / 2] = 0.5;
    return new Rule(nodes, weights);
  }

  /** P_n(x) and P_n'(x) by the three-term recurrence. */
  private static double[] legendre(int n, double x) {
    double p0 = 1;
    double p1 = x;
    for (int k = 2; k <= n; k++) {
      double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    double p = n == 0 ? 1 : p1;
    double previous = n == 0 ? 0 : p0;
    return new double[] {p, n * (x * p - previous) / (x * x - 1)};
  }

  /** The midpoint rule: nodes (k + ½) / n, weights 1 / n. */
  static Rule midpoint(int n) {
    double[] nodes = new double[n];
    double[] weights = new double[n];
    for (int k = 0; k < n; k++) {
      nodes[k] = (k + 0.5) / n;
      weights[k] = 1.0 / n;
    }
    return new Rule(nodes, weights);
  }
}
