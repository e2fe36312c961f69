package org.glassbox.toys;

import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Four-vectors, boosts, isotropic two-body decays and m_T2, all in double with {@link StrictMath}.
 */
final class Kinematics {
  private Kinematics() {}

  /** A four-momentum (GeV). */
  record P4(double e, double px, double py, double pz) {

    static P4 ofPtEtaPhiM(double pt, double eta, double phi, double m) {
      double px = pt * StrictMath.cos(phi);
      double py = pt * StrictMath.sin(phi);
      double pz = pt * StrictMath.sinh(eta);
      return new P4(StrictMath.sqrt(px * px + py * py + pz * pz + m * m), px, py, pz);
    }

    P4 plus(P4 o) {
      return new P4(e + o.e, px + o.px, py + o.py, pz + o.pz);
    }

    double pt() {
      return StrictMath.hypot(px, py);
    }

    double p() {
      return StrictMath.sqrt(px * px + py * py + pz * pz);
    }

    double phi() {
      return StrictMath.atan2(py, px);
    }

    /** Pseudorapidity asinh(pz / pT), in a form that is accurate for small and large arguments. */
    double eta() {
      double pt = pt();
      if (pt == 0) return pz >= 0 ? 1e6 : -1e6;
      double x = StrictMath.abs(pz / pt);
      double a = StrictMath.log1p(x + x * x / (1 + StrictMath.sqrt(1 + x * x)));
      return pz >= 0 ? a : -a;
    }

    double mass() {
      return StrictMath.sqrt(StrictMath.max(0, e * e - px * px - py * py - pz * pz));
    }

    /** This momentum seen from a frame in which its rest frame moves with velocity β. */
    P4 boost(double bx, double by, double bz) {
      double b2 = bx * bx + by * by + bz * bz;
      if (b2 == 0) return this;
      double gamma = 1 / StrictMath.sqrt(1 - b2);
      double bp = bx * px + by * py + bz * pz;
      double g2 = (gamma - 1) / b2;
      double f = g2 * bp + gamma * e;
      return new P4(gamma * (e + bp), px + f * bx, py + f * by, pz + f * bz);
    }

    /**
     * The same momentum with its energy, boosted from the rest frame of {@code parent} to the lab.
     */
    P4 boostedBy(P4 parent) {
      return boost(parent.px / parent.e, parent.py / parent.e, parent.pz / parent.e);
    }
  }

  /**
   * Momentum of each daughter in the rest frame of a two-body decay M → m1 m2 (Källén function).
   */
  static double twoBodyMomentum(double m, double m1, double m2) {
    double a = m * m - (m1 + m2) * (m1 + m2);
    double b = m * m - (m1 - m2) * (m1 - m2);
    return a <= 0 ? 0 : StrictMath.sqrt(a * b) / (2 * m);
  }

  /**
   * An isotropic two-body decay of {@code parent} (mass {@code m}) into masses m1, m2, in the lab.
   */
  static P4[] decay(SplittableRandom r, P4 parent, double m, double m1, double m2) {
    double p = twoBodyMomentum(m, m1, m2);
    double cos = Draw.uniform(r, -1, 1);
    double sin = StrictMath.sqrt(StrictMath.max(0, 1 - cos * cos));
    double phi = Draw.angle(r);
    double nx = sin * StrictMath.cos(phi);
    double ny = sin * StrictMath.sin(phi);
    P4 d1 = new P4(StrictMath.sqrt(p * p + m1 * m1), p * nx, p * ny, p * cos);
    P4 d2 = new P4(StrictMath.sqrt(p * p + m2 * m2), -p * nx, -p * ny, -p * cos);
    return new P4[] {d1.boostedBy(parent), d2.boostedBy(parent)};
  }

  /** Squared transverse mass of a massless visible (px, py) and a massless invisible (qx, qy). */
  static double mt2Single(double px, double py, double qx, double qy) {
    return 2 * (StrictMath.hypot(px, py) * StrictMath.hypot(qx, qy) - px * qx - py * qy);
  }

  /**
   * The stransverse mass m_T2 (seed 000 eq. 4) of two massless visible particles and massless
   * invisibles: the minimum over splittings q + q′ = p_T^miss of max(m_T(ℓ1, q), m_T(ℓ2, q′)).
   * Accurate to about 1e-5 GeV, and to about 0.01 GeV near m_T2 = 0 (where the square root
   * magnifies the tolerance on q).
   */
  static double mt2(double l1x, double l1y, double l2x, double l2y, double mx, double my) {
    return StrictMath.sqrt(StrictMath.max(0, mt2Minimum(l1x, l1y, l2x, l2y, mx, my)[0]));
  }

  /**
   * {m_T2², qx, qy}: the minimum of max(m_T²(ℓ1, q), m_T²(ℓ2, p_T^miss − q)) and where it is. Each
   * m_T² is convex in q, so their maximum is convex, and its minimum over the plane is found by
   * nested golden-section searches (the inner minimum of a convex function is convex in the outer
   * variable).
   */
  static double[] mt2Minimum(double l1x, double l1y, double l2x, double l2y, double mx, double my) {
    double bound =
        4 * (StrictMath.hypot(mx, my) + StrictMath.hypot(l1x, l1y) + StrictMath.hypot(l2x, l2y));
    double cx = mx / 2;
    double cy = my / 2;
    double tol = 1e-8 * bound; // ~1e-5 GeV on a 100 GeV m_T2: below float resolution
    DoubleBinaryOperator f =
        (qx, qy) ->
            StrictMath.max(mt2Single(l1x, l1y, qx, qy), mt2Single(l2x, l2y, mx - qx, my - qy));
    DoubleUnaryOperator inner =
        qx ->
            f.applyAsDouble(qx, argmin(cy - bound, cy + bound, tol, qy -> f.applyAsDouble(qx, qy)));
    double qx = argmin(cx - bound, cx + bound, tol, inner);
    double qy = argmin(cy - bound, cy + bound, tol, y -> f.applyAsDouble(qx, y));
    return new double[] {f.applyAsDouble(qx, qy), qx, qy};
  }

  /** Where a convex function on [a, b] is smallest, by golden-section search. */
  private static double argmin(double a, double b, double tol, DoubleUnaryOperator f) {
    final double invPhi = (StrictMath.sqrt(5) - 1) / 2;
    double c = b - invPhi * (b - a);
    double d = a + invPhi * (b - a);
    double fc = f.applyAsDouble(c);
    double fd = f.applyAsDouble(d);
    while (b - a > tol) {
      if (fc <= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - invPhi * (b - a);
        fc = f.applyAsDouble(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + invPhi * (b - a);
        fd = f.applyAsDouble(d);
      }
    }
    return fc <= fd ? c : d;
  }
}
