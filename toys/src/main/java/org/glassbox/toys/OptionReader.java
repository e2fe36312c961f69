package org.glassbox.toys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glassbox.api.GlassboxException;

/**
 * Reads a generator's options from a key/value map (as parsed from YAML: numbers may arrive as
 * Integer, Long, Double or text). Unknown keys, wrong types and values outside a choice fail at
 * once with a message naming the toy, the key and what is allowed; ranges are checked by each
 * generator's typed options record.
 */
final class OptionReader {
  private final String toy;
  private final Map<String, ToyOption> specs = new LinkedHashMap<>();
  private final Map<String, ?> given;

  OptionReader(String toy, List<ToyOption> options, Map<String, ?> given) {
    this.toy = toy;
    for (ToyOption o : options) specs.put(o.name(), o);
    this.given = given == null ? Map.of() : given;
    for (Map.Entry<String, ?> e : this.given.entrySet()) {
      String key = e.getKey();
      if (key == null || !specs.containsKey(key)) {
        String near = nearest(String.valueOf(key), specs.keySet());
        throw new GlassboxException(
            "toy data set '"
                + toy
                + "' has no option '"
                + key
                + "'"
                + (near == null ? "" : " (did you mean '" + near + "'?)")
                + "; its options are: "
                + String.join(", ", specs.keySet())
                + ".");
      }
      if (e.getValue() == null) {
        throw fail(
            key, "has no value; remove it to use the default " + specs.get(key).defaultValue());
      }
    }
  }

  boolean isGiven(String name) {
    return given.containsKey(name);
  }

  long getLong(String name) {
    Object v = raw(name);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (d == StrictMath.rint(d) && StrictMath.abs(d) < 9.0e15) return (long) d;
    } else if (v instanceof String) {
      try {
        return Long.parseLong(((String) v).strip());
      } catch (NumberFormatException ignored) {
        // fall through to the message below
      }
    }
    throw fail(name, "must be a whole number, got " + describe(v));
  }

  int getInt(String name) {
    long v = getLong(name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw fail(name, "is out of range, got " + v);
    }
    return (int) v;
  }

  double getDouble(String name) {
    Object v = raw(name);
    double d;
    if (v instanceof Number) {
      d = ((Number) v).doubleValue();
    } else if (v instanceof String) {
      try {
        d = Double.parseDouble(((String) v).strip());
      } catch (NumberFormatException e) {
        throw fail(name, "must be a number, got " + describe(v));
      }
    } else {
      throw fail(name, "must be a number, got " + describe(v));
    }
    if (!Double.isFinite(d)) throw fail(name, "must be a finite number, got " + describe(v));
    return d;
  }

  boolean getBoolean(String name) {
    Object v = raw(name);
    if (v instanceof Boolean) return (Boolean) v;
    if (v instanceof String) {
      String s = ((String) v).strip().toLowerCase(Locale.ROOT);
      if (s.equals("true")) return true;
      if (s.equals("false")) return false;
    }
    throw fail(name, "must be true or false, got " + describe(v));
  }

  String getChoice(String name) {
    ToyOption spec = specs.get(name);
    Object v = raw(name);
    String s = String.valueOf(v).strip();
    if (!spec.allowed().contains(s)) {
      String near = nearest(s, spec.allowed());
      throw fail(
          name,
          "must be one of "
              + String.join(", ", spec.allowed())
              + ", got "
              + describe(v)
              + (near == null ? "" : " (did you mean '" + near + "'?)"));
    }
    return s;
  }

  /**
   * Fails when an option was given that the chosen variant ignores, so no setting is silently lost.
   */
  void rejectIfGiven(String name, String why) {
    if (isGiven(name)) throw fail(name, why);
  }

  private Object raw(String name) {
    ToyOption spec = specs.get(name);
    if (spec == null) throw new IllegalStateException("undeclared option " + name);
    Object v = given.get(name);
    return v == null ? spec.defaultValue() : v;
  }

  private GlassboxException fail(String name, String what) {
    return Checks.error(toy, name, what);
  }

  private static String describe(Object v) {
    return v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
  }

  /** The allowed name closest in edit distance, if it is close enough to be a plausible typo. */
  static String nearest(String word, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= StrictMath.max(2, best.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = StrictMath.min(sub, StrictMath.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
