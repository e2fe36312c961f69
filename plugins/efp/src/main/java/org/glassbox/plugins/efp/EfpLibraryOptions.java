package org.glassbox.plugins.efp;

import java.util.HashSet;
import java.util.List;
import org.glassbox.api.GlassboxException;

/**
 * What an {@link EfpLibrary} computes. Validated on construction; problems are reported as
 * {@link GlassboxException}s naming the option.
 *
 * @param maxDegree largest number of edges d (0..8); all graphs with d ≤ maxDegree are included
 * @param kappas energy exponents κ (any finite values; κ ≠ 1 is IRC-unsafe)
 * @param betas angular exponents β (&gt; 0)
 * @param measure how energies and angles are measured
 * @param weighting how z depends on κ (default {@link EnergyWeighting#FRACTION_TO_KAPPA})
 */
public record EfpLibraryOptions(int maxDegree, List<Double> kappas, List<Double> betas, Measure measure, EnergyWeighting weighting) {
  /** Largest supported degree: graph enumeration and order search grow quickly beyond it. */
  public static final int MAX_DEGREE = 8;

  public EfpLibraryOptions {
    if (maxDegree < 0 || maxDegree > MAX_DEGREE) {
      throw new GlassboxException("maxDegree must be between 0 and " + MAX_DEGREE + ", got " + maxDegree);
    }
    kappas = checked("kappas", kappas, false);
    betas = checked("betas", betas, true);
    if (measure == null) {
      throw new GlassboxException("measure is required (hadronic or e+e-)");
    }
    if (weighting == null) {
      weighting = EnergyWeighting.FRACTION_TO_KAPPA;
    }
  }

  public EfpLibraryOptions(int maxDegree, List<Double> kappas, List<Double> betas, Measure measure) {
    this(maxDegree, kappas, betas, measure, EnergyWeighting.FRACTION_TO_KAPPA);
  }

  private static List<Double> checked(String name, List<Double> values, boolean positive) {
    if (values == null || values.isEmpty()) {
      throw new GlassboxException(name + " must list at least one value");
    }
    HashSet<Double> seen = new HashSet<>();
    for (Double v : values) {
      if (v == null || !Double.isFinite(v)) {
        throw new GlassboxException(name + " must be finite numbers, got " + v);
      }
      if (positive && v <= 0) {
        throw new GlassboxException(name + " must be > 0, got " + v);
      }
      if (!seen.add(v)) {
        throw new GlassboxException(name + " lists " + v + " twice");
      }
    }
    return List.copyOf(values);
  }
}
