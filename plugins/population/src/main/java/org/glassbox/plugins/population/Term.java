package org.glassbox.plugins.population;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One caveman term: a polynomial in the box coordinates v = 2(x − low)/(high − low) − 1 ∈ [−1, 1]
 * of 1 to 3 inputs, passed through a sigmoid (interior clusters: all monomials of degree ≤ 2) or
 * not (boundary clusters: the multilinear monomials 1, v_i, v_i·v_j, v_1·v_2·v_3, no squares).
 *
 * @param inputs feature indices
 * @param exponents one exponent vector (over the inputs) per monomial
 * @param coefficients one coefficient per monomial, in v coordinates
 */
record Term(boolean interior, int[] inputs, int[][] exponents, double[] coefficients) {

  /** Monomials of an interior term: 1, v_i, v_i v_j (i ≤ j). */
  static int[][] quadratic(int d) {
    List<int[]> m = new ArrayList<>();
    m.add(new int[d]);
    for (int i = 0; i < d; i++) {
      int[] e = new int[d];
      e[i] = 1;
      m.add(e);
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        int[] e = new int[d];
        e[i]++;
        e[j]++;
        m.add(e);
      }
    }
    return m.toArray(new int[0][]);
  }

  /** Monomials of a boundary term: products of distinct inputs (1, v_i, v_i v_j, v_1 v_2 v_3), by degree. */
  static int[][] multilinear(int d) {
    List<int[]> m = new ArrayList<>();
    for (int mask = 0; mask < (1 << d); mask++) {
      int[] e = new int[d];
      for (int i = 0; i < d; i++) if ((mask & (1 << i)) != 0) e[i] = 1;
      m.add(e);
    }
    m.sort((a, b) -> {
      int da = Arrays.stream(a).sum();
      int db = Arrays.stream(b).sum();
      if (da != db) return Integer.compare(da, db);
      for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return Integer.compare(b[i], a[i]);
      return 0;
    });
    return m.toArray(new int[0][]);
  }

  /** The monomials at a point v (length d). */
  static double[] features(int[][] exponents, double[] v) {
    double[] f = new double[exponents.length];
    for (int k = 0; k < exponents.length; k++) {
      double p = 1;
      for (int i = 0; i < v.length; i++) for (int r = 0; r < exponents[k][i]; r++) p *= v[i];
      f[k] = p;
    }
    return f;
  }

  /** The term at a point in v coordinates. */
  double atV(double[] v) {
    double[] f = features(exponents, v);
    double s = 0;
    for (int k = 0; k < f.length; k++) s += coefficients[k] * f[k];
    return interior ? sigmoid(s) : s;
  }

  /** The term at an event (all features, physical units). */
  double at(float[] x, int offset, Box box) {
    double[] v = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) v[i] = toV(box, inputs[i], x[offset + inputs[i]]);
    return atV(v);
  }

  static double toV(Box box, int feature, double x) {
    return 2 * box.unit(feature, x) - 1;
  }

  static double sigmoid(double s) {
    return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
  }

  /**
   * The polynomial in physical units: v_i = a_i x_i + b_i substituted and expanded; keys are
   * exponent vectors over the inputs, in order of degree.
   */
  Map<List<Integer>, Double> physical(Box box) {
    int d = inputs.length;
    Map<List<Integer>, Double> out = new TreeMap<>((p, q) -> {
      int dp = p.stream().mapToInt(Integer::intValue).sum();
      int dq = q.stream().mapToInt(Integer::intValue).sum();
      if (dp != dq) return Integer.compare(dp, dq);
      for (int i = 0; i < p.size(); i++) if (!p.get(i).equals(q.get(i))) return Integer.compare(q.get(i), p.get(i));
      return 0;
    });
    double[] a = new double[d];
    double[] b = new double[d];
    for (int i = 0; i < d; i++) {
      double w = box.width(inputs[i]);
      a[i] = w > 0 ? 2 / w : 0;
      b[i] = w > 0 ? -2 * box.low()[inputs[i]] / w - 1 : -1;
    }
    for (int k = 0; k < exponents.length; k++) {
      // Expand prod_i (a_i x_i + b_i)^{e_i} into a sum of monomials.
      Map<List<Integer>, Double> partial = new LinkedHashMap<>();
      partial.put(zeros(d), coefficients[k]);
      for (int i = 0; i < d; i++) {
        for (int r = 0; r < exponents[k][i]; r++) {
          Map<List<Integer>, Double> next = new LinkedHashMap<>();
          for (var e : partial.entrySet()) {
            List<Integer> up = new ArrayList<>(e.getKey());
            up.set(i, up.get(i) + 1);
            next.merge(up, e.getValue() * a[i], Double::sum);
            next.merge(e.getKey(), e.getValue() * b[i], Double::sum);
          }
          partial = next;
        }
      }
      partial.forEach((m, c) -> out.merge(m, c, Double::sum));
    }
    return out;
  }

  private static List<Integer> zeros(int d) {
    List<Integer> z = new ArrayList<>();
    for (int i = 0; i < d; i++) z.add(0);
    return z;
  }

  /** Readable form with feature names and coefficients rounded to 3 significant digits, e.g. sigmoid(10 - 40*x^2). */
  String readable(Box box, List<String> names) {
    Map<List<Integer>, Double> poly = physical(box);
    // Rounding noise of the expansion (e.g. 1e-17*x): below 1e-9 of the largest monomial's size over the box.
    Map<List<Integer>, Double> size = new LinkedHashMap<>();
    double largest = 0;
    for (var e : poly.entrySet()) {
      double m = Math.abs(e.getValue());
      for (int i = 0; i < inputs.length; i++) {
        double reach = Math.max(Math.abs(box.low()[inputs[i]]), Math.abs(box.high()[inputs[i]]));
        m *= Math.pow(reach, e.getKey().get(i));
      }
      size.put(e.getKey(), m);
      largest = Math.max(largest, m);
    }
    StringBuilder s = new StringBuilder();
    for (var e : poly.entrySet()) {
      double c = e.getValue();
      if (size.get(e.getKey()) <= 1e-9 * largest) continue;
      String monomial = monomial(e.getKey(), names);
      String number = round(Math.abs(c));
      if (number.equals("0")) continue;
      if (s.length() == 0) s.append(c < 0 ? "-" : "");
      else s.append(c < 0 ? " - " : " + ");
      if (monomial.isEmpty()) s.append(number);
      else if (number.equals("1")) s.append(monomial);
      else s.append(number).append('*').append(monomial);
    }
    if (s.length() == 0) s.append('0');
    return interior ? "sigmoid(" + s + ")" : "(" + s + ")";
  }

  private String monomial(List<Integer> e, List<String> names) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < e.size(); i++) {
      if (e.get(i) == 0) continue;
      String name = names.get(inputs[i]);
      parts.add(e.get(i) == 1 ? name : name + "^" + e.get(i));
    }
    return String.join("*", parts);
  }

  /** Three significant digits, plain notation between 1e-4 and 1e6, else scientific. */
  static String round(double v) {
    if (v == 0 || !Double.isFinite(v)) return Double.isFinite(v) ? "0" : Double.toString(v);
    BigDecimal r = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
    double a = Math.abs(v);
    return a >= 1e-4 && a < 1e6 ? r.toPlainString() : r.toString().replace("E+", "e").replace("E", "e");
  }
}
