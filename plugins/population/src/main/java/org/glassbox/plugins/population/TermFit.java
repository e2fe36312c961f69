package org.glassbox.plugins.population;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Fits of one cluster's indicator (1 inside, 0 elsewhere; seed 000 Appendix A): both objectives are
 * convex, so their minimiser (what gradient descent converges to) is computed directly.
 */
final class TermFit {
  private TermFit() {}

  /** L2 penalty (not on the intercept) of the sigmoid fit: bounds the coefficients on separable clusters. */
  static final double RIDGE = 1e-5;
  /** L2 penalty of the boundary least-squares fit: only against exact collinearity. */
  static final double RIDGE_LINEAR = 1e-8;

  /**
   * Interior term: sigmoid(polynomial of degree 2) minimising the mean cross-entropy against the 0/1
   * targets plus (RIDGE/2)·|coefficients|², by Newton's method with step halving.
   */
  static Term sigmoid(int[] inputs, double[][] v, double[] target) {
    int[][] exponents = Term.quadratic(inputs.length);
    double[][] x = design(exponents, v);
    int n = x.length;
    int p = exponents.length;
    double[] beta = new double[p];
    double loss = logisticLoss(x, target, beta);
    for (int iteration = 0; iteration < 100; iteration++) {
      double[] gradient = new double[p];
      double[][] hessian = new double[p][p];
      for (int e = 0; e < n; e++) {
        double s = Term.sigmoid(dot(x[e], beta));
        double r = (s - target[e]) / n;
        double c = s * (1 - s) / n;
        for (int j = 0; j < p; j++) {
          gradient[j] += r * x[e][j];
          double cj = c * x[e][j];
          for (int k = j; k < p; k++) hessian[j][k] += cj * x[e][k];
        }
      }
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < j; k++) hessian[j][k] = hessian[k][j];
        if (j > 0) {
          gradient[j] += RIDGE * beta[j];
          hessian[j][j] += RIDGE;
        }
      }
      double[] delta = solve(hessian, gradient);
      double t = 1;
      double[] next = new double[p];
      double nextLoss;
      do {
        for (int j = 0; j < p; j++) next[j] = beta[j] - t * delta[j];
        nextLoss = logisticLoss(x, target, next);
        t /= 2;
      } while (nextLoss > loss + 1e-15 && t > 1e-6);
      if (!(nextLoss <= loss + 1e-15)) break;
      double change = 0;
      for (int j = 0; j < p; j++) change = Math.max(change, Math.abs(next[j] - beta[j]));
      System.arraycopy(next, 0, beta, 0, p);
      loss = nextLoss;
      if (change < 1e-9) break;
    }
    return new Term(true, inputs, exponents, beta);
  }

  /** The objective of {@link #sigmoid}: mean cross-entropy + (RIDGE/2)·|β without intercept|². */
  static double logisticLoss(double[][] x, double[] target, double[] beta) {
    double loss = 0;
    for (int e = 0; e < x.length; e++) {
      double s = dot(x[e], beta);
      // -y log σ(s) - (1-y) log(1-σ(s)) = log(1 + e^s) - y s, computed stably.
      double softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
      loss += softplus - target[e] * s;
    }
    loss /= x.length;
    for (int j = 1; j < beta.length; j++) loss += RIDGE / 2 * beta[j] * beta[j];
    return loss;
  }

  /** Boundary term: multilinear polynomial, no sigmoid, least squares against the 0/1 targets. */
  static Term multilinear(int[] inputs, double[][] v, double[] target) {
    int[][] exponents = Term.multilinear(inputs.length);
    double[][] x = design(exponents, v);
    int n = x.length;
    int p = exponents.length;
    double[][] gram = new double[p][p];
    double[] right = new double[p];
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < p; j++) {
        right[j] += x[e][j] * target[e] / n;
        for (int k = j; k < p; k++) gram[j][k] += x[e][j] * x[e][k] / n;
      }
    }
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < j; k++) gram[j][k] = gram[k][j];
      if (j > 0) gram[j][j] += RIDGE_LINEAR;
    }
    return new Term(false, inputs, exponents, solve(gram, right));
  }

  static double[][] design(int[][] exponents, double[][] v) {
    double[][] x = new double[v.length][];
    for (int e = 0; e < v.length; e++) x[e] = Term.features(exponents, v[e]);
    return x;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Solves A x = b (least-squares / minimum-norm for a singular A). */
  static double[] solve(double[][] a, double[] b) {
    RealVector x = new SingularValueDecomposition(new Array2DRowRealMatrix(a, true)).getSolver()
        .solve(new ArrayRealVector(b, true));
    return x.toArray();
  }
}
