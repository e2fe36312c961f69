package org.glassbox.toys;

import java.util.Arrays;
import java.util.List;

/**
 * Writes finished jets into the N×P×3 particle array (absolute pT, η, φ, sorted by falling pT,
 * zero-padded), keeps each jet's axis, and derives from the <em>stored</em> float values everything
 * else: jet pT, mass, multiplicity and the image. Deriving from the stored values means a user who
 * recomputes an observable or an image from the particle lists gets the same numbers.
 */
final class JetStore {
  static final List<String> FIELDS = List.of("pt", "eta", "phi");

  final int events;
  final int maxParticles;
  final float[] particles;
  final int[] counts;
  final float[] axisEta;
  final float[] axisPhi;

  /** Per stored particle, the builder's group tag (sub-structure membership); not published. */
  final byte[] groups;

  JetStore(int events, int maxParticles) {
    this.events = events;
    this.maxParticles = maxParticles;
    this.particles = new float[events * maxParticles * 3];
    this.counts = new int[events];
    this.axisEta = new float[events];
    this.axisPhi = new float[events];
    this.groups = new byte[events * maxParticles];
  }

  /** Stores jet {@code e} with its axis at (eta, phi). */
  void put(int e, JetBuilder jet, double eta, double phi) {
    int n = jet.size();
    if (n > maxParticles)
      throw new IllegalStateException(n + " particles exceed the padding " + maxParticles);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    // Falling pT; ties (never seen in practice) keep creation order, so the order is reproducible.
    Arrays.sort(order, (a, b) -> Double.compare(jet.pt(b), jet.pt(a)));
    float fEta = (float) eta;
    float fPhi = phiFloat(phi);
    axisEta[e] = fEta;
    axisPhi[e] = fPhi;
    counts[e] = n;
    int base = e * maxParticles;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      int o = (base + k) * 3;
      particles[o] = (float) jet.pt(i);
      particles[o + 1] = (float) (fEta + jet.x(i));
      particles[o + 2] = phiFloat(fPhi + jet.y(i));
      groups[base + k] = (byte) jet.group(i);
    }
  }

  /**
   * An azimuth as a float in (−π, π]: wrapping in double is not enough, since float(π) is above π
   * and float(−π) below −π.
   */
  static float phiFloat(double phi) {
    float f = (float) Draw.wrap(phi);
    if (f > StrictMath.PI) f = StrictMath.nextDown(f);
    if (f <= -StrictMath.PI) f = StrictMath.nextUp(f);
    return f;
  }

  float pt(int e, int k) {
    return particles[(e * maxParticles + k) * 3];
  }

  /** Δη of stored particle k from the stored axis. */
  double deta(int e, int k) {
    return (double) particles[(e * maxParticles + k) * 3 + 1] - axisEta[e];
  }

  /** Δφ of stored particle k from the stored axis, wrapped to (−π, π]. */
  double dphi(int e, int k) {
    return Draw.wrap((double) particles[(e * maxParticles + k) * 3 + 2] - axisPhi[e]);
  }

  int group(int e, int k) {
    return groups[e * maxParticles + k];
  }

  /** Scalar sum of the constituents' pT: the toys' jet pT (seed 002's Σ pT_i). */
  double ptSum(int e) {
    double s = 0;
    for (int k = 0; k < counts[e]; k++) s += pt(e, k);
    return s;
  }

  /** Invariant mass of the stored (massless) constituents. */
  double mass(int e) {
    int n = counts[e];
    double[] p = new double[n];
    double[] de = new double[n];
    double[] dp = new double[n];
    for (int k = 0; k < n; k++) {
      p[k] = pt(e, k);
      de[k] = deta(e, k);
      dp[k] = dphi(e, k);
    }
    return StrictMath.sqrt(StrictMath.max(0, JetBuilder.mass2(p, de, dp, n)));
  }

  /**
   * Fills the N×1×H×W images: pT summed in (Δη, Δφ) bins over [−R, R]², row = Δη bin, column = Δφ
   * bin. Particles lie within ΔR ≤ R by construction; the clamp only absorbs float rounding at the
   * edge, so every image sums to the jet pT.
   */
  JetImages images(int size, double halfWidth) {
    float[] img = new float[events * size * size];
    double[] acc = new double[size * size];
    for (int e = 0; e < events; e++) {
      Arrays.fill(acc, 0);
      for (int k = 0; k < counts[e]; k++) {
        int r = bin(deta(e, k), halfWidth, size);
        int c = bin(dphi(e, k), halfWidth, size);
        acc[r * size + c] += pt(e, k);
      }
      int o = e * size * size;
      for (int j = 0; j < acc.length; j++) img[o + j] = (float) acc[j];
    }
    return new JetImages(events, size, size, halfWidth, img);
  }

  private static int bin(double v, double halfWidth, int size) {
    int b = (int) StrictMath.floor((v + halfWidth) / (2 * halfWidth) * size);
    return StrictMath.min(size - 1, StrictMath.max(0, b));
  }

  ParticleLists particleLists() {
    return new ParticleLists(FIELDS, maxParticles, particles, counts);
  }
}
