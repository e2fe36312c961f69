package org.glassbox.plugins.ado;

import java.util.Arrays;
import org.glassbox.api.GlassboxException;

/**
 * One decision function evaluated on every event: a name (for messages and tables) and one score
 * per event, with the dense ranks that all exact computations here work on.
 *
 * <p>Only the order of scores matters to ADO and AUC, so the ranks are computed once, here, and
 * reused by every comparison (an ADO matrix or a guided iteration compares one function with many).
 * Equal scores get equal ranks; {@code -0.0} and {@code 0.0} are equal; infinities are allowed and
 * ordered (two equal infinities tie). NaN is rejected, since it has no place in an order.
 */
public final class Scores {
  /** Rank values are kept below this so the dominance counter can pack two ranks in a long. */
  private static final int MAX_EVENTS = Integer.MAX_VALUE - 8;

  private final String name;
  private final double[] values;
  private final int[] ranks;
  /** Distinct values, ascending: {@code distinct[ranks[i]] == values[i]} (with -0.0 as 0.0). */
  private final double[] distinct;

  private Scores(String name, double[] values) {
    this.name = name;
    this.values = values;
    DenseRanks dense = DenseRanks.of(values);
    this.distinct = dense.distinct;
    this.ranks = dense.ranks;
  }

  /**
   * Scores of the decision function {@code name}, one per event (copied).
   *
   * @throws GlassboxException if a score is NaN (naming the first such event)
   */
  public static Scores of(String name, double[] values) {
    if (name == null || name.isBlank()) {
      throw new GlassboxException("a decision function needs a name (used in messages and tables)");
    }
    if (values == null) {
      throw new GlassboxException("no scores given for '" + name + "'");
    }
    if (values.length > MAX_EVENTS) {
      throw new GlassboxException("scores '" + name + "' have " + values.length
          + " values; at most " + MAX_EVENTS + " events are supported");
    }
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new GlassboxException("score of '" + name + "' is NaN at event index " + i
            + "; every event needs a score that can be ordered (remove or fix that event)");
      }
    }
    return new Scores(name, values.clone());
  }

  /** Scores that are the labels themselves (1 signal, 0 background): the truth as a function. */
  public static Scores truth(Events events) {
    double[] y = new double[events.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = events.isSignal(i) ? 1 : 0;
    }
    return new Scores("truth", y);
  }

  public String name() {
    return name;
  }

  public int size() {
    return values.length;
  }

  public double value(int event) {
    return values[event];
  }

  /** Number of distinct scores (ties make it smaller than {@link #size()}). */
  public int distinctCount() {
    return distinct.length;
  }

  /** The same scores under another name. */
  public Scores named(String newName) {
    return of(newName, values);
  }

  /** Dense rank of each event's score, in {@code [0, distinctCount())}; shared, do not modify. */
  int[] ranks() {
    return ranks;
  }

  /** The score value of a rank. */
  double valueOfRank(int rank) {
    return distinct[rank];
  }

  /**
   * Event indices ordered by rank (a counting sort, O(N)); {@code groupStart[r]} .. {@code
   * groupStart[r + 1]} are the positions of the events with rank r.
   */
  RankOrder order() {
    int u = distinct.length;
    int[] start = new int[u + 1];
    for (int r : ranks) {
      start[r + 1]++;
    }
    for (int r = 0; r < u; r++) {
      start[r + 1] += start[r];
    }
    int[] next = Arrays.copyOf(start, u);
    int[] order = new int[ranks.length];
    for (int i = 0; i < ranks.length; i++) {
      order[next[ranks[i]]++] = i;
    }
    return new RankOrder(order, start);
  }

  /** Events sorted by rank, and where each rank's group begins. */
  static final class RankOrder {
    final int[] events;
    final int[] groupStart;

    RankOrder(int[] events, int[] groupStart) {
      this.events = events;
      this.groupStart = groupStart;
    }
  }

  @Override
  public String toString() {
    return "Scores[" + name + ", " + values.length + " events, " + distinct.length + " distinct]";
  }
}
