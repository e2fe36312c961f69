package org.glassbox.plugins.taylor;

import java.util.ArrayList;
import java.util.List;

/**
 * The features of a Taylor expansion to order 1 or 2 in F variables: the monomials x_i (i < F),
 * then x_i·x_j for i ≤ j in lexicographic order, F + F(F+1)/2 in all at order 2. Each is indexed
 * by its sorted tuple of variables (METHODS.md §5).
 *
 * @param variables the number of variables F
 * @param order the highest order, 1 or 2
 * @param first the first variable of each feature
 * @param second the second variable of each feature, -1 for first-order features
 */
record Monomials(int variables, int order, int[] first, int[] second) {

  static Monomials of(int variables, int order) {
    int count = count(variables, order);
    int[] first = new int[count];
    int[] second = new int[count];
    int k = 0;
    for (int i = 0; i < variables; i++) {
      first[k] = i;
      second[k++] = -1;
    }
    if (order >= 2) {
      for (int i = 0; i < variables; i++) {
        for (int j = i; j < variables; j++) {
          first[k] = i;
          second[k++] = j;
        }
      }
    }
    return new Monomials(variables, order, first, second);
  }

  /** F at order 1, F + F(F+1)/2 at order 2. */
  static int count(long variables, int order) {
    long c = variables + (order >= 2 ? variables * (variables + 1) / 2 : 0);
    if (c > Integer.MAX_VALUE) throw new IllegalArgumentException("too many monomials: " + c);
    return (int) c;
  }

  int size() {
    return first.length;
  }

  /** Names in the data's variable names: {@code x1}, {@code x1*x2}, {@code x1^2}. */
  List<String> names(List<String> variableNames) {
    List<String> out = new ArrayList<>(size());
    for (int k = 0; k < size(); k++) {
      String a = variableNames.get(first[k]);
      if (second[k] < 0) out.add(a);
      else if (second[k] == first[k]) out.add(a + "^2");
      else out.add(a + "*" + variableNames.get(second[k]));
    }
    return out;
  }

  /** The variables each monomial involves, once each (x1^2 involves x1). */
  List<int[]> variablesOf() {
    List<int[]> out = new ArrayList<>(size());
    for (int k = 0; k < size(); k++) {
      if (second[k] < 0 || second[k] == first[k]) out.add(new int[] {first[k]});
      else out.add(new int[] {first[k], second[k]});
    }
    return out;
  }
}
