package org.glassbox.plugins.ado;

import org.glassbox.api.GlassboxException;

/**
 * The "differently ordered" signal/background pairs of two functions f and g (seed 002): those with
 * {@code (f_s - f_b)(g_s - g_b) < 0} strictly (ties excluded, as the authors' code does). The
 * pairs are never materialised; the set is f, g and the events, and {@link #score} judges a third
 * function h on it exactly.
 *
 * <p>Why it is a 3-D dominance count: the subset is the pairs with {@code f_b < f_s, g_b > g_s}
 * plus those with {@code f_s < f_b, g_s > g_b}, and on them DO(h, g) is 1 when h orders the pair
 * against f as g does. In coordinates {@code (x, y, z) = (f, -g, -h)} both halves become "one
 * point strictly below the other (of the other class) in x and y", and the lower one also below in
 * z is DO = 1, equal in z is a tie in h (½). {@link DominanceCounter} counts that in O(N log² N).
 */
public final class DisagreementSet {
  private final Scores f;
  private final Scores g;
  private final Events events;
  private final double weight;
  private final long pairCount;

  /** Events of positive weight in f order (zero-weight events add nothing to a weighted mean). */
  private final SortedEvents byF;
  /** {@code y << 32 | signal} per position, y = g's rank reversed; z is added per h. */
  private final long[] yKeys;

  private DisagreementSet(Scores f, Scores g, Events events) {
    this.f = f;
    this.g = g;
    this.events = events;
    // The subset is exactly the discordant pairs of ADO(f, g).
    ConcordanceCounter.Sums sums =
        DecisionOrdering.count(SortedEvents.of(f, events, false), g, events);
    this.weight = sums.discordant;
    this.pairCount = sums.discordantPairs;
    this.byF = SortedEvents.of(f, events, true);
    int[] gRank = g.ranks();
    int ug = g.distinctCount();
    yKeys = new long[byF.size()];
    for (int p = 0; p < yKeys.length; p++) {
      int e = byF.eventAt[p];
      yKeys[p] = DominanceCounter.pack(ug - 1 - gRank[e], 0, events.isSignal(e));
    }
  }

  /**
   * The pairs on which f and g strictly disagree.
   *
   * @throws GlassboxException if f or g does not have one score per event
   */
  public static DisagreementSet of(Scores f, Scores g, Events events) {
    events.requireSameSize(f);
    events.requireSameSize(g);
    return new DisagreementSet(f, g, events);
  }

  /** Total weight of the subset's pairs. */
  public double weight() {
    return weight;
  }

  /** Number of pairs in the subset, counting zero-weight ones too. */
  public long pairCount() {
    return pairCount;
  }

  /** Whether f and g order no pair of positive weight differently (nothing to score then). */
  public boolean isEmpty() {
    return !(weight > 0);
  }

  /** Fraction of all pair weight in the subset ({@code 1 - ADO} when there are no ties). */
  public double fraction() {
    return weight / events.pairWeight();
  }

  public Scores first() {
    return f;
  }

  public Scores second() {
    return g;
  }

  /**
   * The exact weighted mean of DO(h, g) over the subset, ties in h counting ½, in O(N log² N)
   * (using all available processors).
   *
   * @throws GlassboxException if h does not have one score per event, or the subset is empty
   */
  public DisagreementScore score(Scores h) {
    return score(h, Runtime.getRuntime().availableProcessors());
  }

  /** {@link #score(Scores)} with at most {@code threads} threads. */
  public DisagreementScore score(Scores h, int threads) {
    events.requireSameSize(h);
    if (isEmpty()) {
      throw new GlassboxException("'" + f.name() + "' and '" + g.name()
          + "' order no signal/background pair differently, so there is no subset to judge '"
          + h.name() + "' on (check isEmpty() first)");
    }
    int[] hRank = h.ranks();
    int uh = h.distinctCount();
    int n = byF.size();
    long[] key = new long[n];
    double[] w = new double[n];
    for (int p = 0; p < n; p++) {
      int e = byF.eventAt[p];
      key[p] = yKeys[p] | (long) (uh - 1 - hRank[e]) << 1;
      w[p] = events.weight(e);
    }
    DominanceCounter.Sums sums =
        DominanceCounter.count(key, w, byF.groupOf, byF.groupStart, uh, Math.max(1, threads));
    return new DisagreementScore(
        h.name(), sums.below() + 0.5 * sums.equal(), sums.pairs(), pairCount);
  }
}
