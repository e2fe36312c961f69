package org.glassbox.plugins.efp;

/**
 * How particle energies and pairwise angles are measured. Both give θ_ab as a power of a squared
 * distance q_ab: {@code θ_ab = q_ab^(β/2)}.
 */
public enum Measure {
  /**
   * Hadron colliders: energies are transverse momenta pT; {@code q_ab = Δy_ab² + Δφ_ab²} with Δφ
   * wrapped to (−π, π] (so a jet across φ = ±π is handled), y being rapidity or pseudorapidity as
   * the caller gives it. Input: {@link JetBatch#hadronic}.
   */
  HADRONIC {
    @Override
    void squaredDistances(JetBatch jets, int jet, double[] q) {
      double[] y = jets.column(1, jet);
      double[] phi = jets.column(2, jet);
      int m = y.length;
      for (int a = 0; a < m; a++) {
        q[a * m + a] = 0;
        for (int b = a + 1; b < m; b++) {
          double dy = y[a] - y[b];
          double dphi = phi[a] - phi[b];
          if (dphi > Math.PI || dphi < -Math.PI) {
            // Only pairs across the wrap pay for the (slow) remainder.
            dphi = Math.IEEEremainder(dphi, 2 * Math.PI);
          }
          double v = dy * dy + dphi * dphi;
          q[a * m + b] = v;
          q[b * m + a] = v;
        }
      }
    }
  },

  /**
   * e⁺e⁻ colliders, as EnergyFlow's {@code 'ee'} measure defines it: energies are E;
   * {@code q_ab = |2 p_a·p_b / (E_a E_b)|} with the Minkowski product {@code p_a·p_b = E_a E_b −
   * p⃗_a·p⃗_b}, i.e. {@code 2(1 − cos Ω_ab)} for massless particles. The diagonal is kept, as in
   * EnergyFlow: {@code q_aa = 2m_a²/E_a²}, but set to exactly 0 when {@code |E² − |p⃗|²| ≤ 1e-12 E²}
   * (a massless particle up to rounding; EnergyFlow would keep the noise). The absolute value
   * (EnergyFlow's too) absorbs rounding below zero. Input: {@link JetBatch#fourVectors}.
   */
  EE {
    @Override
    void squaredDistances(JetBatch jets, int jet, double[] q) {
      double[] e = jets.column(0, jet);
      double[] px = jets.column(1, jet);
      double[] py = jets.column(2, jet);
      double[] pz = jets.column(3, jet);
      int m = e.length;
      for (int a = 0; a < m; a++) {
        double p2 = px[a] * px[a] + py[a] * py[a] + pz[a] * pz[a];
        double mass2 = e[a] * e[a] - p2;
        // A massless particle's E² − |p|² is rounding noise, which θ^β with small β would blow up
        // (1e-16^0.25 = 1e-4): count it as zero.
        q[a * m + a] = Math.abs(mass2) <= MASSLESS * e[a] * e[a] ? 0 : Math.abs(2 * mass2 / (e[a] * e[a]));
        for (int b = a + 1; b < m; b++) {
          double dot = e[a] * e[b] - px[a] * px[b] - py[a] * py[b] - pz[a] * pz[b];
          double v = Math.abs(2 * dot / (e[a] * e[b]));
          q[a * m + b] = v;
          q[b * m + a] = v;
        }
      }
    }
  };

  /** Relative size of E² − |p|² below which a particle counts as massless. */
  static final double MASSLESS = 1e-12;

  /** Fills the m×m matrix q (row-major, m = the jet's particle count) of squared distances. */
  abstract void squaredDistances(JetBatch jets, int jet, double[] q);

  /** Name used in messages: how this measure is asked for. */
  String label() {
    return this == HADRONIC ? "hadronic" : "e+e-";
  }
}
