package org.glassbox.plugins.activationdifference;

import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;

/**
 * Draws the donor event whose value of feature i replaces x_i: x'_i ∼ p(x_i), the weighted marginal
 * of the data set, never the event itself (METHODS.md §1: "feature i of a randomly chosen other
 * event"; leaving the event out makes x and x' independent, so the estimate has no O(1/N) bias
 * towards 0).
 *
 * <p>Donors are drawn with probability ∝ |w| (Walker's alias method, O(1) per draw) and carry the
 * factor {@link #factor}: sign(w_m)·Σ_{k≠n}|w_k| / Σ_{k≠n}w_k. With non-negative weights the factor
 * is 1 and this is plain sampling from the weighted marginal; with the negative weights of
 * higher-order Monte Carlo it is the usual signed importance weight, which keeps the estimate
 * unbiased. Equal weights take a shortcut: uniform draws, no table.
 */
final class DonorSampler {
  private final int n;
  private final double[] weights;
  private final double totalAbs;
  private final double total;
  // Alias table (null when every weight is equal and positive: uniform draws).
  private final double[] probability;
  private final int[] alias;

  private DonorSampler(double[] weights) {
    this.n = weights.length;
    this.weights = weights;
    double a = 0;
    double t = 0;
    boolean equal = true;
    int nonZero = 0;
    for (double w : weights) {
      if (!Double.isFinite(w)) throw new GlassboxException("An event weight is " + w + "; weights must be finite.");
      a += Math.abs(w);
      t += w;
      equal &= w == weights[0];
      if (w != 0) nonZero++;
    }
    if (nonZero < 2) {
      throw new GlassboxException("Activation difference needs at least two events with non-zero weight (the"
          + " replacement value comes from another event); the data has " + nonZero + ".");
    }
    if (!(t > 0)) {
      throw new GlassboxException("The event weights sum to " + t + "; the weighted marginal p(x_i) that replacement"
          + " values are drawn from needs a positive total. Use 'unweighted: true' to ignore the weights.");
    }
    this.totalAbs = a;
    this.total = t;
    if (equal && weights[0] > 0) {
      probability = null;
      alias = null;
    } else {
      probability = new double[n];
      alias = new int[n];
      buildAlias(a);
    }
  }

  static DonorSampler of(double[] weights) {
    return new DonorSampler(weights);
  }

  /** Vose's variant of the alias method: every column i keeps itself with probability[i], else alias[i]. */
  private void buildAlias(double totalAbs) {
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = Math.abs(weights[i]) * n / totalAbs;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      probability[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // What is left is 1 up to rounding.
    while (nl > 0) probability[large[--nl]] = 1;
    while (ns > 0) probability[small[--ns]] = 1;
  }

  /** A donor event other than {@code self}, drawn ∝ |w|. */
  int draw(int self, SplittableRandom random) {
    while (true) {
      int m;
      if (probability == null) {
        m = random.nextInt(n);
      } else {
        int column = random.nextInt(n);
        m = random.nextDouble() < probability[column] ? column : alias[column];
      }
      if (m != self) return m;
    }
  }

  /** The importance factor of donor {@code donor} for event {@code self}: exactly 1 for non-negative weights. */
  double factor(int donor, int self) {
    if (probability == null) return 1;
    double w = weights[donor];
    double restAbs = totalAbs - Math.abs(weights[self]);
    double rest = total - weights[self];
    if (restAbs == rest) return w < 0 ? -1 : 1;
    if (!(rest > 0)) {
      throw new GlassboxException("Without event " + self + " the weights sum to " + rest + "; the weighted marginal"
          + " p(x_i) needs a positive total. Use 'unweighted: true' to ignore the weights.");
    }
    return Math.signum(w) * restAbs / rest;
  }
}
