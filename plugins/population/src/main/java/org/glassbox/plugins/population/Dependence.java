package org.glassbox.plugins.population;

/**
 * How much a population's histogram departs from independence (METHODS.md §4.2, conventions):
 * 1-D, the KL divergence of the population's marginal from the starting distribution; 2-D, the
 * normalised mutual information of seed 000 eq. 1; 3-D, the normalised total correlation
 * (H(X)+H(Y)+H(W) − H(X,Y,W)) / (H(X)+H(Y)+H(W) − max H). Natural logarithms; 0·log 0 = 0.
 */
final class Dependence {
  private Dependence() {}

  /** KL(p ‖ q) of the histogram of {@code bins} (bin index per point) against q. */
  static double kl(int[] bins, double[] q) {
    double[] counts = new double[q.length];
    for (int b : bins) counts[b]++;
    double n = bins.length;
    double kl = 0;
    for (int b = 0; b < q.length; b++) {
      if (counts[b] == 0) continue;
      double p = counts[b] / n;
      kl += p * Math.log(p / Math.max(q[b], 1e-12));
    }
    return kl;
  }

  /** Normalised mutual information I(X;Y)/sqrt(H(X)H(Y)) (seed 000 eq. 1); 0 when either entropy is 0. */
  static double mutualInformation(int[] a, int na, int[] b, int nb) {
    int n = a.length;
    int[] joint = new int[na * nb];
    int[] ca = new int[na];
    int[] cb = new int[nb];
    for (int i = 0; i < n; i++) {
      joint[a[i] * nb + b[i]]++;
      ca[a[i]]++;
      cb[b[i]]++;
    }
    double ha = entropy(ca, n);
    double hb = entropy(cb, n);
    if (!(ha > 0) || !(hb > 0)) return 0;
    double mi = ha + hb - entropy(joint, n);
    return Math.max(mi, 0) / Math.sqrt(ha * hb);
  }

  /** Normalised total correlation of three binned variables; 0 when the denominator is 0. */
  static double totalCorrelation(int[] a, int na, int[] b, int nb, int[] c, int nc) {
    int n = a.length;
    int[] joint = new int[na * nb * nc];
    int[] ca = new int[na];
    int[] cb = new int[nb];
    int[] cc = new int[nc];
    for (int i = 0; i < n; i++) {
      joint[(a[i] * nb + b[i]) * nc + c[i]]++;
      ca[a[i]]++;
      cb[b[i]]++;
      cc[c[i]]++;
    }
    double ha = entropy(ca, n);
    double hb = entropy(cb, n);
    double hc = entropy(cc, n);
    double sum = ha + hb + hc;
    double denominator = sum - Math.max(ha, Math.max(hb, hc));
    if (!(denominator > 1e-12)) return 0;
    return Math.max(sum - entropy(joint, n), 0) / denominator;
  }

  static double entropy(int[] counts, int n) {
    double h = 0;
    for (int c : counts) {
      if (c == 0) continue;
      double p = (double) c / n;
      h -= p * Math.log(p);
    }
    return h;
  }
}
