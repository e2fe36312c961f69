package org.glassbox.plugins.ado;

/**
 * Exact average decision ordering over all signal × background pairs, in O(N log N).
 *
 * <p>Never enumerates the {@code N_s × N_b} pairs. Concordant and discordant pair weights come
 * from a merge sort by g of the events sorted by f ({@link ConcordanceCounter}, the weighted,
 * two-sample Kendall-τ merge count); tied pairs are counted by groups of equal f, equal g and equal
 * (f, g): {@code tied = T_f + T_g - T_fg}.
 */
public final class DecisionOrdering {
  private DecisionOrdering() {}

  /**
   * ADO of f and g over the events' signal × background pairs, weighted by {@code w_s · w_b}.
   *
   * @throws org.glassbox.api.GlassboxException if f or g does not have one score per event
   */
  public static Ado exact(Scores f, Scores g, Events events) {
    events.requireSameSize(f);
    events.requireSameSize(g);
    SortedEvents byF = SortedEvents.of(f, events, false);
    ConcordanceCounter.Sums sums = count(byF, g, events);
    return new Ado(sums.concordant, sums.discordant, tiedWeight(byF, g, events));
  }

  /** Concordant and discordant weights and pair counts of (f, g), f given as its sorted events. */
  static ConcordanceCounter.Sums count(SortedEvents byF, Scores g, Events events) {
    int n = byF.size();
    long[] key = new long[n];
    double[] w = new double[n];
    int[] gRank = g.ranks();
    for (int p = 0; p < n; p++) {
      int e = byF.eventAt[p];
      key[p] = ConcordanceCounter.pack(gRank[e], events.isSignal(e));
      w[p] = events.weight(e);
    }
    return ConcordanceCounter.count(key, w, byF.groupOf, byF.groupStart, true);
  }

  /** Weight of the pairs tied in f or in g, by inclusion-exclusion over groups; O(N). */
  private static double tiedWeight(SortedEvents byF, Scores g, Events events) {
    int ug = g.distinctCount();
    int[] gRank = g.ranks();
    double[] signalAtG = new double[ug];
    double[] backgroundAtG = new double[ug];
    // Weight of the current f group at each g rank, for the pairs tied in both f and g.
    double[] cellSignal = new double[ug];
    double[] cellBackground = new double[ug];
    double tiedF = 0;
    double tiedBoth = 0;
    for (int grp = 0; grp + 1 < byF.groupStart.length; grp++) {
      int from = byF.groupStart[grp];
      int to = byF.groupStart[grp + 1];
      double groupSignal = 0;
      double groupBackground = 0;
      for (int p = from; p < to; p++) {
        int e = byF.eventAt[p];
        double w = events.weight(e);
        int r = gRank[e];
        if (events.isSignal(e)) {
          groupSignal += w;
          cellSignal[r] += w;
          signalAtG[r] += w;
        } else {
          groupBackground += w;
          cellBackground[r] += w;
          backgroundAtG[r] += w;
        }
      }
      tiedF += groupSignal * groupBackground;
      for (int p = from; p < to; p++) {
        int r = gRank[byF.eventAt[p]];
        // Zeroing after use makes a second event with the same g rank add 0 · 0.
        tiedBoth += cellSignal[r] * cellBackground[r];
        cellSignal[r] = 0;
        cellBackground[r] = 0;
      }
    }
    double tiedG = 0;
    for (int r = 0; r < ug; r++) {
      tiedG += signalAtG[r] * backgroundAtG[r];
    }
    if (tiedF == 0 && tiedG == 0) {
      return 0; // no rounding residue where there are no ties at all
    }
    return Math.max(0, tiedF + tiedG - tiedBoth);
  }
}
