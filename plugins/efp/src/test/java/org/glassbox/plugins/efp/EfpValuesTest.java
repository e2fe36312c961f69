package org.glassbox.plugins.efp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EFP values against the brute-force sum over all index tuples. */
class EfpValuesTest {
  private static final List<Double> KAPPAS = List.of(0.5, 1.0, 2.0);
  private static final List<Double> BETAS = List.of(0.5, 1.0, 2.0);

  static double[][] randomJet(SplittableRandom r, int m) {
    double[] pt = new double[m];
    double[] y = new double[m];
    double[] phi = new double[m];
    for (int a = 0; a < m; a++) {
      pt[a] = 1 + 50 * r.nextDouble();
      y[a] = r.nextDouble() * 1.6 - 0.8;
      phi[a] = r.nextDouble() * 1.6 - 0.8;
    }
    return new double[][] {pt, y, phi};
  }

  static void assertClose(double expected, double actual, String what) {
    double tol = 1e-11 * Math.max(Math.abs(expected), 1e-300);
    assertTrue(Math.abs(expected - actual) <= tol, () -> what + ": expected " + expected + " but was " + actual);
  }

  /** Every graph with d ≤ 5, hadronic, M = 6 (M = 4 where n > 6 keeps the brute force small). */
  @Test
  void hadronicUpToDegreeFiveMatchesBruteForce() {
    EfpLibrary lib = EfpLibrary.create(5, KAPPAS, BETAS, Measure.HADRONIC);
    assertEquals(102, lib.graphs().size());
    SplittableRandom r = new SplittableRandom(11);
    double[][] six = randomJet(r, 6);
    double[][] four = randomJet(r, 4);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {six[0], four[0]}, new double[][] {six[1], four[1]},
        new double[][] {six[2], four[2]}));
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      for (int jet = 0; jet < 2; jet++) {
        double[][] p = jet == 0 ? six : four;
        if (jet == 0 && g.vertices() > 6) {
          continue;
        }
        double[] z = BruteForce.z(p[0], c.kappa());
        double[][] theta = BruteForce.hadronicTheta(p[1], p[2], c.beta());
        double expected = BruteForce.efp(g.vertices(), g.edges(), z, theta);
        assertClose(expected, out[jet][c.index()], c.name() + " " + c.description() + " jet " + jet);
      }
    }
  }

  /** Every prime graph with d ≤ 7 (all χ = 4 graphs included) on a 4-particle jet. */
  @Test
  void primesUpToDegreeSevenMatchBruteForce() {
    EfpLibrary lib = EfpLibrary.create(7, List.of(1.0), List.of(1.0), Measure.HADRONIC);
    SplittableRandom r = new SplittableRandom(12);
    double[][] p = randomJet(r, 4);
    double[][] five = randomJet(r, 5);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {p[0], five[0]}, new double[][] {p[1], five[1]},
        new double[][] {p[2], five[2]}));
    double[] z = BruteForce.z(p[0], 1);
    double[][] theta = BruteForce.hadronicTheta(p[1], p[2], 1);
    double[] z5 = BruteForce.z(five[0], 1);
    double[][] theta5 = BruteForce.hadronicTheta(five[1], five[2], 1);
    int checked = 0;
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      if (!g.prime()) {
        continue;
      }
      assertClose(BruteForce.efp(g.vertices(), g.edges(), z, theta), out[0][c.index()], c.description());
      if (g.vertices() <= 6) {
        assertClose(BruteForce.efp(g.vertices(), g.edges(), z5, theta5), out[1][c.index()], c.description() + " (M=5)");
      }
      checked++;
    }
    assertEquals(490, checked);
  }

  /**
   * Primes with at most 5 vertices and d ≤ 7 on a 9-particle jet, so that the unrolled kernel
   * loops (four particles at a time, output rows in pairs) run with remainders.
   */
  @Test
  void smallPrimesUpToDegreeSevenOnNineParticles() {
    EfpLibrary lib = EfpLibrary.create(7, List.of(2.0), List.of(0.5), Measure.HADRONIC);
    double[][] p = randomJet(new SplittableRandom(15), 9);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {p[0]}, new double[][] {p[1]}, new double[][] {p[2]}));
    double[] z = BruteForce.z(p[0], 2);
    double[][] theta = BruteForce.hadronicTheta(p[1], p[2], 0.5);
    int chi4 = 0;
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      if (g.prime() && g.vertices() <= 5) {
        assertClose(BruteForce.efp(g.vertices(), g.edges(), z, theta), out[0][c.index()], c.description());
        chi4 += g.chi() == 4 ? 1 : 0;
      }
    }
    assertEquals(4, chi4);
  }

  /** Degree 8, the largest supported: its χ = 4 primes and those with ≤ 6 vertices, M = 4. */
  @Test
  void degreeEightPrimesMatchBruteForce() {
    EfpLibrary lib = EfpLibrary.create(8, List.of(1.0), List.of(2.0), Measure.HADRONIC);
    assertEquals(3389, lib.graphs().size());
    double[][] p = randomJet(new SplittableRandom(16), 4);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {p[0]}, new double[][] {p[1]}, new double[][] {p[2]}));
    double[] z = BruteForce.z(p[0], 1);
    double[][] theta = BruteForce.hadronicTheta(p[1], p[2], 2);
    int checked = 0;
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      if (g.prime() && g.degree() == 8 && (g.chi() == 4 || g.vertices() <= 6)) {
        assertClose(BruteForce.efp(g.vertices(), g.edges(), z, theta), out[0][c.index()], c.description());
        checked++;
      }
    }
    assertTrue(checked > 100, "checked " + checked);
  }

  /** e⁺e⁻ measure with massive particles (θ_aa ≠ 0) for every graph with d ≤ 4. */
  @Test
  void electronPositronMatchesBruteForce() {
    EfpLibrary lib = EfpLibrary.create(4, KAPPAS, List.of(0.5, 2.0), Measure.EE);
    SplittableRandom r = new SplittableRandom(13);
    int m = 6;
    double[] e = new double[m];
    double[] px = new double[m];
    double[] py = new double[m];
    double[] pz = new double[m];
    double[] masses = new double[m];
    for (int a = 0; a < m; a++) {
      px[a] = r.nextDouble() * 10 - 5;
      py[a] = r.nextDouble() * 10 - 5;
      pz[a] = r.nextDouble() * 10 - 5;
      masses[a] = a % 2 == 0 ? 0 : 0.5 + r.nextDouble();
      e[a] = Math.sqrt(px[a] * px[a] + py[a] * py[a] + pz[a] * pz[a] + masses[a] * masses[a]);
    }
    double[][] out = lib.compute(JetBatch.fourVectors(new double[][] {e}, new double[][] {px}, new double[][] {py},
        new double[][] {pz}));
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      if (g.vertices() > 6) {
        continue;
      }
      double[] z = BruteForce.z(e, c.kappa());
      double[][] theta = BruteForce.eeTheta(e, px, py, pz, masses, c.beta());
      assertClose(BruteForce.efp(g.vertices(), g.edges(), z, theta), out[0][c.index()], c.name() + " " + c.description());
    }
  }

  /** A composite's value is the product of its prime factors' values, column by column. */
  @Test
  void compositesAreProductsOfTheirFactors() {
    EfpLibrary lib = EfpLibrary.create(6, List.of(0.5, 2.0), List.of(1.0), Measure.HADRONIC);
    double[][] p = randomJet(new SplittableRandom(14), 9);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {p[0]}, new double[][] {p[1]}, new double[][] {p[2]}));
    int ng = lib.graphs().size();
    int composites = 0;
    for (EfpColumn c : lib.columns()) {
      EfpGraph g = c.graph();
      if (g.prime()) {
        continue;
      }
      composites++;
      int base = c.index() - g.index();
      double product = 1;
      int degrees = 0;
      int vertices = 0;
      for (int f : g.primeFactors()) {
        product *= out[0][base + f];
        degrees += lib.graphs().get(f).degree();
        vertices += lib.graphs().get(f).vertices();
        assertTrue(lib.graphs().get(f).prime());
      }
      assertEquals(g.degree(), degrees);
      assertEquals(g.vertices(), vertices);
      assertClose(product, out[0][c.index()], c.description());
      assertTrue(base % ng == 0);
    }
    assertTrue(composites > 0);
  }
}
