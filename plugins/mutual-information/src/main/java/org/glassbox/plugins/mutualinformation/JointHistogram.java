package org.glassbox.plugins.mutualinformation;

/**
 * The mutual information of two binned functions: one pass over the events into a histogram
 * indexed by {@code binX * binsY + binY} (integer counts without weights, summed weights with
 * them), then eq. 1 of seed 000 over its cells.
 */
final class JointHistogram {
  private JointHistogram() {}

  /**
   * Mutual information and the two entropies, all in nats, of the joint distribution; the
   * marginals are taken from the joint histogram itself.
   */
  record Information(double mutual, double entropyX, double entropyY) {
    /**
     * Seed 000 eq. 1: I / sqrt(H(X) H(Y)), clipped to [0, 1] against rounding; NaN when either
     * function is constant on the weighted events (0/0: a constant carries no information).
     */
    double normalised() {
      if (!(entropyX > 0) || !(entropyY > 0)) return Double.NaN;
      return Math.min(1, Math.max(0, mutual / Math.sqrt(entropyX * entropyY)));
    }
  }

  /**
   * @param x bins of the first function, 0 to {@code nx - 1}
   * @param y bins of the second function, 0 to {@code ny - 1}, event by event with {@code x}
   * @param weights event weights, or null for unit weights (integer counting)
   */
  static Information of(short[] x, int nx, short[] y, int ny, double[] weights) {
    int n = x.length;
    double[] joint = new double[nx * ny];
    if (weights == null) {
      int[] counts = new int[nx * ny];
      for (int e = 0; e < n; e++) counts[x[e] * ny + y[e]]++;
      for (int c = 0; c < counts.length; c++) joint[c] = counts[c];
    } else {
      for (int e = 0; e < n; e++) joint[x[e] * ny + y[e]] += weights[e];
    }
    return of(joint, nx, ny);
  }

  /** Eq. 1 from a joint histogram of non-negative weights, row-major [nx][ny]. */
  static Information of(double[] joint, int nx, int ny) {
    double[] px = new double[nx];
    double[] py = new double[ny];
    double total = 0;
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < ny; j++) {
        double h = joint[i * ny + j];
        px[i] += h;
        py[j] += h;
      }
    }
    for (double h : px) total += h;
    double mutual = 0;
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < ny; j++) {
        double h = joint[i * ny + j];
        // p(x,y) log(p(x,y) / (p(x) p(y))) with p = h / total.
        if (h > 0) mutual += h * Math.log(h * total / (px[i] * py[j]));
      }
    }
    return new Information(Math.max(mutual / total, 0), QuantileBinning.entropy(px), QuantileBinning.entropy(py));
  }
}
