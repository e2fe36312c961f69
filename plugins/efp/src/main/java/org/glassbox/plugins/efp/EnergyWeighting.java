package org.glassbox.plugins.efp;

/**
 * How the energy factor z_a depends on κ. Only the padded (zero-energy) particles are left out,
 * before any power is taken, so κ ≤ 0 never meets a zero.
 */
public enum EnergyWeighting {
  /**
   * {@code z_a = (x_a / Σ_b x_b)^κ} (x = pT or E): the convention of Glassbox's METHODS.md §8,
   * under which the κ = 0 edgeless EFP is the constituent multiplicity. The default.
   */
  FRACTION_TO_KAPPA,

  /**
   * {@code z_a = x_a^κ / Σ_b x_b^κ}: what EnergyFlow computes with its default {@code normed=True}.
   * Identical to {@link #FRACTION_TO_KAPPA} at κ = 1; offered so that numbers can be compared
   * with EnergyFlow's.
   */
  ENERGYFLOW_NORMED;

  /** Writes z_0..z_{m-1} for energies x (all positive) into z. */
  void weights(double[] x, double kappa, double[] z) {
    int m = x.length;
    if (this == FRACTION_TO_KAPPA) {
      double sum = 0;
      for (double v : x) {
        sum += v;
      }
      for (int a = 0; a < m; a++) {
        z[a] = Powers.power(x[a] / sum, kappa);
      }
    } else {
      double sum = 0;
      for (int a = 0; a < m; a++) {
        z[a] = Powers.power(x[a], kappa);
        sum += z[a];
      }
      for (int a = 0; a < m; a++) {
        z[a] /= sum;
      }
    }
  }
}
