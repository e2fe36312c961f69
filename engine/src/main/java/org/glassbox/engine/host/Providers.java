package org.glassbox.engine.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.MethodProvider;

/**
 * The providers of one SPI by id. Ids are lowercase kebab-case, checked once; two providers with
 * one id are an error naming both origins (first-wins would hide a mistake).
 */
public final class Providers<S extends MethodProvider> {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private final String spi;
  private final Map<String, Installed<S>> byId;

  Providers(String spi, List<Installed<S>> found) {
    this.spi = spi;
    Map<String, Installed<S>> m = new LinkedHashMap<>();
    for (Installed<S> p : found) {
      String id = p.provider().id();
      if (id == null || !ID.matcher(id).matches()) {
        throw new GlassboxException("The " + spi + " method " + p.provider().getClass().getName() + " from " + p.origin()
            + " has the id '" + id + "'; ids are lowercase words joined by '-' (e.g. gradient-x-input).");
      }
      Installed<S> before = m.putIfAbsent(id, p);
      if (before != null) {
        throw new GlassboxException("Two " + spi + " methods have the id '" + id + "': " + before.provider().getClass().getName()
            + " from " + before.origin() + " and " + p.provider().getClass().getName() + " from " + p.origin()
            + ". Remove one of the plugins.");
      }
    }
    this.byId = m;
  }

  public String spi() {
    return spi;
  }

  public Collection<Installed<S>> all() {
    return byId.values();
  }

  public boolean has(String id) {
    return byId.containsKey(id);
  }

  /** The provider with this id; an unknown id lists the installed ones and the nearest. */
  public S get(String id) {
    Installed<S> p = byId.get(id);
    if (p == null) {
      throw new GlassboxException("No " + spi + " method '" + id + "'. " + suggestion(id, new ArrayList<>(byId.keySet()))
          + " Installed: " + String.join(", ", byId.keySet()) + ". A plugin jar may be missing from the plugins folder.");
    }
    return p.provider();
  }

  /** "Did you mean 'x'?" for the closest of the candidates, or "" when none is close. */
  public static String suggestion(String wrong, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(wrong.toLowerCase(), c.toLowerCase());
      // Ties go to the alphabetically first, so the hint does not depend on the order of a Set.
      if (d < bestDistance || d == bestDistance && c.compareTo(best) < 0) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, wrong.length() / 3) ? "Did you mean '" + best + "'?" : "";
  }

  /**
   * Edit distance with adjacent transpositions (optimal string alignment): "modle" is one edit from
   * "model", as a typist would count it, and so is not a tie with "models".
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

}
