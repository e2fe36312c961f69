package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/** Term fits, their readable form, the L1 combination and the statistics. */
class FitTest {

  @Test
  void sigmoidTermLearnsADiscAndSitsAtTheMinimumOfItsObjective() {
    // Targets: 1 inside the disc (v1 - 0.2)^2 + (v2 + 0.1)^2 < 0.3, 0 elsewhere, in [-1, 1]^2.
    SplittableRandom r = new SplittableRandom(2);
    int n = 3000;
    double[][] v = new double[n][2];
    double[] target = new double[n];
    for (int e = 0; e < n; e++) {
      v[e][0] = 2 * r.nextDouble() - 1;
      v[e][1] = 2 * r.nextDouble() - 1;
      double d = Math.pow(v[e][0] - 0.2, 2) + Math.pow(v[e][1] + 0.1, 2);
      target[e] = d < 0.3 ? 1 : 0;
    }
    Term t = TermFit.sigmoid(new int[] {0, 1}, v, target);
    assertTrue(t.interior());
    assertEquals(6, t.coefficients().length);
    int right = 0;
    for (int e = 0; e < n; e++) if ((t.atV(v[e]) > 0.5) == (target[e] == 1)) right++;
    assertTrue(right > 0.97 * n, right + " of " + n + " classified right");
    // Optimality: no coordinate move lowers the penalised cross-entropy.
    double[][] x = TermFit.design(t.exponents(), v);
    double best = TermFit.logisticLoss(x, target, t.coefficients());
    for (int j = 0; j < 6; j++) {
      for (double h : new double[] {1e-3, -1e-3}) {
        double[] moved = t.coefficients().clone();
        moved[j] += h;
        assertTrue(TermFit.logisticLoss(x, target, moved) >= best - 1e-12, "coefficient " + j);
      }
    }
  }

  @Test
  void boundaryTermIsMultilinearLeastSquares() {
    // Targets exactly 0.3 + 0.2 v1 - 0.5 v2 + 0.4 v1 v2 + 0.1 v3 - 0.2 v1 v3 + 0.05 v2 v3 - 0.3 v1 v2 v3.
    SplittableRandom r = new SplittableRandom(3);
    int n = 500;
    double[][] v = new double[n][3];
    double[] target = new double[n];
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < 3; j++) v[e][j] = 2 * r.nextDouble() - 1;
      double a = v[e][0];
      double b = v[e][1];
      double c = v[e][2];
      target[e] = 0.3 + 0.2 * a - 0.5 * b + 0.4 * a * b + 0.1 * c - 0.2 * a * c + 0.05 * b * c - 0.3 * a * b * c;
    }
    Term t = TermFit.multilinear(new int[] {0, 1, 2}, v, target);
    assertEquals(8, t.exponents().length);
    for (int[] e : t.exponents()) assertTrue(Arrays.stream(e).allMatch(p -> p <= 1), "no squares");
    for (int e = 0; e < n; e++) assertEquals(target[e], t.atV(v[e]), 1e-6);
  }

  @Test
  void readableFormIsThePolynomialInPhysicalUnits() {
    // Box [10, 30] x [-2, 2]: v1 = (x - 20)/10, v2 = y/2.
    Box box = new Box(new double[] {10, -2}, new double[] {30, 2});
    Term t = new Term(true, new int[] {0, 1}, Term.quadratic(2), new double[] {0.5, 1, -2, 3, 0.25, -1});
    // Brute force: sigmoid(0.5 + v1 - 2 v2 + 3 v1^2 + 0.25 v1 v2 - v2^2) expanded by hand.
    // 3 v1^2 = 0.03 (x - 20)^2 = 0.03 x^2 - 1.2 x + 12; 0.25 v1 v2 = 0.0125 x y - 0.25 y; -v2^2 = -0.25 y^2;
    // v1 = 0.1 x - 2; -2 v2 = -y. Constant 0.5 - 2 + 12 = 10.5; x: 0.1 - 1.2 = -1.1; y: -1 - 0.25 = -1.25.
    Map<List<Integer>, Double> p = t.physical(box);
    assertEquals(10.5, p.get(List.of(0, 0)), 1e-12);
    assertEquals(-1.1, p.get(List.of(1, 0)), 1e-12);
    assertEquals(-1.25, p.get(List.of(0, 1)), 1e-12);
    assertEquals(0.03, p.get(List.of(2, 0)), 1e-12);
    assertEquals(0.0125, p.get(List.of(1, 1)), 1e-12);
    assertEquals(-0.25, p.get(List.of(0, 2)), 1e-12);
    assertEquals("sigmoid(10.5 - 1.1*pt - 1.25*phi + 0.03*pt^2 + 0.0125*pt*phi - 0.25*phi^2)",
        t.readable(box, List.of("pt", "phi")));
    // The term at an event equals the printed polynomial there.
    float[] event = {17.5f, 0.75f};
    double s = 10.5 - 1.1 * 17.5 - 1.25 * 0.75 + 0.03 * 17.5 * 17.5 + 0.0125 * 17.5 * 0.75 - 0.25 * 0.75 * 0.75;
    assertEquals(Term.sigmoid(s), t.at(event, 0, box), 1e-12);
    Term boundary = new Term(false, new int[] {1}, Term.multilinear(1), new double[] {1, 1});
    assertEquals("(1 + 0.5*phi)", boundary.readable(box, List.of("pt", "phi")));
    assertEquals("1.23e7", Term.round(12_345_678));
    assertEquals("0.000123", Term.round(0.00012345));
    assertEquals("-2.5", Term.round(-2.5));
  }

  /** Weighted standardised columns, as the lasso sees them, computed here independently. */
  static double[][] standardise(double[][] columns, double[] w) {
    double sw = Arrays.stream(w).sum();
    double[][] out = new double[columns.length][];
    for (int k = 0; k < columns.length; k++) {
      double m = 0;
      for (int e = 0; e < w.length; e++) m += w[e] * columns[k][e] / sw;
      double v = 0;
      for (int e = 0; e < w.length; e++) v += w[e] * Math.pow(columns[k][e] - m, 2) / sw;
      out[k] = new double[w.length];
      for (int e = 0; e < w.length; e++) out[k][e] = (columns[k][e] - m) / Math.sqrt(v);
    }
    return out;
  }

  @Test
  void lassoKeepsAtMostTheAskedTermsAndSatisfiesItsOptimalityConditions() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 800;
    int k = 12;
    double[][] columns = new double[k][n];
    double[] z = new double[n];
    double[] w = new double[n];
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < k; j++) columns[j][e] = r.nextGaussian() * (1 + j) + (j == 5 ? columns[4][e] : 0);
      z[e] = 3 * columns[0][e] - 2 * columns[4][e] + 0.5 * columns[7][e] + 0.1 * columns[9][e] + r.nextGaussian();
      w[e] = 0.5 + r.nextDouble();
    }
    for (int terms : new int[] {1, 2, 3, 5}) {
      Lasso.Fit fit = Lasso.select(columns, z, w, terms, false);
      assertTrue(fit.selected().length <= terms && fit.selected().length >= 1, terms + ": " + fit.selected().length);
      // KKT on standardised columns: x_j'W(z - X b)/W = lambda sign(b_j) if b_j != 0, at most lambda otherwise.
      double[][] x = standardise(columns, w);
      double sw = Arrays.stream(w).sum();
      double zm = 0;
      for (int e = 0; e < n; e++) zm += w[e] * z[e] / sw;
      double[] b = new double[k];
      for (int s = 0; s < fit.selected().length; s++) b[fit.selected()[s]] = fit.standardised()[s];
      double[] residual = new double[n];
      for (int e = 0; e < n; e++) {
        residual[e] = z[e] - zm;
        for (int j = 0; j < k; j++) residual[e] -= b[j] * x[j][e];
      }
      for (int j = 0; j < k; j++) {
        double g = 0;
        for (int e = 0; e < n; e++) g += w[e] * x[j][e] * residual[e] / sw;
        if (b[j] != 0) assertEquals(fit.lambda() * Math.signum(b[j]), g, 1e-6, "kept " + j);
        else assertTrue(Math.abs(g) <= fit.lambda() + 1e-6, "dropped " + j);
      }
    }
    // The strongest standardised effects survive first: x4 (2 x sd 5 = 10) and x7 (0.5 x sd 8 = 4), not x0 (3 x 1).
    int[] two = Lasso.select(columns, z, w, 2, true).selected();
    assertEquals(Set.of(4, 7), Set.of(two[0], two[1]));
  }

  private static final class Set {
    static java.util.Set<Integer> of(int... v) {
      return new java.util.HashSet<>(Arrays.stream(v).boxed().toList());
    }
  }

  @Test
  void refitWithAllTermsIsOrdinaryLeastSquares() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 300;
    double[][] columns = new double[3][n];
    double[][] rows = new double[n][3];
    double[] z = new double[n];
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < 3; j++) rows[e][j] = columns[j][e] = r.nextDouble() * (j + 1) + j;
      z[e] = 1 + 2 * rows[e][0] - rows[e][1] + 0.5 * rows[e][2] + 0.3 * r.nextGaussian();
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(z, rows);
    double[] expected = ols.estimateRegressionParameters();
    for (Lasso.Fit fit : List.of(Lasso.select(columns, z, Stats.ones(n), 3, true),
        Lasso.leastSquares(columns, z, Stats.ones(n)))) {
      assertEquals(3, fit.selected().length);
      assertEquals(expected[0], fit.intercept(), 1e-8);
      for (int s = 0; s < 3; s++) assertEquals(expected[1 + fit.selected()[s]], fit.coefficients()[s], 1e-8);
    }
  }

  @Test
  void weightedStatistics() {
    double[] a = {1, 2, 3, 4};
    double[] b = {2, 4, 6, 8.5};
    assertEquals(1.0, Stats.correlation(a, a, null), 1e-12);
    assertEquals(-1.0, Stats.correlation(a, new double[] {4, 3, 2, 1}, null), 1e-12);
    // Weight 2 on an event is that event twice.
    double[] w = {1, 2, 1, 1};
    assertEquals(Stats.correlation(new double[] {1, 2, 2, 3, 4}, new double[] {2, 4, 4, 6, 8.5}, null),
        Stats.correlation(a, b, w), 1e-12);
    // AUC by pairs: signal scores {3, 1}, background {2, 0}, one tie counted half with a 1.
    double[] score = {3, 1, 2, 0, 1};
    int[] labels = {1, 1, 0, 0, 0};
    // pairs (s, b): (3,2) (3,0) (3,1) right; (1,2) wrong, (1,0) right, (1,1) tie: 4.5 of 6.
    assertEquals(4.5 / 6, Stats.auc(score, labels, null), 1e-12);
    assertEquals(Double.NaN, Stats.auc(score, new int[5], null));
    assertEquals(3.0, Stats.quantile(new double[] {4, 1, 3, 2}, null, 0.75), 0);
    // Sorted 1, 2, 3, 4 with weights 1, 1, 1, 5: cumulative 1, 2, 3, 8; 75 % of 8 is first reached at 4.
    assertEquals(4.0, Stats.quantile(new double[] {4, 1, 3, 2}, new double[] {5, 1, 1, 1}, 0.75), 0);
    assertEquals(2.0, Stats.quantile(new double[] {4, 1, 3, 2}, new double[] {1, 1, 1, 5}, 0.75), 0);
  }
}
