package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

class TwoProngJetsTest {
  private static final int N = 4000;
  private static final ToyDataSet DATA =
      new TwoProngJets().generate(TwoProngJets.Options.defaults().withEvents(N).withSeed(5));

  @Test
  void signalMassPeaksAtTheWMass() {
    double[] s = JetChecks.peak(DATA, "mass", 1, 0, 200, 40);
    assertEquals(80.4, s[0], 5.0, "mode bin centre");
    assertEquals(80.4, s[1], 4 * 5 / Math.sqrt(s[3]), "mean");
    assertEquals(5 * 0.986, s[2], 0.5, "width");
    ToyDataSet heavy =
        new TwoProngJets()
            .generate(
                TwoProngJets.Options.defaults()
                    .withEvents(600)
                    .withJetPt(500, 600)
                    .withSignalMass(120, 3)
                    .withImages(8, false));
    double[] h = JetChecks.peak(heavy, "mass", 1, 0, 300, 100);
    assertEquals(120, h[0], 3.0);
    assertEquals(120, h[1], 0.6);
  }

  @Test
  void massAndPtLeaveRoomForSubstructure() {
    // QCD masses overlap the W window: mass alone cannot separate perfectly.
    assertTrue(JetChecks.fractionIn(DATA, "mass", 0, 70.4, 90.4) > 0.1);
    // pT is the same for both classes.
    double[] ps = JetChecks.peak(DATA, "pt", 1, 0, 1000, 10);
    double[] pb = JetChecks.peak(DATA, "pt", 0, 0, 1000, 10);
    assertEquals(ps[1], pb[1], 5 * Math.hypot(ps[2] / Math.sqrt(ps[3]), pb[2] / Math.sqrt(pb[3])));
    assertTrue(ps[1] > 300 && ps[1] < 400);
    // Multiplicity separates mildly: QCD jets have a few more particles on average.
    double[] ms = JetChecks.peak(DATA, "multiplicity", 1, 0, 64, 64);
    double[] mb = JetChecks.peak(DATA, "multiplicity", 0, 0, 64, 64);
    assertTrue(mb[1] - ms[1] > 1 && mb[1] - ms[1] < 5, "multiplicity " + ms[1] + " vs " + mb[1]);
  }

  @Test
  void wideAngleRadiationIsOnlyInBackground() {
    // pT fraction beyond ΔR = 0.5 from the axis outside the two-prong line: the soft wide-angle
    // radiation that mass and pT do not see.
    ParticleLists p = DATA.particles().orElseThrow();
    float[] axisEta = DATA.observable("jet_eta");
    double[] wideEta = new double[2];
    int[] n = new int[2];
    for (int e = 0; e < N; e++) {
      int cls = DATA.label(e);
      double wide = 0;
      double total = 0;
      for (int k = 0; k < p.count(e); k++) {
        double deta = p.get(e, k, 1) - axisEta[e];
        total += p.get(e, k, 0);
        // With rotation the prongs lie on the φ axis, so |Δη| > 0.3 is off the prong line.
        if (Math.abs(deta) > 0.3) wide += p.get(e, k, 0);
      }
      wideEta[cls] += wide / total;
      n[cls]++;
    }
    assertTrue(wideEta[0] / n[0] > 5 * wideEta[1] / n[1], "off-axis pT fraction bkg vs sig");
  }

  @Test
  void particlesImagesAndPaddingAreConsistent() {
    JetChecks.particles(DATA, "pt", 1.0);
    JetChecks.images(DATA, "pt");
    ParticleLists p = DATA.particles().orElseThrow();
    assertEquals(TwoProngJets.MAX_PARTICLES, p.maxParticles());
    float[] mult = DATA.column("multiplicity");
    boolean padded = false;
    for (int e = 0; e < N; e++) {
      assertEquals(p.count(e), mult[e]);
      padded |= p.count(e) < p.maxParticles();
    }
    assertTrue(padded);
    assertEquals(N, p.counts().length);
  }

  @Test
  void optionsAreValidatedWithTheirNames() {
    GlassboxException e =
        assertThrows(
            GlassboxException.class,
            () -> new TwoProngJets().generate(Map.of("jet_pt_min", 500, "jet_pt_max", 400)));
    assertTrue(
        e.getMessage().contains("'jet_pt_max' must be between 500.0 and 5000.0"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class, () -> new TwoProngJets().generate(Map.of("radius", 0.3)));
    assertTrue(e.getMessage().contains("'radius'"), e.getMessage());
    ToyDataSet small = new TwoProngJets().generate(Map.of("events", 50, "with_images", false));
    assertFalse(small.images().isPresent());
    assertTrue(small.particles().isPresent());
  }
}
