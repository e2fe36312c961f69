package org.glassbox.plugins.ado;

import java.util.Arrays;

/**
 * Events in the order of one function's scores, with its groups of equal score: the x axis of the
 * pair counters, which split only between groups so that "left of" means "strictly smaller".
 */
final class SortedEvents {
  /** The event at each position. */
  final int[] eventAt;
  /** The group (index of the distinct score among those present) of each position. */
  final int[] groupOf;
  /** Where each group begins; one more entry than groups, the last is the length. */
  final int[] groupStart;

  private SortedEvents(int[] eventAt, int[] groupOf, int[] groupStart) {
    this.eventAt = eventAt;
    this.groupOf = groupOf;
    this.groupStart = groupStart;
  }

  /**
   * The events sorted by {@code x}; only those of positive weight if asked (they add nothing to a
   * weighted sum, and the Fenwick clearing of {@link DominanceCounter} needs positive weights).
   */
  static SortedEvents of(Scores x, Events events, boolean positiveWeightOnly) {
    Scores.RankOrder byX = x.order();
    int n = 0;
    for (int e = 0; e < events.size(); e++) {
      if (!positiveWeightOnly || events.weight(e) > 0) {
        n++;
      }
    }
    int[] eventAt = new int[n];
    int[] groupOf = new int[n];
    int ranks = byX.groupStart.length - 1;
    int[] starts = new int[ranks + 1];
    int p = 0;
    int group = 0;
    for (int r = 0; r < ranks; r++) {
      int before = p;
      for (int q = byX.groupStart[r]; q < byX.groupStart[r + 1]; q++) {
        int e = byX.events[q];
        if (!positiveWeightOnly || events.weight(e) > 0) {
          eventAt[p] = e;
          groupOf[p] = group;
          p++;
        }
      }
      if (p > before) {
        group++;
        starts[group] = p;
      }
    }
    return new SortedEvents(eventAt, groupOf, Arrays.copyOf(starts, group + 1));
  }

  int size() {
    return eventAt.length;
  }
}
