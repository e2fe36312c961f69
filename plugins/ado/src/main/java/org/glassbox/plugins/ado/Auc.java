package org.glassbox.plugins.ado;

/**
 * Area under the ROC curve of a score, as the Mann-Whitney pair count: the weighted fraction of
 * signal × background pairs with the signal scoring higher, ties counting ½.
 *
 * @param above weight of the pairs with {@code score_s > score_b}
 * @param tied weight of the pairs with {@code score_s == score_b}
 * @param below weight of the pairs with {@code score_s < score_b}
 */
public record Auc(double above, double tied, double below) {
  /**
   * Exact weighted AUC of {@code score} with high scores signal-like, in O(N log N) (the sort is
   * {@link Scores}'s; the count itself is one pass over the ranks).
   */
  public static Auc exact(Scores score, Events events) {
    events.requireSameSize(score);
    int u = score.distinctCount();
    double[] signalAt = new double[u];
    double[] backgroundAt = new double[u];
    int[] rank = score.ranks();
    for (int i = 0; i < rank.length; i++) {
      if (events.isSignal(i)) {
        signalAt[rank[i]] += events.weight(i);
      } else {
        backgroundAt[rank[i]] += events.weight(i);
      }
    }
    double above = 0;
    double tied = 0;
    double backgroundBelow = 0;
    for (int r = 0; r < u; r++) {
      above += signalAt[r] * backgroundBelow;
      tied += signalAt[r] * backgroundAt[r];
      backgroundBelow += backgroundAt[r];
    }
    // Counted from the top as well, so that "below" is exactly 0 for a perfect separation.
    double below = 0;
    double backgroundAbove = 0;
    for (int r = u - 1; r >= 0; r--) {
      below += signalAt[r] * backgroundAbove;
      backgroundAbove += backgroundAt[r];
    }
    return new Auc(above, tied, below);
  }

  /** Weight of all signal × background pairs, as the sum of its parts. */
  public double pairWeight() {
    return above + tied + below;
  }

  /** AUC with high scores signal-like. */
  public double value() {
    return (above + 0.5 * tied) / pairWeight();
  }

  /** AUC in the given direction ({@code 1 - value()} when low scores are signal-like). */
  public double value(Direction direction) {
    return direction == Direction.SIGNAL_HIGH ? value() : 1 - value();
  }

  /** "Its own AUC" (seed 002): {@code max(AUC, 1 - AUC)}, whichever direction separates better. */
  public double own() {
    return Orientation.orient(value());
  }

  /** {@link Orientation#INVERTED} when low scores are the more signal-like. */
  public Orientation orientation() {
    return Orientation.of(value());
  }
}
