package org.glassbox.plugins.efp;

import static org.glassbox.plugins.efp.EfpValuesTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EFPs whose values are known in closed form. */
class ClosedFormsTest {
  private static final double[] PT = {10, 0, 25, 5, 0, 40, 20};
  private static final double[] Y = {0.1, 9, -0.3, 0.25, 9, 0.0, -0.15};
  private static final double[] PHI = {0.2, 9, -0.1, 0.35, 9, 0.05, -0.4};

  private static double[] compact(double[] x) {
    double[] out = new double[5];
    int k = 0;
    for (int i = 0; i < PT.length; i++) {
      if (PT[i] > 0) {
        out[k++] = x[i];
      }
    }
    return out;
  }

  private static double value(EfpLibrary lib, double[] row, String description, double kappa, double beta) {
    EfpGraph g = GraphCatalogTest.find(lib.graphs(), description);
    for (EfpColumn c : lib.columns()) {
      if (c.graph().equals(g) && c.kappa() == kappa && c.beta() == beta) {
        return row[c.index()];
      }
    }
    throw new AssertionError("no column " + description + " " + kappa + " " + beta);
  }

  @Test
  void edgelessGraphIsTheSumOfZAndKappaZeroCountsParticles() {
    EfpLibrary lib = EfpLibrary.create(2, List.of(0.0, 1.0, 2.0), List.of(1.0), Measure.HADRONIC);
    double[] row = lib.compute(JetBatch.hadronic(new double[][] {PT}, new double[][] {Y}, new double[][] {PHI}))[0];
    // Two of the seven entries are zero-pT padding: the multiplicity is 5, not 7.
    assertEquals(5.0, value(lib, row, "()", 0, 1), 0);
    assertClose(1.0, value(lib, row, "()", 1, 1), "Σ z at κ=1");
    double sum = 100;
    double expected = 0;
    for (double p : compact(PT)) {
      expected += (p / sum) * (p / sum);
    }
    assertClose(expected, value(lib, row, "()", 2, 1), "Σ z at κ=2");
  }

  @Test
  void singleEdgeIsTheEnergyWeightedPairSum() {
    EfpLibrary lib = EfpLibrary.create(1, List.of(1.0, 0.5), List.of(0.5, 2.0), Measure.HADRONIC);
    double[] row = lib.compute(JetBatch.hadronic(new double[][] {PT}, new double[][] {Y}, new double[][] {PHI}))[0];
    double[] pt = compact(PT);
    double[] y = compact(Y);
    double[] phi = compact(PHI);
    for (double kappa : List.of(1.0, 0.5)) {
      for (double beta : List.of(0.5, 2.0)) {
        double expected = 0;
        for (int a = 0; a < 5; a++) {
          for (int b = 0; b < 5; b++) {
            double dr2 = (y[a] - y[b]) * (y[a] - y[b]) + (phi[a] - phi[b]) * (phi[a] - phi[b]);
            expected += Math.pow(pt[a] / 100, kappa) * Math.pow(pt[b] / 100, kappa) * Math.pow(dr2, beta / 2);
          }
        }
        assertClose(expected, value(lib, row, "(0,1)", kappa, beta), "single edge κ=" + kappa + " β=" + beta);
      }
    }
  }

  /**
   * With β = 2 and κ = 1 the single-edge EFP is twice the pT-weighted spread in (y, φ):
   * Σ z_a z_b |x_a − x_b|² = 2 (Σ z |x|² − |Σ z x|²), an identity not used by the code.
   */
  @Test
  void singleEdgeAtBetaTwoIsTwiceTheSpread() {
    SplittableRandom r = new SplittableRandom(5);
    double[][] p = EfpValuesTest.randomJet(r, 30);
    EfpLibrary lib = EfpLibrary.create(1, List.of(1.0), List.of(2.0), Measure.HADRONIC);
    double[] row = lib.compute(JetBatch.hadronic(new double[][] {p[0]}, new double[][] {p[1]}, new double[][] {p[2]}))[0];
    double sum = 0;
    for (double x : p[0]) {
      sum += x;
    }
    double my = 0;
    double mphi = 0;
    double m2 = 0;
    for (int a = 0; a < 30; a++) {
      double z = p[0][a] / sum;
      my += z * p[1][a];
      mphi += z * p[2][a];
      m2 += z * (p[1][a] * p[1][a] + p[2][a] * p[2][a]);
    }
    assertClose(2 * (m2 - my * my - mphi * mphi), value(lib, row, "(0,1)", 1, 2), "spread");
  }

  /** EnergyFlow's normed z = pT^κ / Σ pT^κ: the edgeless EFP is 1 at every κ. */
  @Test
  void energyFlowNormedWeighting() {
    EfpLibrary lib = EfpLibrary.create(new EfpLibraryOptions(1, List.of(0.5, 2.0), List.of(1.0), Measure.HADRONIC,
        EnergyWeighting.ENERGYFLOW_NORMED));
    double[] row = lib.compute(JetBatch.hadronic(new double[][] {PT}, new double[][] {Y}, new double[][] {PHI}))[0];
    double[] pt = compact(PT);
    double[] y = compact(Y);
    double[] phi = compact(PHI);
    double norm = 0;
    for (double x : pt) {
      norm += x * x;
    }
    double expected = 0;
    for (int a = 0; a < 5; a++) {
      for (int b = 0; b < 5; b++) {
        double dr = Math.hypot(y[a] - y[b], phi[a] - phi[b]);
        expected += pt[a] * pt[a] / norm * pt[b] * pt[b] / norm * dr;
      }
    }
    assertClose(1.0, value(lib, row, "()", 0.5, 1), "Σ z, κ=0.5");
    assertClose(1.0, value(lib, row, "()", 2, 1), "Σ z, κ=2");
    assertClose(expected, value(lib, row, "(0,1)", 2, 1), "single edge, κ=2");
  }

  /** A jet of one particle: every EFP with an edge is 0 (θ_aa = 0), the edgeless one z^1. */
  @Test
  void oneParticleAndEmptyJets() {
    EfpLibrary lib = EfpLibrary.create(4, List.of(1.0, -1.0), List.of(1.0), Measure.HADRONIC);
    double[][] out = lib.compute(JetBatch.hadronic(new double[][] {{7}, {0, 0}}, new double[][] {{1}, {0, 0}},
        new double[][] {{2}, {0, 0}}));
    for (EfpColumn c : lib.columns()) {
      double expected = c.graph().degree() == 0 ? 1 : 0;
      assertEquals(expected, out[0][c.index()], 1e-15, c.name());
      assertEquals(0, out[1][c.index()], 0, c.name() + " of an empty jet");
    }
  }
}
