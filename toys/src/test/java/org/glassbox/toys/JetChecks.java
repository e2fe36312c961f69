package org.glassbox.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structural checks shared by the jet toys, recomputed independently from the published arrays. */
final class JetChecks {
  private JetChecks() {}

  static double dphi(double a, double b) {
    double d = a - b;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d <= -Math.PI) d += 2 * Math.PI;
    return d;
  }

  /**
   * Particle pT sums equal the pt feature; padding is all zero; real particles sorted and inside R.
   */
  static void particles(ToyDataSet d, String ptFeature, double radius) {
    ParticleLists p = d.particles().orElseThrow();
    assertEquals(3, p.fields().size());
    float[] pt = d.column(ptFeature);
    float[] axisEta = d.observable("jet_eta");
    float[] axisPhi = d.observable("jet_phi");
    for (int e = 0; e < d.size(); e++) {
      int n = p.count(e);
      assertTrue(n >= 1 && n <= p.maxParticles(), "count " + n);
      double sum = 0;
      for (int k = 0; k < n; k++) {
        float v = p.get(e, k, 0);
        assertTrue(v > 0, "real particles have pT > 0");
        if (k > 0) assertTrue(v <= p.get(e, k - 1, 0), "sorted by falling pT");
        double phi = p.get(e, k, 2);
        assertTrue(phi > -Math.PI && phi <= Math.PI, "phi in (-pi, pi]: " + phi);
        double dr = Math.hypot(p.get(e, k, 1) - axisEta[e], dphi(phi, axisPhi[e]));
        assertTrue(dr <= radius + 1e-5, "particle within R: " + dr);
        sum += v;
      }
      assertEquals(pt[e], sum, 1e-6 * sum, "pT sum of jet " + e);
      for (int k = n; k < p.maxParticles(); k++) {
        for (int f = 0; f < 3; f++) assertEquals(0f, p.get(e, k, f), "padding of jet " + e);
      }
    }
  }

  /**
   * Each image sums to the jet pT, has no negative pixel, and equals the histogram of its
   * particles.
   */
  static void images(ToyDataSet d, String ptFeature) {
    JetImages img = d.images().orElseThrow();
    ParticleLists p = d.particles().orElseThrow();
    float[] pt = d.column(ptFeature);
    float[] axisEta = d.observable("jet_eta");
    float[] axisPhi = d.observable("jet_phi");
    int h = img.height();
    int w = img.width();
    double r = img.halfWidth();
    for (int e = 0; e < d.size(); e++) {
      double sum = 0;
      double[] expected = new double[h * w];
      for (int k = 0; k < p.count(e); k++) {
        int row = clamp((int) Math.floor((p.get(e, k, 1) - axisEta[e] + r) / (2 * r) * h), h);
        int col = clamp((int) Math.floor((dphi(p.get(e, k, 2), axisPhi[e]) + r) / (2 * r) * w), w);
        expected[row * w + col] += p.get(e, k, 0);
      }
      for (int row = 0; row < h; row++) {
        for (int col = 0; col < w; col++) {
          float v = img.pixel(e, row, col);
          assertTrue(v >= 0);
          assertEquals(expected[row * w + col], v, 1e-4 + 1e-6 * v, "pixel " + row + "," + col);
          sum += v;
        }
      }
      assertEquals(pt[e], sum, 1e-5 * pt[e], "image sum of jet " + e);
    }
  }

  private static int clamp(int b, int size) {
    return Math.min(size - 1, Math.max(0, b));
  }

  /** Histogram mode, mean and standard deviation of one class's feature. */
  static double[] peak(ToyDataSet d, String feature, int cls, double lo, double hi, int bins) {
    float[] v = d.column(feature);
    int[] h = new int[bins];
    double s = 0;
    double s2 = 0;
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (d.label(i) != cls) continue;
      int b = (int) ((v[i] - lo) / (hi - lo) * bins);
      if (b >= 0 && b < bins) h[b]++;
      s += v[i];
      s2 += v[i] * v[i];
      n++;
    }
    int mode = 0;
    for (int b = 1; b < bins; b++) if (h[b] > h[mode]) mode = b;
    double mean = s / n;
    return new double[] {
      lo + (mode + 0.5) * (hi - lo) / bins, mean, Math.sqrt(s2 / n - mean * mean), n
    };
  }

  /** Fraction of one class's feature inside [lo, hi]. */
  static double fractionIn(ToyDataSet d, String feature, int cls, double lo, double hi) {
    float[] v = d.column(feature);
    int in = 0;
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (d.label(i) != cls) continue;
      n++;
      if (v[i] >= lo && v[i] <= hi) in++;
    }
    return in / (double) n;
  }
}
