package org.glassbox.plugins.ado;

/**
 * A mean over randomly drawn signal/background pairs, with its standard error: the seed authors'
 * way of computing ADO (and ours for cross-checks).
 *
 * @param raw the mean of the per-pair values (DO, or the Mann-Whitney indicator), before
 *     orientation
 * @param standardError the standard error of that mean (sample standard deviation / √pairs)
 * @param pairs the number of pairs the mean is over
 */
public record Estimate(double raw, double standardError, int pairs) {
  public double oriented() {
    return Orientation.orient(raw);
  }

  public Orientation orientation() {
    return Orientation.of(raw);
  }

  /** How many standard errors {@code exact} lies from this estimate. */
  public double pull(double exact) {
    return (raw - exact) / standardError;
  }
}
