package org.glassbox.plugins.efp;

/** x^p for x ≥ 0, avoiding {@link Math#pow} for the exponents EFP grids use most. */
final class Powers {
  private Powers() {}

  static double power(double x, double p) {
    if (p == 1) {
      return x;
    } else if (p == 2) {
      return x * x;
    } else if (p == 0.5) {
      return Math.sqrt(x);
    } else if (p == 0) {
      return 1;
    } else if (p == 0.25) {
      return Math.sqrt(Math.sqrt(x));
    } else if (p == -1) {
      return 1 / x;
    } else if (p == 1.5) {
      return x * Math.sqrt(x);
    } else if (p == 3) {
      return x * x * x;
    }
    return Math.pow(x, p);
  }
}
