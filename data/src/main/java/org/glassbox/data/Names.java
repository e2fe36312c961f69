package org.glassbox.data;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** Helpers for messages about names: the nearest valid name and a readable list of the valid ones. */
final class Names {
  /** Lists stay readable in a terminal; the rest are counted. */
  private static final int SHOWN = 40;

  private Names() {}

  /**
   * The candidate closest to {@code wanted} by edit distance (ignoring case), if it is close enough
   * to be a plausible typo: within a third of the longer name, at least 2 edits, or one name
   * containing the other.
   */
  static Optional<String> nearest(String wanted, Collection<String> candidates) {
    String w = wanted.toLowerCase(Locale.ROOT);
    LevenshteinDistance d = LevenshteinDistance.getDefaultInstance();
    return candidates.stream()
        .filter(c -> !c.isBlank())
        .min(Comparator.comparingInt((String c) -> d.apply(w, c.toLowerCase(Locale.ROOT))))
        .filter(c -> {
          String lc = c.toLowerCase(Locale.ROOT);
          int dist = d.apply(w, lc);
          return dist <= Math.max(2, Math.max(w.length(), lc.length()) / 3) || lc.contains(w) || w.contains(lc);
        });
  }

  /** {@code " Did you mean 'pt'?"}, or nothing. */
  static String didYouMean(String wanted, Collection<String> candidates) {
    return nearest(wanted, candidates).map(n -> " Did you mean '" + n + "'?").orElse("");
  }

  /** The names quoted and comma-separated, the first {@value #SHOWN} of them. */
  static String list(Collection<String> names) {
    String shown = names.stream().limit(SHOWN).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    return names.size() > SHOWN ? shown + ", ... (" + (names.size() - SHOWN) + " more)" : shown;
  }

  /** The standard "no such name" message. */
  static String missing(String where, String what, String wanted, Collection<String> available) {
    return where + " has no " + what + " '" + wanted + "'. Available: " + list(available) + "."
        + didYouMean(wanted, available);
  }
}
