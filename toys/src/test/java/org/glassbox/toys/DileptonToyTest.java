package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

class DileptonToyTest {
  private static final int N = 3000;
  private static final ToyDataSet DATA =
      new DileptonToy().generate(DileptonToy.Options.defaults().withEvents(N).withSeed(9));

  private static double mean(float[] v, ToyDataSet d, int cls) {
    double s = 0;
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (d.label(i) == cls) {
        s += v[i];
        n++;
      }
    }
    return s / n;
  }

  @Test
  void hasSeedZerosNineteenInputs() {
    assertEquals(19, DATA.featureCount());
    assertEquals(DileptonToy.FEATURES, DATA.featureNames());
    for (int i = 0; i < N; i++) {
      assertTrue(DATA.feature(i, DATA.featureIndex("eta_l1")) >= 0, "eta_l1 = |eta|");
      for (String f : new String[] {"phi_l1", "phi_l2", "phi_j1", "phi_j2"}) {
        float v = DATA.feature(i, DATA.featureIndex(f));
        assertTrue(v >= 0 && v <= Math.PI + 1e-6, f + " in [0, pi]: " + v);
      }
      for (String f :
          new String[] {"phi_s_l1", "phi_s_l2", "phi_s_j1", "phi_s_j2", "b_j1", "b_j2"}) {
        float v = DATA.feature(i, DATA.featureIndex(f));
        assertTrue(v == 1f || v == -1f, f + " is a sign: " + v);
      }
      assertTrue(DATA.feature(i, 1) >= DATA.feature(i, 2), "l1 is the leading lepton");
      assertTrue(Math.exp(DATA.feature(i, 0)) >= 80 * (1 - 1e-6), "pT miss > 80 GeV");
    }
    float[] met = DATA.observable("pt_miss");
    float[] log = DATA.column("log_pt_miss");
    for (int i = 0; i < N; i++) assertEquals(Math.log(met[i]), log[i], 1e-5);
  }

  @Test
  void signalHasLargerMissingPtWithLeptonsAwayFromIt() {
    float[] met = DATA.observable("pt_miss");
    assertTrue(mean(met, DATA, 1) > 1.5 * mean(met, DATA, 0), "mean pT miss sig vs bkg");
    assertTrue(
        mean(DATA.column("log_pt_miss"), DATA, 1) > mean(DATA.column("log_pt_miss"), DATA, 0));
    // Seed 000 §4: the leptons point azimuthally away from the missing momentum in signal.
    for (String f : new String[] {"phi_l1", "phi_l2"}) {
      float[] phi = DATA.column(f);
      assertTrue(mean(phi, DATA, 1) > mean(phi, DATA, 0) + 0.1, f);
    }
  }

  @Test
  void mt2HasTheWEndpointInBackgroundOnly() {
    float[] mt2 = DATA.observable("mt2_ll");
    int[] above = new int[2];
    int[] n = new int[2];
    for (int i = 0; i < N; i++) {
      int c = DATA.label(i);
      n[c]++;
      if (mt2[i] > 100) above[c]++;
      assertTrue(mt2[i] >= 0);
    }
    assertTrue(above[0] / (double) n[0] < 0.01, "ttbar above the W endpoint: " + above[0]);
    assertTrue(above[1] / (double) n[1] > 0.3, "signal above 100 GeV: " + above[1]);
  }

  @Test
  void luminosityWeightsAreExpectedYields() {
    ToyDataSet d =
        new DileptonToy()
            .generate(Map.of("events", 400, "weights", "luminosity", "luminosity", 100, "seed", 2));
    double[] sum = new double[2];
    for (int i = 0; i < d.size(); i++) {
      assertTrue(d.weight(i) > 0);
      sum[d.label(i)] += d.weight(i);
    }
    // σ·BR·L·acceptance: acceptance in (0, 1], so the yields are bounded by σ·BR·L.
    double br = 0.216 * 0.216;
    assertTrue(sum[0] > 0 && sum[0] <= 832 * br * 100_000);
    double sigStop = DileptonToy.stopPairCrossSection(750);
    assertTrue(sigStop > 0.03 && sigStop < 0.06, "750 GeV stops: " + sigStop);
    assertTrue(sum[1] > 0.1 * sigStop * br * 100_000 && sum[1] <= sigStop * br * 100_000);
    // Unit weights by default.
    for (double w : DATA.weights()) assertEquals(1.0, w);
    // The stealth point's cross section is about a tenth of ttbar's, as seed 000 says.
    assertEquals(0.1, DileptonToy.stopPairCrossSection(185) / 832, 0.03);
  }

  @Test
  void compressedThreeBodyPointRuns() {
    ToyDataSet d =
        new DileptonToy().generate(Map.of("events", 300, "stop_mass", 350, "neutralino_mass", 200));
    assertEquals(150, d.signalCount());
    float[] met = d.observable("pt_miss");
    for (float m : met) assertTrue(m >= 80);
  }

  @Test
  void optionsAreValidatedWithTheirNames() {
    GlassboxException e =
        assertThrows(
            GlassboxException.class,
            () -> new DileptonToy().generate(Map.of("stop_mass", 200, "neutralino_mass", 150)));
    assertTrue(e.getMessage().contains("'neutralino_mass'"), e.getMessage());
    assertTrue(e.getMessage().contains("four-body"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class, () -> new DileptonToy().generate(Map.of("luminosity", 10)));
    assertTrue(e.getMessage().contains("'luminosity' has no effect"), e.getMessage());
    e =
        assertThrows(
            GlassboxException.class, () -> new DileptonToy().generate(Map.of("weights", "xsec")));
    assertTrue(e.getMessage().contains("unit, luminosity"), e.getMessage());
  }
}
