package org.glassbox.toys;

import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;

/**
 * The random draws every generator uses. Only {@link SplittableRandom#nextLong()}-derived uniforms
 * and {@link StrictMath} are used, so a seed gives bit-identical numbers on every JVM (the JDK's
 * own {@code nextGaussian} and {@code nextExponential} are not specified bit for bit across
 * versions).
 */
final class Draw {
  private static final double TWO_PI = 2 * StrictMath.PI;

  /**
   * Rejection loops give up after this many tries: parameters are validated to make this
   * unreachable.
   */
  private static final int MAX_TRIES = 100_000;

  private Draw() {}

  /** Uniform in [0, 1). */
  static double uniform(SplittableRandom r) {
    return r.nextDouble();
  }

  /** Uniform in [lo, hi). */
  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** Uniform in (0, 1]: safe under a logarithm. */
  static double uniformOpenZero(SplittableRandom r) {
    return 1.0 - r.nextDouble();
  }

  /** Standard normal by Box–Muller (one of the pair; the other is discarded for simplicity). */
  static double normal(SplittableRandom r) {
    double u1 = uniformOpenZero(r);
    double u2 = r.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
  }

  static double normal(SplittableRandom r, double mean, double sigma) {
    return mean + sigma * normal(r);
  }

  /** Normal truncated to [lo, hi] by rejection; callers keep the window wide in sigma units. */
  static double truncatedNormal(
      SplittableRandom r, double mean, double sigma, double lo, double hi) {
    if (sigma == 0) return StrictMath.min(hi, StrictMath.max(lo, mean));
    for (int i = 0; i < MAX_TRIES; i++) {
      double x = normal(r, mean, sigma);
      if (x >= lo && x <= hi) return x;
    }
    throw new GlassboxException(
        "normal(" + mean + ", " + sigma + ") rarely falls in [" + lo + ", " + hi + "]");
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom r, double mean) {
    return -mean * StrictMath.log(uniformOpenZero(r));
  }

  /** {@code offset +} exponential(mean), redrawn until it is at most {@code hi}. */
  static double truncatedExponential(SplittableRandom r, double offset, double mean, double hi) {
    for (int i = 0; i < MAX_TRIES; i++) {
      double x = offset + exponential(r, mean);
      if (x <= hi) return x;
    }
    throw new GlassboxException("exponential(" + mean + ") rarely falls below " + (hi - offset));
  }

  /** Log-uniform in [lo, hi): flat in log, the shape of soft and collinear QCD emissions. */
  static double logUniform(SplittableRandom r, double lo, double hi) {
    return lo * StrictMath.exp(r.nextDouble() * StrictMath.log(hi / lo));
  }

  /** Gamma with integer shape k (a sum of k exponentials) and the given scale. */
  static double gammaInteger(SplittableRandom r, int k, double scale) {
    double s = 0;
    for (int i = 0; i < k; i++) s += exponential(r, scale);
    return s;
  }

  /**
   * Binomial(n, p) as a sum of Bernoulli trials: bounded, so padding lengths are known in advance.
   */
  static int binomial(SplittableRandom r, int n, double p) {
    int k = 0;
    for (int i = 0; i < n; i++) if (r.nextDouble() < p) k++;
    return k;
  }

  static double angle(SplittableRandom r) {
    return TWO_PI * r.nextDouble();
  }

  /**
   * Exactly {@code signal} ones among {@code events} labels, in a seeded random order: the class
   * counts are exact (balanced means exactly half), and any contiguous train/test split stays
   * mixed.
   */
  static int[] shuffledLabels(SplittableRandom r, int events, int signal) {
    int[] labels = new int[events];
    for (int i = 0; i < signal; i++) labels[i] = 1;
    for (int i = events - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    return labels;
  }

  /** The number of signal events for a fraction; half-up rounding, the same on every machine. */
  static int signalCount(int events, double fraction) {
    return (int) StrictMath.min(events, StrictMath.round(events * fraction));
  }

  /** Wraps an angle to (−π, π]. */
  static double wrap(double phi) {
    double x = StrictMath.IEEEremainder(phi, TWO_PI);
    return x <= -StrictMath.PI ? x + TWO_PI : x;
  }
}
