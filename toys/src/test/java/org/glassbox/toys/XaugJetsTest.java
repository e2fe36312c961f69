package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

class XaugJetsTest {
  private static final int N = 4000;
  private static final ToyDataSet DATA =
      new XaugJets().generate(XaugJets.Options.defaults().withEvents(N).withSeed(3));

  @Test
  void signalMassPeaksWhereConfigured() {
    double[] s = JetChecks.peak(DATA, "mass", 1, 0, 200, 40);
    assertEquals(90, s[0], 5.0, "mode bin centre");
    assertEquals(90, s[1], 4 * 5 / Math.sqrt(s[3]), "mean");
    // A normal truncated at ±3σ has a standard deviation of 0.986σ.
    assertEquals(5 * 0.986, s[2], 0.5, "width");
    // Another configuration moves the peak.
    ToyDataSet other =
        new XaugJets()
            .generate(
                XaugJets.Options.defaults()
                    .withEvents(600)
                    .withSignalMass(60, 2)
                    .withImages(8, false));
    double[] o = JetChecks.peak(other, "mass", 1, 0, 200, 100);
    assertEquals(60, o[0], 2.0);
    assertEquals(60, o[1], 0.5);
    // The background is broad and overlaps the peak.
    double[] b = JetChecks.peak(DATA, "mass", 0, 0, 200, 40);
    assertTrue(b[2] > 10, "background mass spread " + b[2]);
    assertTrue(JetChecks.fractionIn(DATA, "mass", 0, 80, 100) > 0.03);
  }

  @Test
  void particlesImagesAndPaddingAreConsistent() {
    JetChecks.particles(DATA, "pt", 0.8);
    JetChecks.images(DATA, "pt");
    ParticleLists p = DATA.particles().orElseThrow();
    assertEquals(20, p.maxParticles());
    for (int e = 0; e < N; e++) assertEquals(20, p.count(e), "always 20 particles");
    assertEquals(32, DATA.images().orElseThrow().height());
    assertEquals(4, DATA.images().orElseThrow().shape().length);
    // Padding appears when P exceeds the count: not here, so check the shapes instead.
    assertEquals(N * 20L * 3, p.data().length);
  }

  @Test
  void xaugVariablesHaveTheirDefiningProperties() {
    float[] z = DATA.column("subjet_z");
    float[] tau = DATA.column("tau21");
    for (int e = 0; e < N; e++) {
      assertTrue(z[e] >= 0.5f && z[e] <= 1f, "subjet_z in [0.5, 1]");
      assertTrue(tau[e] > 0 && tau[e] < 1.5, "tau21 " + tau[e]);
    }
    // Signal subjets share momentum more evenly and are two-prong: lower subjet_z and tau21.
    assertTrue(
        JetChecks.peak(DATA, "subjet_z", 1, 0, 1, 10)[1]
            < JetChecks.peak(DATA, "subjet_z", 0, 0, 1, 10)[1]);
    assertTrue(
        JetChecks.peak(DATA, "tau21", 1, 0, 2, 10)[1]
            < JetChecks.peak(DATA, "tau21", 0, 0, 2, 10)[1]);
    assertTrue(
        JetChecks.peak(DATA, "subjet_ptd", 1, 0, 1, 10)[1]
            < JetChecks.peak(DATA, "subjet_ptd", 0, 0, 1, 10)[1]);
    // pt carries no information: same distribution for both classes (means within 5 sigma).
    double[] ps = JetChecks.peak(DATA, "pt", 1, 0, 1000, 10);
    double[] pb = JetChecks.peak(DATA, "pt", 0, 0, 1000, 10);
    assertEquals(ps[1], pb[1], 5 * Math.hypot(ps[2] / Math.sqrt(ps[3]), pb[2] / Math.sqrt(pb[3])));
  }

  @Test
  void rotatedSignalImagesLieAlongThePhiAxis() {
    JetImages img = DATA.images().orElseThrow();
    double etaSpread = 0;
    double phiSpread = 0;
    double softSide = 0;
    double total = 0;
    int h = img.height();
    for (int e = 0; e < N; e++) {
      if (!DATA.isSignal(e)) continue;
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < h; c++) {
          double v = img.pixel(e, r, c);
          etaSpread += v * Math.abs(r - (h - 1) / 2.0);
          phiSpread += v * Math.abs(c - (h - 1) / 2.0);
          if (c < h / 2) softSide += v;
          total += v;
        }
      }
    }
    assertTrue(phiSpread > 3 * etaSpread, "phi spread " + phiSpread + " vs eta " + etaSpread);
    // The softer subjet sits at negative Δφ, but carries less pT than the harder one.
    assertTrue(softSide / total > 0.15 && softSide / total < 0.5, "soft side " + softSide / total);
  }

  @Test
  void optionsAreValidatedWithTheirNames() {
    GlassboxException e =
        assertThrows(
            GlassboxException.class, () -> new XaugJets().generate(Map.of("particles", 21)));
    assertTrue(e.getMessage().contains("'particles' must be even"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class, () -> new XaugJets().generate(Map.of("image_size", 2)));
    assertTrue(e.getMessage().contains("'image_size' must be between 4 and 256"), e.getMessage());
    e = assertThrows(GlassboxException.class, () -> new XaugJets().generate(Map.of("jet_pt", 100)));
    assertTrue(e.getMessage().contains("'signal_mass' is too large"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class, () -> new XaugJets().generate(Map.of("rotate", "yes")));
    assertTrue(e.getMessage().contains("'rotate' must be true or false"), e.getMessage());
  }
}
