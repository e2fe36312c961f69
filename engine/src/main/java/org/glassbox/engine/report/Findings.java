package org.glassbox.engine.report;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.glassbox.engine.run.RunResult;

/** What the methods found, in sentences a physicist can check: the report opens with them and the CLI prints them. */
public final class Findings {
  private Findings() {}

  /** One sentence per model and neuron; with toy data, the toy's known truth first. */
  public static List<String> of(RunResult r) {
    List<String> out = new ArrayList<>();
    if (r.data().truth() != null) out.add("The toy data's truth: " + r.data().truth());
    BitSet fixed = r.data().layout() == null ? new BitSet() : r.data().layout().fixed();
    for (RunResult.ModelResult m : r.models()) {
      for (RunResult.NeuronResult n : m.neurons()) {
        if (!n.methods().isEmpty()) out.add(of(m, n, fixed));
      }
    }
    for (RunResult.ModelResult m : r.models()) {
      for (RunResult.PopulationResult pr : m.populations()) {
        var pop = pr.population();
        int boundary = 0;
        for (boolean b : pop.onBoundary()) if (b) boundary++;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s of %s %s: %d of %d starts reached the threshold"
            + " (%d on the boundary)", pr.neuron(), m.name(), pr.method(), pop.points().events(), pop.starts(), boundary));
        for (RunResult.ClusterResult c : pr.clusters()) {
          b.append(String.format(Locale.ROOT, "; %s finds %d clusters in (%s)", c.method(), c.clusters().count(),
              String.join(", ", c.features())));
        }
        out.add(b.append('.').toString());
      }
    }
    for (RunResult.SimilarityResult sr : r.similarity()) out.addAll(similarity(r, sr));
    for (RunResult.SurrogateResult sr : r.surrogates()) {
      var s = sr.surrogate();
      StringBuilder b = new StringBuilder(sr.id()).append(" imitates ").append(sr.model()).append(" ").append(sr.neuron())
          .append(" with ").append(s.formula());
      // The headline measures when the method reports them (seed 002's and seed 000's), else every one.
      List<String> headline = List.of("correlation", "linear_correlation", "ado_with_black_box", "auc", "black_box_auc",
          "neuron_auc");
      boolean known = headline.stream().anyMatch(s.fidelity()::containsKey);
      for (String key : known ? headline : new ArrayList<>(new java.util.TreeMap<>(s.fidelity()).keySet())) {
        Double v = s.fidelity().get(key);
        if (v != null) b.append(String.format(Locale.ROOT, "; %s %.3f", key, v));
      }
      out.add(b.append('.').toString());
    }
    return out;
  }

  /**
   * For each model or neuron among the functions: the observable or column it resembles most. A
   * function whose similarity is the same with every function, itself included, is constant on the
   * events (ADO 0.5 with everything, mutual information 0): it resembles nothing, and is said so.
   */
  private static List<String> similarity(RunResult r, RunResult.SimilarityResult sr) {
    List<String> out = new ArrayList<>();
    var s = sr.similarity();
    java.util.function.Predicate<String> network = name -> r.models().stream()
        .anyMatch(m -> name.equals(m.name()) || name.startsWith(m.name() + ":"));
    for (int i = 0; i < s.names().size(); i++) {
      if (!network.test(s.names().get(i))) continue;
      double[] row = s.matrix()[i];
      List<Integer> others = new ArrayList<>();
      for (int j = 0; j < s.names().size(); j++) {
        if (!network.test(s.names().get(j)) && Double.isFinite(row[j])) others.add(j);
      }
      if (others.isEmpty()) continue;
      others.sort(java.util.Comparator.comparingDouble((Integer j) -> -row[j]).thenComparingInt(j -> j));
      double best = row[others.get(0)];
      double scale = Math.max(Math.abs(best), Math.abs(row[i]));
      double self = row[i];
      boolean flat = Double.isFinite(self) && others.stream().allMatch(j -> tied(row[j], self, scale));
      if (flat) {
        out.add(String.format(Locale.ROOT, "%s: %s is constant on these events (%s %.3f with every function, itself"
            + " included): it resembles none of them", sr.id(), s.names().get(i), s.measure(), row[i]));
        continue;
      }
      List<String> top = new ArrayList<>();
      for (int j : others) if (tied(row[j], best, scale)) top.add(s.names().get(j));
      out.add(String.format(Locale.ROOT, "%s: %s resembles %s most%s (%s %.3f)", sr.id(), s.names().get(i), list(top, 3),
          top.size() > 1 ? ", equally" : "", s.measure(), best));
    }
    return out;
  }

  /** The prefix of a method's summary entries that are notes for the reader, not numbers. */
  static final String NOTE = "note: ";

  static boolean isNote(String summaryKey) {
    return summaryKey.startsWith(NOTE);
  }

  /**
   * A method's notes for the reader: its summary entries named {@code note: ...} whose mean (the
   * fraction of events they apply to) is above 0, with that fraction when it is not all of them.
   */
  static List<String> notes(RunResult.MethodResult mr) {
    List<String> out = new ArrayList<>();
    for (var e : mr.attribution().summary().entrySet()) {
      if (!isNote(e.getKey())) continue;
      double f = e.getValue().mean()[0];
      if (!(f > 0)) continue;
      String text = e.getKey().substring(NOTE.length());
      out.add(f < 1 - 1e-9 ? String.format(Locale.ROOT, "%s (on %.0f%% of the events)", text, 100 * f) : text);
    }
    return out;
  }

  /**
   * How a method's scores rank the attributed features: their indices best first (ties by index),
   * and how many tie at the top. Features whose inputs are all fed but not attributed
   * (differentiable: false; they score 0) are left out.
   */
  record Ranking(RunResult.MethodResult method, int[] order, double[] values, boolean inputs) {
    static Ranking of(RunResult.MethodResult mr, BitSet fixed) {
      var a = mr.attribution();
      double[] v = a.values();
      List<Integer> kept = new ArrayList<>();
      for (int f = 0; f < v.length; f++) {
        int[] in = a.inputsOf().get(f);
        boolean allFixed = in.length > 0;
        for (int i : in) allFixed &= fixed.get(i);
        if (!allFixed) kept.add(f);
      }
      int[] order = kept.stream().sorted(java.util.Comparator.comparingDouble((Integer f) -> Double.isNaN(v[f])
          ? Double.POSITIVE_INFINITY : -v[f]).thenComparingInt(f -> f)).mapToInt(Integer::intValue).toArray();
      boolean inputs = true;
      for (int f = 0; f < v.length; f++) inputs &= a.inputsOf().get(f).length == 1 && a.inputsOf().get(f)[0] == f;
      return new Ranking(mr, order, v, inputs);
    }

    String name(int k) {
      return method.attribution().features().get(order[k]);
    }

    double value(int k) {
      return values[order[k]];
    }

    /** How many features from position k on tie with the one at k. */
    int tiedFrom(int k) {
      if (k >= order.length) return 0;
      int n = 1;
      while (k + n < order.length && tied(value(k + n), value(k), scale())) n++;
      return n;
    }

    double scale() {
      double m = 0;
      for (int f : order) if (Double.isFinite(values[f])) m = Math.max(m, Math.abs(values[f]));
      return m;
    }

    boolean allZero() {
      if (order.length == 0) return false;
      for (int f : order) if (values[f] != 0) return false;
      return true;
    }

    /** Every attributed feature has the same score: no ranking at all. */
    boolean flat() {
      return order.length > 0 && tiedFrom(0) == order.length;
    }

    String unit() {
      return inputs ? "input" : "feature";
    }

    /** What the method ranks first, without claiming an order that ties make up. */
    String sentence() {
      String id = method.id();
      if (order.length == 0) return id + " attributes no " + unit();
      if (allZero()) return id + " scores every " + unit() + " 0";
      if (flat()) return id + " gives every " + unit() + " the same score";
      int top = tiedFrom(0);
      if (top > 1) return id + " ties " + list(names(0, top), 3) + " first";
      StringBuilder b = new StringBuilder(id).append(" ranks ").append(name(0)).append(" first");
      if (order.length > 1) {
        int next = tiedFrom(1);
        b.append(" (then ").append(next == 1 ? name(1) : list(names(1, next), 3) + ", tied").append(")");
      }
      return b.toString();
    }

    private List<String> names(int from, int count) {
      List<String> out = new ArrayList<>();
      for (int k = from; k < from + count; k++) out.add(name(k));
      return out;
    }
  }

  /** Equal up to float32 rounding, relative to the largest value in play. */
  static boolean tied(double a, double b, double scale) {
    if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
    return Math.abs(a - b) <= 1e-6 * scale;
  }

  /** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
  static String list(List<String> names, int shown) {
    if (names.size() == 1) return names.get(0);
    if (names.size() <= shown) {
      return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
    return String.join(", ", names.subList(0, shown)) + " and " + (names.size() - shown) + " more";
  }

  static String of(RunResult.ModelResult m, RunResult.NeuronResult n) {
    return of(m, n, new BitSet());
  }

  /**
   * What each method ranks first (ties said as ties), whether the methods that rank agree, and whose
   * order removes the separation fastest. Methods that score every input the same (or 0) rank
   * nothing: they are said so and left out of the agreement.
   *
   * @param fixed the packed positions of inputs fed but not attributed: never named
   */
  static String of(RunResult.ModelResult m, RunResult.NeuronResult n, BitSet fixed) {
    StringBuilder s = new StringBuilder();
    String label = n.neuron().label();
    s.append(label).append(" of ").append(m.name());
    if (Double.isFinite(n.auc())) s.append(String.format(Locale.ROOT, " (AUC %.3f)", n.auc()));
    s.append(": ");
    List<RunResult.MethodResult> ms = n.methods();
    List<Ranking> rankings = ms.stream().map(mr -> Ranking.of(mr, fixed)).toList();
    if (rankings.stream().allMatch(Ranking::allZero)) {
      List<String> ids = ms.stream().map(RunResult.MethodResult::id).toList();
      return s.append(list(ids, ids.size())).append(ids.size() == 1 ? " scores" : " score").append(" every input 0: ")
          .append(label).append(" does not change with its inputs on these events (a constant or dead neuron):")
          .append(" nothing to attribute.").toString();
    }
    for (int i = 0; i < rankings.size(); i++) s.append(i == 0 ? "" : "; ").append(rankings.get(i).sentence());
    // Agreement and faithfulness only among methods that rank: a method whose scores all tie has an
    // order made of its tie-break (the input order), which would agree or disagree by accident.
    List<Integer> ranking = new ArrayList<>();
    for (int i = 0; i < rankings.size(); i++) if (!rankings.get(i).flat()) ranking.add(i);
    RunResult.ComparisonResult c = n.comparison();
    if (ranking.size() > 1 && c.topKOverlap().length == ms.size()) {
      double min = 1;
      for (int i : ranking) {
        for (int j : ranking) {
          double v = c.topKOverlap()[i][j];
          if (Double.isFinite(v)) min = Math.min(min, v);
        }
      }
      int k = Math.min(c.topK(), ms.get(0).inputScores().length);
      if (ranking.size() == ms.size()) {
        s.append(String.format(Locale.ROOT, ". The methods' top %d inputs overlap by at least %.0f%%", k, 100 * min));
      } else {
        List<String> ids = ranking.stream().map(i -> ms.get(i).id()).toList();
        s.append(String.format(Locale.ROOT, ". The top %d inputs of %s overlap by at least %.0f%%", k, list(ids, ids.size()),
            100 * min));
      }
    }
    String best = null;
    for (var e : c.faithfulnessArea().entrySet()) {
      int i = ms.stream().map(RunResult.MethodResult::id).toList().indexOf(e.getKey());
      if (i >= 0 && !ranking.contains(i)) continue;
      if (best == null || e.getValue() < c.faithfulnessArea().get(best)) best = e.getKey();
    }
    if (best != null) {
      // Methods whose areas equal the best one's (to float rounding) are named together: none is faster.
      double area = c.faithfulnessArea().get(best);
      List<String> tied = new java.util.ArrayList<>();
      for (var e : c.faithfulnessArea().entrySet()) {
        int i = ms.stream().map(RunResult.MethodResult::id).toList().indexOf(e.getKey());
        if (i >= 0 && !ranking.contains(i)) continue;
        if (Math.abs(e.getValue() - area) <= 1e-9 * Math.max(1, Math.abs(area))) tied.add(e.getKey());
      }
      if (tied.size() > 1 && tied.size() == c.faithfulnessArea().size()) {
        s.append(". Permuting inputs in any method's order removes the separation equally fast");
      } else if (tied.size() > 1) {
        s.append(". Permuting inputs in the order of ").append(String.join(", ", tied.subList(0, tied.size() - 1)))
            .append(" or ").append(tied.get(tied.size() - 1)).append(" removes the separation (AUC towards 0.5) equally fast,"
                + " and fastest");
      } else {
        s.append(". Permuting inputs in ").append(best).append("'s order removes the separation (AUC towards 0.5) fastest");
      }
    }
    return s.append('.').toString();
  }

}
