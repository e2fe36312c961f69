package org.glassbox.toys;

import java.util.Arrays;

/**
 * One jet under construction, in its local frame: particles are massless, with pT and offsets (x,
 * y) = (Δη, Δφ) from the jet axis. Each position is affine in one separation parameter d, {@code
 * (x, y) = base + d · dir}, so a generator can place sub-structures (two subjets, two prongs) at a
 * separation that it solves for, e.g. to give a jet an exact mass. Mutable working state, confined
 * to one generator call.
 */
final class JetBuilder {
  private int n;
  private double[] pt = new double[64];
  private double[] bx = new double[64];
  private double[] by = new double[64];
  private double[] dx = new double[64];
  private double[] dy = new double[64];
  private double[] x = new double[64];
  private double[] y = new double[64];
  private int[] group = new int[64];

  void clear() {
    n = 0;
  }

  int size() {
    return n;
  }

  double pt(int i) {
    return pt[i];
  }

  double x(int i) {
    return x[i];
  }

  double y(int i) {
    return y[i];
  }

  int group(int i) {
    return group[i];
  }

  /**
   * Adds a particle at {@code base + d · dir}; {@code group} tags the sub-structure it belongs to.
   */
  void add(double pt, double baseX, double baseY, double dirX, double dirY, int group) {
    if (n == this.pt.length) grow();
    this.pt[n] = pt;
    bx[n] = baseX;
    by[n] = baseY;
    dx[n] = dirX;
    dy[n] = dirY;
    x[n] = baseX;
    y[n] = baseY;
    this.group[n] = group;
    n++;
  }

  private void grow() {
    int c = 2 * pt.length;
    pt = Arrays.copyOf(pt, c);
    bx = Arrays.copyOf(bx, c);
    by = Arrays.copyOf(by, c);
    dx = Arrays.copyOf(dx, c);
    dy = Arrays.copyOf(dy, c);
    x = Arrays.copyOf(x, c);
    y = Arrays.copyOf(y, c);
    group = Arrays.copyOf(group, c);
  }

  /** Sets every position for separation {@code d}. */
  void place(double d) {
    for (int i = 0; i < n; i++) {
      x[i] = bx[i] + d * dx[i];
      y[i] = by[i] + d * dy[i];
    }
  }

  /** Squared invariant mass of the massless particles at their current positions. */
  double mass2() {
    return mass2(pt, x, y, n);
  }

  /**
   * Squared invariant mass of massless particles given pT and offsets (Δη, Δφ) from an axis at η =
   * φ = 0: the mass is invariant under shifts in η (longitudinal boosts) and φ (rotations about the
   * beam), and in this frame E² − p² loses only about two of double's sixteen digits.
   */
  static double mass2(double[] pt, double[] deta, double[] dphi, int n) {
    double e = 0;
    double px = 0;
    double py = 0;
    double pz = 0;
    for (int i = 0; i < n; i++) {
      e += pt[i] * StrictMath.cosh(deta[i]);
      pz += pt[i] * StrictMath.sinh(deta[i]);
      px += pt[i] * StrictMath.cos(dphi[i]);
      py += pt[i] * StrictMath.sin(dphi[i]);
    }
    return e * e - px * px - py * py - pz * pz;
  }

  /**
   * Finds d in [0, dMax] at which the jet mass equals {@code mass} and places the particles there,
   * by the Illinois variant of regula falsi on m²(d) − mass² (m² is nearly quadratic in d, where
   * plain regula falsi would stall). Returns false, leaving positions undefined, when the mass is
   * not bracketed (the particles' own spread already exceeds it, or dMax cannot reach it).
   */
  boolean solveSeparation(double mass, double dMax) {
    double target = mass * mass;
    double a = 0;
    place(a);
    double fa = mass2() - target;
    double b = dMax;
    place(b);
    double fb = mass2() - target;
    if (!(fa < 0 && fb > 0)) return false;
    int side = 0;
    for (int it = 0; it < 200; it++) {
      double c = (a * fb - b * fa) / (fb - fa);
      place(c);
      double fc = mass2() - target;
      if (StrictMath.abs(fc) <= 1e-13 * target || b - a <= 1e-14) return true;
      if (fc > 0) {
        b = c;
        fb = fc;
        if (side == -1) fa /= 2;
        side = -1;
      } else {
        a = c;
        fa = fc;
        if (side == 1) fb /= 2;
        side = 1;
      }
    }
    place((a + b) / 2);
    return true;
  }

  /** Moves the origin to the pT-weighted centroid: the jet axis the images are centred on. */
  void recenter() {
    double s = 0;
    double cx = 0;
    double cy = 0;
    for (int i = 0; i < n; i++) {
      s += pt[i];
      cx += pt[i] * x[i];
      cy += pt[i] * y[i];
    }
    cx /= s;
    cy /= s;
    for (int i = 0; i < n; i++) {
      x[i] -= cx;
      y[i] -= cy;
    }
  }

  /** The largest ΔR of a particle from the origin. */
  double maxRadius() {
    double m = 0;
    for (int i = 0; i < n; i++) m = StrictMath.max(m, StrictMath.hypot(x[i], y[i]));
    return m;
  }

  /** Normalises {@code weights[0..k)} to sum to {@code total}. */
  static void shares(double[] weights, int k, double total) {
    double s = 0;
    for (int i = 0; i < k; i++) s += weights[i];
    for (int i = 0; i < k; i++) weights[i] = total * weights[i] / s;
  }
}
