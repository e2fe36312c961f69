package org.glassbox.plugins.efp;

import static org.glassbox.plugins.efp.EfpValuesTest.randomJet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Symmetries every EFP has: particle order, and for the hadronic measure boosts and rotations. */
class InvariancesTest {
  private static final EfpLibrary LIB = EfpLibrary.create(6, List.of(0.5, 1.0, 2.0), List.of(0.5, 1.0, 2.0), Measure.HADRONIC);

  private static void assertSameRows(double[] a, double[] b, String what) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      double tol = 1e-11 * Math.max(Math.abs(a[i]), 1e-300);
      int col = i;
      assertTrue(Math.abs(a[i] - b[i]) <= tol, () -> what + " " + LIB.columns().get(col).name() + ": " + a[col] + " vs " + b[col]);
    }
  }

  private static double[][] compute(double[][]... jets) {
    double[][] pt = new double[jets.length][];
    double[][] y = new double[jets.length][];
    double[][] phi = new double[jets.length][];
    for (int j = 0; j < jets.length; j++) {
      pt[j] = jets[j][0];
      y[j] = jets[j][1];
      phi[j] = jets[j][2];
    }
    return LIB.compute(JetBatch.hadronic(pt, y, phi));
  }

  @Test
  void particleOrderDoesNotMatter() {
    SplittableRandom r = new SplittableRandom(21);
    double[][] jet = randomJet(r, 9);
    int[] perm = {4, 8, 0, 2, 7, 1, 6, 3, 5};
    double[][] shuffled = new double[3][9];
    for (int c = 0; c < 3; c++) {
      for (int a = 0; a < 9; a++) {
        shuffled[c][a] = jet[c][perm[a]];
      }
    }
    double[][] out = compute(jet, shuffled);
    assertSameRows(out[0], out[1], "permuted");
  }

  @Test
  void translationInRapidityAndRotationInPhi() {
    SplittableRandom r = new SplittableRandom(22);
    double[][] jet = randomJet(r, 8);
    double[][] moved = {jet[0].clone(), jet[1].clone(), jet[2].clone()};
    double[][] wrapped = {jet[0].clone(), jet[1].clone(), jet[2].clone()};
    for (int a = 0; a < 8; a++) {
      moved[1][a] += 2.7;
      moved[2][a] += 1.9;
      // Rotate by π and write φ in (−π, π]: the jet now straddles φ = ±π.
      double phi = jet[2][a] + Math.PI;
      wrapped[2][a] = phi > Math.PI ? phi - 2 * Math.PI : phi;
    }
    boolean straddles = false;
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        straddles |= wrapped[2][a] > 2.5 && wrapped[2][b] < -2.5;
      }
    }
    assertTrue(straddles, "the test jet must cross φ = ±π");
    double[][] out = compute(jet, moved, wrapped);
    assertSameRows(out[0], out[1], "translated");
    assertSameRows(out[0], out[2], "rotated across φ = ±π");
    // φ given with arbitrary multiples of 2π is the same direction.
    double[][] shifted = {jet[0].clone(), jet[1].clone(), jet[2].clone()};
    for (int a = 0; a < 8; a++) {
      shifted[2][a] += 2 * Math.PI * ((a % 3) - 1);
    }
    assertSameRows(out[0], compute(shifted)[0], "φ shifted by 2π multiples");
  }

  /** e⁺e⁻ EFPs depend on angles only: rotating all momenta changes nothing. */
  @Test
  void electronPositronRotation() {
    EfpLibrary lib = EfpLibrary.create(5, List.of(1.0, 2.0), List.of(1.0), Measure.EE);
    SplittableRandom r = new SplittableRandom(23);
    int m = 7;
    double[][] p = new double[4][m];
    double[][] q = new double[4][m];
    double c = Math.cos(0.7);
    double s = Math.sin(0.7);
    double c2 = Math.cos(-1.3);
    double s2 = Math.sin(-1.3);
    for (int a = 0; a < m; a++) {
      double px = r.nextDouble() * 4 - 2;
      double py = r.nextDouble() * 4 - 2;
      double pz = r.nextDouble() * 4 - 2;
      p[0][a] = Math.sqrt(px * px + py * py + pz * pz + 0.1);
      p[1][a] = px;
      p[2][a] = py;
      p[3][a] = pz;
      // Rotate about z, then about x.
      double x1 = c * px - s * py;
      double y1 = s * px + c * py;
      q[0][a] = p[0][a];
      q[1][a] = x1;
      q[2][a] = c2 * y1 - s2 * pz;
      q[3][a] = s2 * y1 + c2 * pz;
    }
    double[][] out = lib.compute(JetBatch.fourVectors(new double[][] {p[0], q[0]}, new double[][] {p[1], q[1]},
        new double[][] {p[2], q[2]}, new double[][] {p[3], q[3]}));
    for (int i = 0; i < out[0].length; i++) {
      assertEquals(out[0][i], out[1][i], 1e-10 * Math.abs(out[0][i]), lib.columns().get(i).name());
    }
  }
}
