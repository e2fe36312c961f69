package org.glassbox.plugins.ado;

/**
 * The naive reference: every measure by enumerating all signal × background pairs, straight from
 * the formulas (products of differences, Θ with ½ at 0), sharing no code with the library.
 */
final class BruteForce {
  private BruteForce() {}

  static double theta(double x) {
    return x > 0 ? 1 : x < 0 ? 0 : 0.5;
  }

  static double ado(double[] f, double[] g, boolean[] signal, double[] w) {
    double num = 0;
    double den = 0;
    for (int s = 0; s < f.length; s++) {
      if (!signal[s]) {
        continue;
      }
      for (int b = 0; b < f.length; b++) {
        if (signal[b]) {
          continue;
        }
        double pw = w[s] * w[b];
        num += pw * theta((f[s] - f[b]) * (g[s] - g[b]));
        den += pw;
      }
    }
    return num / den;
  }

  /** Mann-Whitney: fraction of pairs with the signal scoring higher, ties ½. */
  static double auc(double[] f, boolean[] signal, double[] w) {
    double num = 0;
    double den = 0;
    for (int s = 0; s < f.length; s++) {
      if (!signal[s]) {
        continue;
      }
      for (int b = 0; b < f.length; b++) {
        if (signal[b]) {
          continue;
        }
        double pw = w[s] * w[b];
        num += pw * theta(f[s] - f[b]);
        den += pw;
      }
    }
    return num / den;
  }

  /** Weight, count and mean of DO(h, g) over the pairs with (f_s - f_b)(g_s - g_b) < 0. */
  record Disagreement(double weight, long count, double alike) {
    double raw() {
      return alike / weight;
    }
  }

  static Disagreement disagreement(
      double[] f, double[] g, double[] h, boolean[] signal, double[] w) {
    double weight = 0;
    long count = 0;
    double alike = 0;
    for (int s = 0; s < f.length; s++) {
      if (!signal[s]) {
        continue;
      }
      for (int b = 0; b < f.length; b++) {
        if (signal[b] || (f[s] - f[b]) * (g[s] - g[b]) >= 0) {
          continue;
        }
        double pw = w[s] * w[b];
        weight += pw;
        count++;
        alike += pw * theta((h[s] - h[b]) * (g[s] - g[b]));
      }
    }
    return new Disagreement(weight, count, alike);
  }

  static double ams(double s, double b, double br) {
    return Math.sqrt(2 * ((s + b + br) * Math.log(1 + s / (b + br)) - s));
  }

  /** Best AMS over cuts at each distinct score, tightest first, each summed from scratch. */
  static double[] amsScan(double[] x, boolean[] signal, double[] w, boolean high) {
    double[] cuts = java.util.Arrays.stream(x).distinct().sorted().toArray();
    double best = -1;
    double[] result = null;
    for (int k = 0; k < cuts.length; k++) {
      double cut = high ? cuts[cuts.length - 1 - k] : cuts[k];
      double s = 0;
      double b = 0;
      for (int i = 0; i < x.length; i++) {
        boolean pass = high ? x[i] >= cut : x[i] <= cut;
        if (pass && signal[i]) {
          s += w[i];
        } else if (pass) {
          b += w[i];
        }
      }
      double ams = ams(s, b, 10);
      if (ams > best) {
        best = ams;
        result = new double[] {ams, cut, s, b};
      }
    }
    return result;
  }
}
