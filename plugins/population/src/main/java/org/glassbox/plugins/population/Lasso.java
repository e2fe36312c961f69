package org.glassbox.plugins.population;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weighted linear fits of z on columns (caveman terms or inputs): the L1-penalised fit of seed 000
 * Appendix A, with its strength chosen to leave at most a given number of terms, then (optionally)
 * an unpenalised refit of the kept terms.
 *
 * <p>On standardised columns x̃_k = (t_k − mean_k)/sd_k and centred z̃, the penalised objective is
 * (1/2W)·Σ w (z̃ − Σ β_k x̃_k)² + λ·Σ|β_k|, minimised by coordinate descent on the weighted Gram
 * matrix (a convex problem: the same minimiser gradient descent approaches).
 */
final class Lasso {
  private Lasso() {}

  /**
   * @param selected indices of the kept columns, most important first (by |standardised coefficient|)
   * @param coefficients their coefficients in the columns' own units
   * @param standardised their coefficients on standardised columns (the effect of one standard deviation)
   * @param intercept the constant
   * @param lambda the L1 strength that selected them (0 for a plain least-squares fit)
   */
  record Fit(int[] selected, double[] coefficients, double[] standardised, double intercept, double lambda) {
    double predict(double[][] columns, int event) {
      double s = intercept;
      for (int k = 0; k < selected.length; k++) s += coefficients[k] * columns[selected[k]][event];
      return s;
    }
  }

  /** Weighted moments and the standardised Gram matrix of the columns with positive spread. */
  private record Problem(int[] usable, double[] mean, double[] sd, double zMean, double[][] gram, double[] c) {}

  private static Problem problem(double[][] columns, double[] z, double[] w) {
    int n = z.length;
    double sw = 0;
    double zMean = 0;
    for (int e = 0; e < n; e++) {
      sw += w[e];
      zMean += w[e] * z[e];
    }
    zMean /= sw;
    List<Integer> usable = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    List<Double> sds = new ArrayList<>();
    for (int k = 0; k < columns.length; k++) {
      double m = 0;
      for (int e = 0; e < n; e++) m += w[e] * columns[k][e];
      m /= sw;
      double v = 0;
      for (int e = 0; e < n; e++) v += w[e] * (columns[k][e] - m) * (columns[k][e] - m);
      double sd = Math.sqrt(Math.max(v / sw, 0));
      double scale = Math.max(Math.abs(m), 1e-300);
      if (sd > 1e-9 * Math.max(scale, 1e-3)) {
        usable.add(k);
        means.add(m);
        sds.add(sd);
      }
    }
    int p = usable.size();
    double[][] x = new double[p][n];
    double[] mean = new double[p];
    double[] sd = new double[p];
    for (int j = 0; j < p; j++) {
      mean[j] = means.get(j);
      sd[j] = sds.get(j);
      double[] col = columns[usable.get(j)];
      for (int e = 0; e < n; e++) x[j][e] = (col[e] - mean[j]) / sd[j];
    }
    double[][] gram = new double[p][p];
    double[] c = new double[p];
    double[] wx = new double[n];
    for (int j = 0; j < p; j++) {
      for (int e = 0; e < n; e++) wx[e] = w[e] * x[j][e];
      double cj = 0;
      for (int e = 0; e < n; e++) cj += wx[e] * (z[e] - zMean);
      c[j] = cj / sw;
      for (int k = j; k < p; k++) {
        double g = 0;
        double[] xk = x[k];
        for (int e = 0; e < n; e++) g += wx[e] * xk[e];
        gram[j][k] = g / sw;
        gram[k][j] = gram[j][k];
      }
    }
    return new Problem(usable.stream().mapToInt(Integer::intValue).toArray(), mean, sd, zMean, gram, c);
  }

  /**
   * Lasso with the smallest penalty that keeps at most {@code maxTerms} columns (a path of 200
   * penalties from the largest useful one down to 1e-6 of it, then bisection), followed by an
   * unpenalised refit of the kept columns when {@code refit}.
   */
  static Fit select(double[][] columns, double[] z, double[] w, int maxTerms, boolean refit) {
    Problem pr = problem(columns, z, w);
    int p = pr.usable.length;
    double lambdaMax = 0;
    for (double v : pr.c) lambdaMax = Math.max(lambdaMax, Math.abs(v));
    if (p == 0 || !(lambdaMax > 0)) return finish(pr, new double[p], 0, false);
    double[] beta = new double[p];
    double[] good = new double[p];
    double goodLambda = lambdaMax;
    double badLambda = Double.NaN;
    int grid = 200;
    for (int t = 0; t < grid; t++) {
      double lambda = lambdaMax * Math.pow(1e-6, (double) t / (grid - 1));
      descend(pr.gram, pr.c, beta, lambda);
      if (nonZero(beta) > maxTerms) {
        badLambda = lambda;
        break;
      }
      good = beta.clone();
      goodLambda = lambda;
    }
    if (!Double.isNaN(badLambda)) {
      for (int b = 0; b < 40; b++) {
        double lambda = Math.sqrt(goodLambda * badLambda);
        beta = good.clone();
        descend(pr.gram, pr.c, beta, lambda);
        if (nonZero(beta) > maxTerms) {
          badLambda = lambda;
        } else {
          good = beta;
          goodLambda = lambda;
        }
      }
    }
    return finish(pr, good, goodLambda, refit);
  }

  /** Plain weighted least squares on all columns with positive spread. */
  static Fit leastSquares(double[][] columns, double[] z, double[] w) {
    Problem pr = problem(columns, z, w);
    double[] beta = new double[pr.usable.length];
    Arrays.fill(beta, 1); // all "selected": refit solves on every column
    return finish(pr, beta, 0, true);
  }

  private static Fit finish(Problem pr, double[] beta, double lambda, boolean refit) {
    List<Integer> kept = new ArrayList<>();
    for (int j = 0; j < beta.length; j++) if (beta[j] != 0) kept.add(j);
    int s = kept.size();
    double[] b = new double[s];
    if (refit && s > 0) {
      double[][] g = new double[s][s];
      double[] c = new double[s];
      for (int a = 0; a < s; a++) {
        c[a] = pr.c[kept.get(a)];
        for (int d = 0; d < s; d++) g[a][d] = pr.gram[kept.get(a)][kept.get(d)];
      }
      b = TermFit.solve(g, c);
    } else {
      for (int a = 0; a < s; a++) b[a] = beta[kept.get(a)];
    }
    Integer[] order = new Integer[s];
    for (int a = 0; a < s; a++) order[a] = a;
    final double[] bb = b;
    Arrays.sort(order, (x, y) -> Double.compare(Math.abs(bb[y]), Math.abs(bb[x])));
    int[] selected = new int[s];
    double[] coefficients = new double[s];
    double[] standardised = new double[s];
    double intercept = pr.zMean;
    for (int r = 0; r < s; r++) {
      int j = kept.get(order[r]);
      selected[r] = pr.usable[j];
      standardised[r] = b[order[r]];
      coefficients[r] = b[order[r]] / pr.sd[j];
      intercept -= coefficients[r] * pr.mean[j];
    }
    return new Fit(selected, coefficients, standardised, intercept, lambda);
  }

  /** Coordinate descent on (1/2)βᵀGβ − cᵀβ + λ|β|₁ from the given β (warm start), in place. */
  static void descend(double[][] gram, double[] c, double[] beta, double lambda) {
    int p = c.length;
    double[] q = new double[p]; // G β
    for (int j = 0; j < p; j++) {
      if (beta[j] == 0) continue;
      for (int k = 0; k < p; k++) q[k] += gram[k][j] * beta[j];
    }
    for (int sweep = 0; sweep < 10_000; sweep++) {
      double change = 0;
      for (int j = 0; j < p; j++) {
        double gjj = gram[j][j];
        double r = c[j] - q[j] + gjj * beta[j];
        double next = Math.abs(r) <= lambda ? 0 : (r - Math.signum(r) * lambda) / gjj;
        double delta = next - beta[j];
        if (delta != 0) {
          for (int k = 0; k < p; k++) q[k] += gram[k][j] * delta;
          beta[j] = next;
          change = Math.max(change, Math.abs(delta));
        }
      }
      if (change < 1e-10) return;
    }
  }

  static int nonZero(double[] beta) {
    int n = 0;
    for (double b : beta) if (b != 0) n++;
    return n;
  }
}
