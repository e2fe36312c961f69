package org.glassbox.plugins.efp;

import org.glassbox.api.GlassboxException;

/**
 * A batch of jets, each a list of particles, ready for EFP evaluation. Particles with zero
 * energy (pT or E) are padding: they are dropped here, so they never enter a sum and are never
 * raised to a power. Every factory copies its input.
 *
 * <p>Hadronic jets are given as (pT, y, φ) arrays, e⁺e⁻ jets as four-vectors (E, px, py, pz);
 * rows may be ragged, and an optional per-jet count says how many leading entries of a row are
 * particles (the rest is ignored).
 */
public final class JetBatch {
  private final Measure measure;
  /** columns[c][jet]: for hadronic c = pT, y, φ; for e⁺e⁻ c = E, px, py, pz. Padding removed. */
  private final double[][][] columns;

  private JetBatch(Measure measure, double[][][] columns) {
    this.measure = measure;
    this.columns = columns;
  }

  /** Hadronic jets, zero-padded: particles with pT = 0 are padding. */
  public static JetBatch hadronic(double[][] pt, double[][] rapidity, double[][] phi) {
    return hadronic(pt, rapidity, phi, null);
  }

  /**
   * Hadronic jets with a particle count per jet.
   *
   * @param pt transverse momenta, pt[jet][particle] ≥ 0
   * @param rapidity rapidity or pseudorapidity, same shape
   * @param phi azimuth in radians (any range: differences are wrapped), same shape
   * @param counts particles per jet (leading entries of each row), or null to use whole rows
   */
  public static JetBatch hadronic(double[][] pt, double[][] rapidity, double[][] phi, int[] counts) {
    return of(Measure.HADRONIC, new String[] {"pt", "rapidity", "phi"}, new double[][][] {pt, rapidity, phi}, counts);
  }

  /**
   * Hadronic jets packed row-major as [jet][particle][feature], as particle-list data sets store
   * them; zero-pT particles are padding.
   */
  public static JetBatch hadronic(float[] particles, int jets, int maxParticles, int features, int ptColumn, int rapidityColumn, int phiColumn) {
    if (jets < 0 || maxParticles < 0 || features < 1 || (long) jets * maxParticles * features != particles.length) {
      throw new GlassboxException("particle array of length " + particles.length + " is not jets × particles × features = "
          + jets + " × " + maxParticles + " × " + features);
    }
    for (int c : new int[] {ptColumn, rapidityColumn, phiColumn}) {
      if (c < 0 || c >= features) {
        throw new GlassboxException("feature column " + c + " is outside 0.." + (features - 1));
      }
    }
    double[][][] cols = new double[3][jets][maxParticles];
    int[] which = {ptColumn, rapidityColumn, phiColumn};
    for (int j = 0; j < jets; j++) {
      for (int p = 0; p < maxParticles; p++) {
        int base = (j * maxParticles + p) * features;
        for (int c = 0; c < 3; c++) {
          cols[c][j][p] = particles[base + which[c]];
        }
      }
    }
    return hadronic(cols[0], cols[1], cols[2], null);
  }

  /** e⁺e⁻ jets as four-vectors, zero-padded: particles with E = 0 are padding. */
  public static JetBatch fourVectors(double[][] e, double[][] px, double[][] py, double[][] pz) {
    return fourVectors(e, px, py, pz, null);
  }

  /** e⁺e⁻ jets as four-vectors with a particle count per jet (null: whole rows). */
  public static JetBatch fourVectors(double[][] e, double[][] px, double[][] py, double[][] pz, int[] counts) {
    return of(Measure.EE, new String[] {"E", "px", "py", "pz"}, new double[][][] {e, px, py, pz}, counts);
  }

  private static JetBatch of(Measure measure, String[] names, double[][][] in, int[] counts) {
    for (int c = 0; c < in.length; c++) {
      if (in[c] == null) {
        throw new GlassboxException(names[c] + " is missing (null)");
      }
    }
    int jets = in[0].length;
    for (int c = 1; c < in.length; c++) {
      if (in[c].length != jets) {
        throw new GlassboxException(names[c] + " has " + in[c].length + " jets but " + names[0] + " has " + jets);
      }
    }
    if (counts != null && counts.length != jets) {
      throw new GlassboxException("counts has " + counts.length + " entries but there are " + jets + " jets");
    }
    double[][][] out = new double[in.length][jets][];
    for (int j = 0; j < jets; j++) {
      for (int c = 0; c < in.length; c++) {
        if (in[c][j] == null) {
          throw new GlassboxException("jet " + j + ": " + names[c] + " is missing (null row)");
        }
      }
      int len = in[0][j].length;
      for (int c = 1; c < in.length; c++) {
        if (in[c][j].length != len) {
          throw new GlassboxException("jet " + j + ": " + names[c] + " has " + in[c][j].length + " entries but "
              + names[0] + " has " + len);
        }
      }
      int count = counts == null ? len : counts[j];
      if (count < 0 || count > len) {
        throw new GlassboxException("jet " + j + ": count " + count + " is outside 0.." + len);
      }
      int real = 0;
      for (int p = 0; p < count; p++) {
        double x = in[0][j][p];
        if (!(x >= 0) || Double.isInfinite(x)) {
          throw new GlassboxException("jet " + j + ", particle " + p + ": " + names[0] + " must be finite and ≥ 0, got " + x);
        }
        if (x > 0) {
          for (int c = 1; c < in.length; c++) {
            if (!Double.isFinite(in[c][j][p])) {
              throw new GlassboxException("jet " + j + ", particle " + p + ": " + names[c] + " is " + in[c][j][p]);
            }
          }
          real++;
        }
      }
      for (int c = 0; c < in.length; c++) {
        out[c][j] = new double[real];
      }
      int k = 0;
      for (int p = 0; p < count; p++) {
        if (in[0][j][p] > 0) {
          for (int c = 0; c < in.length; c++) {
            out[c][j][k] = in[c][j][p];
          }
          k++;
        }
      }
    }
    return new JetBatch(measure, out);
  }

  /** Number of jets. */
  public int size() {
    return columns[0].length;
  }

  /** Real (non-padding) particles of a jet. */
  public int particles(int jet) {
    return columns[0][jet].length;
  }

  /** Largest particle count in the batch. */
  public int maxParticles() {
    int best = 0;
    for (double[] row : columns[0]) {
      best = Math.max(best, row.length);
    }
    return best;
  }

  /** The measure whose inputs this batch holds. */
  public Measure measure() {
    return measure;
  }

  /** Column c of a jet, padding removed; not copied (callers only read). */
  double[] column(int c, int jet) {
    return columns[c][jet];
  }
}
