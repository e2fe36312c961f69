package org.glassbox.plugins.ado;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.api.GlassboxException;

/**
 * ADO between every two of k decision functions (seed 002's table "ADO similarity of pairs of HL
 * observables"), exact; symmetric, so k(k+1)/2 computations of O(N log N).
 */
public final class AdoMatrix {
  private final List<String> names;
  private final Ado[][] entries;

  private AdoMatrix(List<String> names, Ado[][] entries) {
    this.names = names;
    this.entries = entries;
  }

  /**
   * The exact ADO of every pair of the given functions, the diagonal included (ADO(f, f) is 1 less
   * half the weight of the pairs f ties).
   *
   * @throws GlassboxException if no function is given, two share a name, or one does not have a
   *     score per event
   */
  public static AdoMatrix exact(List<Scores> functions, Events events) {
    if (functions == null || functions.isEmpty()) {
      throw new GlassboxException("an ADO matrix needs at least one decision function");
    }
    int k = functions.size();
    List<String> names = new ArrayList<>(k);
    for (Scores s : functions) {
      if (names.contains(s.name())) {
        throw new GlassboxException("two decision functions are both named '" + s.name()
            + "'; names label the ADO matrix's rows and columns, so they must differ");
      }
      events.requireSameSize(s);
      names.add(s.name());
    }
    Ado[][] entries = new Ado[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        Ado a = DecisionOrdering.exact(functions.get(i), functions.get(j), events);
        entries[i][j] = a;
        entries[j][i] = a;
      }
    }
    return new AdoMatrix(List.copyOf(names), entries);
  }

  public int size() {
    return names.size();
  }

  public List<String> names() {
    return names;
  }

  public Ado get(int i, int j) {
    return entries[i][j];
  }

  public double raw(int i, int j) {
    return entries[i][j].raw();
  }

  public double oriented(int i, int j) {
    return entries[i][j].oriented();
  }

  /** The oriented matrix as a text table, values to three decimals (as seed 002 prints them). */
  public String toTable() {
    int width = 7;
    for (String n : names) {
      width = Math.max(width, n.length() + 1);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
    for (String n : names) {
      sb.append(String.format(Locale.ROOT, "%" + width + "s", n));
    }
    sb.append('\n');
    for (int i = 0; i < size(); i++) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(i)));
      for (int j = 0; j < size(); j++) {
        sb.append(String.format(Locale.ROOT, "%" + width + ".3f", oriented(i, j)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toTable();
  }
}
