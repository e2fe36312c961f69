package org.glassbox.engine.derive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.glassbox.engine.model.TensorInfo;

/**
 * The backward rule of Einsum: the cotangent of operand i is another Einsum, of the output's
 * cotangent with the other operands, whose output subscripts are operand i's. Subscripts that only
 * operand i has (summed within it) are dropped from that Einsum and broadcast back (Unsqueeze,
 * Expand). An ellipsis must lead each term that has one, and appear in the output; its broadcast
 * axes are summed back to the operand's shape. Repeated subscripts within a differentiated operand
 * (diagonals, traces) are not supported.
 */
final class EinsumRule {
  private EinsumRule() {}

  private static final String ELLIPSIS = "...";

  /** One term of an equation: whether it starts with an ellipsis, and its letters. */
  private record Term(boolean ellipsis, String letters) {
    String text() {
      return (ellipsis ? ELLIPSIS : "") + letters;
    }
  }

  static void apply(Vjp v) {
    GraphEmitter e = v.emit();
    String equation = v.attrString("equation", "").replaceAll("\\s", "");
    String[] sides = equation.split("->", -1);
    String[] lhs = sides[0].split(",", -1);
    int n = v.node().getInputCount();
    if (lhs.length != n) throw v.unsupported("equation '" + equation + "' does not match " + n + " operands.");
    List<Term> terms = new ArrayList<>();
    for (String t : lhs) terms.add(term(v, t));
    Term out = sides.length > 1 ? term(v, sides[1]) : implicitOutput(terms);
    boolean anyEllipsis = terms.stream().anyMatch(Term::ellipsis);
    if (anyEllipsis && !out.ellipsis()) {
      throw v.unsupported("an ellipsis summed away by the output ('" + equation + "') is not supported.");
    }
    long[] yDims = v.info(v.out(0)).dims();
    int outEllipsisRank = yDims.length - out.letters().length();
    for (int i = 0; i < n; i++) {
      if (!v.wants(i)) continue;
      Term ti = terms.get(i);
      if (ti.letters().chars().distinct().count() != ti.letters().length()) {
        throw v.unsupported("repeated subscripts in operand " + i + " ('" + equation + "') are not supported.");
      }
      StringBuilder available = new StringBuilder(out.letters());
      List<String> inputs = new ArrayList<>(List.of(v.dy()));
      List<String> others = new ArrayList<>(List.of(out.text()));
      for (int j = 0; j < n; j++) {
        if (j == i) continue;
        available.append(terms.get(j).letters());
        inputs.add(v.in(j));
        others.add(terms.get(j).text());
      }
      StringBuilder kept = new StringBuilder();
      List<Long> dropped = new ArrayList<>();
      int lead = ti.ellipsis() ? outEllipsisRank : 0;
      for (int k = 0; k < ti.letters().length(); k++) {
        char c = ti.letters().charAt(k);
        if (available.indexOf(String.valueOf(c)) >= 0) kept.append(c);
        else dropped.add((long) (lead + k));
      }
      String eq = String.join(",", others) + "->" + (ti.ellipsis() ? ELLIPSIS : "") + kept;
      String g = e.op("Einsum", inputs, Attr.s("equation", eq));
      TensorInfo xi = v.info(v.in(i));
      if (!dropped.isEmpty()) {
        g = e.op("Expand", e.unsqueeze(g, dropped.stream().mapToLong(Long::longValue).toArray()), e.op("Shape", v.in(i)));
      }
      if (ti.ellipsis()) {
        // The Einsum's ellipsis axes are the output's (all operands' broadcast): sum back to operand i's.
        long[] gDims = Arrays.copyOf(yDims, lead + ti.letters().length());
        int xiLead = xi.rank() - ti.letters().length();
        for (int k = 0; k < ti.letters().length(); k++) gDims[lead + k] = xi.dim(xiLead + k);
        g = v.unbroadcast(g, gDims, v.in(i));
      }
      v.grad(i, g);
    }
  }

  private static Term term(Vjp v, String t) {
    boolean ellipsis = t.startsWith(ELLIPSIS);
    String letters = ellipsis ? t.substring(ELLIPSIS.length()) : t;
    if (letters.contains(".")) throw v.unsupported("an ellipsis that does not lead its term ('" + t + "') is not supported.");
    for (char c : letters.toCharArray()) {
      if (!Character.isLetter(c)) throw v.unsupported("subscript '" + c + "' in Einsum term '" + t + "'");
    }
    return new Term(ellipsis, letters);
  }

  /** Implicit mode: an ellipsis if any term has one, then the letters used once, in alphabetical order. */
  private static Term implicitOutput(List<Term> terms) {
    TreeMap<Character, Integer> counts = new TreeMap<>();
    for (Term t : terms) for (char c : t.letters().toCharArray()) counts.merge(c, 1, Integer::sum);
    StringBuilder letters = new StringBuilder();
    counts.forEach((c, k) -> {
      if (k == 1) letters.append(c);
    });
    return new Term(terms.stream().anyMatch(Term::ellipsis), letters.toString());
  }
}
