package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glassbox.toys.Kinematics.P4;
import org.junit.jupiter.api.Test;

class KinematicsTest {

  @Test
  void mt2MatchesAClosedForm() {
    // Both leptons (p, 0), missing momentum (0, m): by symmetry q = (0, m/2) and m_T2² = p·m.
    assertEquals(Math.sqrt(50 * 100.0), Kinematics.mt2(50, 0, 50, 0, 0, 100), 1e-4);
    // No missing momentum: split it as q = 0, q' = 0 (near 0 the square root magnifies the
    // tolerance on q, so the value is good to about 0.01 GeV there).
    assertEquals(0, Kinematics.mt2(30, 10, -20, 5, 0, 0), 0.01);
  }

  /**
   * The function minimised is convex, so a point that no small step improves is the global minimum:
   * check that in 72 directions and at four step sizes, and that a grid search never finds a lower
   * value.
   */
  @Test
  void mt2IsTheMinimumOfAConvexFunction() {
    SplittableRandom r = new SplittableRandom(4);
    for (int t = 0; t < 30; t++) {
      double[] v = new double[6];
      for (int k = 0; k < 6; k++) v[k] = -100 + 200 * r.nextDouble();
      double[] m = Kinematics.mt2Minimum(v[0], v[1], v[2], v[3], v[4], v[5]);
      assertEquals(
          Math.sqrt(Math.max(0, m[0])), Kinematics.mt2(v[0], v[1], v[2], v[3], v[4], v[5]));
      for (int a = 0; a < 72; a++) {
        double dx = Math.cos(a * Math.PI / 36);
        double dy = Math.sin(a * Math.PI / 36);
        for (double step : new double[] {1e-3, 1e-1, 1, 10}) {
          double f = objective(v, m[1] + step * dx, m[2] + step * dy);
          assertTrue(
              f >= m[0] - 1e-6 * (1 + m[0]), "case " + t + ": a step of " + step + " improves");
        }
      }
      double grid = Double.MAX_VALUE;
      for (int i = -200; i <= 200; i++) {
        for (int j = -200; j <= 200; j++)
          grid = Math.min(grid, objective(v, v[4] / 2 + 2.0 * i, v[5] / 2 + 2.0 * j));
      }
      assertTrue(m[0] <= grid + 1e-6 * (1 + grid), "case " + t);
    }
  }

  private static double objective(double[] v, double qx, double qy) {
    return Math.max(
        Kinematics.mt2Single(v[0], v[1], qx, qy),
        Kinematics.mt2Single(v[2], v[3], v[4] - qx, v[5] - qy));
  }

  @Test
  void decaysConserveFourMomentumAndMasses() {
    SplittableRandom r = new SplittableRandom(8);
    P4 top = P4.ofPtEtaPhiM(150, 0.7, 1.2, DileptonToy.M_TOP);
    assertEquals(DileptonToy.M_TOP, top.mass(), 1e-9);
    P4[] bw = Kinematics.decay(r, top, DileptonToy.M_TOP, DileptonToy.M_B, DileptonToy.M_W);
    P4 sum = bw[0].plus(bw[1]);
    assertEquals(top.e(), sum.e(), 1e-9);
    assertEquals(top.px(), sum.px(), 1e-9);
    assertEquals(top.pz(), sum.pz(), 1e-9);
    assertEquals(DileptonToy.M_B, bw[0].mass(), 1e-6);
    assertEquals(DileptonToy.M_W, bw[1].mass(), 1e-6);
    P4 boosted = bw[1].boost(0.3, -0.4, 0.5);
    assertEquals(DileptonToy.M_W, boosted.mass(), 1e-6);
    assertEquals(0.7, top.eta(), 1e-12);
    assertEquals(-0.7, new P4(top.e(), top.px(), top.py(), -top.pz()).eta(), 1e-12);
  }

  @Test
  void wrapGivesTheHalfOpenInterval() {
    assertEquals(Math.PI, Draw.wrap(Math.PI), 1e-15);
    assertEquals(Math.PI, Draw.wrap(-Math.PI), 1e-15);
    assertEquals(-Math.PI / 2, Draw.wrap(3 * Math.PI / 2), 1e-15);
    assertEquals(0.5, Draw.wrap(0.5 + 4 * Math.PI), 1e-12);
    float f = JetStore.phiFloat(Math.PI);
    assertTrue(f <= Math.PI && f > 3.14159f);
    f = JetStore.phiFloat(-Math.PI + 1e-9);
    assertTrue(f > -Math.PI);
  }
}
