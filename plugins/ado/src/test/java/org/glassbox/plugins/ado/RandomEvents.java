package org.glassbox.plugins.ado;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random test data: labels, optional weights (some of them 0) and correlated scores
 * f, g, h that separate signal from background a little, rounded to a few levels when ties are
 * wanted so that ties in f, in g, in h and in several at once are frequent.
 */
final class RandomEvents {
  final boolean[] signal;
  final double[] weights;
  final double[] f;
  final double[] g;
  final double[] h;

  RandomEvents(int n, long seed, boolean weighted, int levels) {
    SplittableRandom r = new SplittableRandom(seed);
    signal = new boolean[n];
    weights = new double[n];
    f = new double[n];
    g = new double[n];
    h = new double[n];
    for (int i = 0; i < n; i++) {
      signal[i] = r.nextDouble() < 0.4;
      double shift = signal[i] ? 0.7 : 0;
      double common = r.nextGaussian();
      f[i] = round(shift + common + 0.8 * r.nextGaussian(), levels);
      g[i] = round(shift + 0.6 * common + r.nextGaussian(), levels);
      h[i] = round(0.5 * shift - 0.5 * common + r.nextGaussian(), levels);
      weights[i] = !weighted ? 1 : r.nextDouble() < 0.05 ? 0 : 0.2 + 2 * r.nextDouble();
    }
  }

  /** levels > 0: the value snapped to a grid with about that many populated levels. */
  private static double round(double x, int levels) {
    return levels <= 0 ? x : Math.round(x * levels / 6.0) * 6.0 / levels;
  }

  Events events() {
    return Events.of(signal, weights);
  }

  Scores f() {
    return Scores.of("f", f);
  }

  Scores g() {
    return Scores.of("g", g);
  }

  Scores h() {
    return Scores.of("h", h);
  }

  static double[] negate(double[] x) {
    return Arrays.stream(x).map(v -> -v).toArray();
  }
}
