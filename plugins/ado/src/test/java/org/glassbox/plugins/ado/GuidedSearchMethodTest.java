package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.surrogate.Surrogate;
import org.glassbox.plugins.ado.GuidedSearchFixture.Call;
import org.glassbox.plugins.ado.GuidedSearchFixture.SumTrainer;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's guided iteration with a transparent trainer and a black box that is a known function
 * of hidden observables, every number checked against brute force over all pairs.
 */
class GuidedSearchMethodTest {
  private static final GuidedSearchFixture DATA = new GuidedSearchFixture(1500, 5);
  private static final List<String> CANDIDATES = List.of("t", "c1", "b", "c2");

  private final GuidedSearchMethod method = new GuidedSearchMethod();

  private Options options(Object... pairs) {
    return GuidedSearchFixture.options(method.options(), pairs);
  }

  private static double orient(double x) {
    return Math.max(x, 1 - x);
  }

  private static double ado(double[] f, double[] g) {
    return orient(BruteForce.ado(f, g, DATA.signal, DATA.weights));
  }

  private static double auc(double[] f) {
    return BruteForce.auc(f, DATA.signal, DATA.weights);
  }

  /** Oriented mean of DO(h, g) over the pairs f and g order differently, by enumeration. */
  private static double onDisagreeing(double[] f, double[] g, double[] h) {
    return orient(BruteForce.disagreement(f, g, h, DATA.signal, DATA.weights).raw());
  }

  private static double[] truth() {
    return Arrays.stream(DATA.labels).asDoubleStream().toArray();
  }

  private static double number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).doubleValue();
  }

  /**
   * holdout 0.5: every DNN(HL) is trained with weight 0 on the same half of the events, and its AUC and
   * ADO with the black box are measured on exactly that half (brute force over the held-out pairs).
   */
  @Test
  void holdoutTrainsWithoutTheHeldOutEventsAndMeasuresOnThemOnly() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "candidates", CANDIDATES, "strategies",
        List.of("black-box"), "passes", 1, "holdout", 0.5), trainer, "a", "b"));
    double[] w0 = trainer.calls.get(0).weights();
    List<Integer> held = new ArrayList<>();
    for (int i = 0; i < DATA.n; i++) {
      if (w0[i] == 0) held.add(i);
      else assertEquals(DATA.weights[i], w0[i], 0, "training events keep their weights");
    }
    assertEquals(Math.round(0.5 * DATA.n), held.size());
    for (var call : trainer.calls) assertTrue(Arrays.equals(w0, call.weights()), "the same events are held out in every training");
    assertEquals((double) held.size(), s.fidelity().get("measured_events"), 0);

    boolean[] sig = new boolean[held.size()];
    double[] w = new double[held.size()];
    double[] a = new double[held.size()];
    double[] bb = new double[held.size()];
    for (int k = 0; k < held.size(); k++) {
      int i = held.get(k);
      sig[k] = DATA.signal[i];
      w[k] = DATA.weights[i];
      a[k] = DATA.get("a")[i]; // DNN(a) from the sum trainer is a itself (a is signal-like)
      bb[k] = DATA.get("a")[i] + DATA.get("b")[i];
    }
    Map<String, Object> p0 = s.table().get(0);
    assertEquals(BruteForce.auc(a, sig, w), number(p0, "dnn_auc"), 1e-12);
    assertEquals(orient(BruteForce.ado(a, bb, sig, w)), number(p0, "dnn_ado_with_black_box"), 1e-12);
    assertEquals(BruteForce.auc(bb, sig, w), s.fidelity().get("black_box_auc"), 1e-12);
    // Measured on all events instead, the numbers differ: the test would notice a search that ignored the holdout.
    assertTrue(Math.abs(auc(DATA.get("a")) - number(p0, "dnn_auc")) > 1e-6);
  }

  @Test
  void aHoldoutOutsideZeroToNinetyPercentIsRefused() {
    OptionException e = assertThrows(OptionException.class, () -> method.fit(DATA.context(options("start", List.of("a"),
        "holdout", 0.95), new SumTrainer(), "a", "b")));
    assertEquals("holdout", e.option());
  }

  @Test
  void blackBoxStrategyPicksTheHiddenObservableInPassOneAndStopsWhenNothingDisagrees() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(
        options("start", List.of("a"), "candidates", CANDIDATES, "strategies", List.of("black-box")), trainer, "a", "b"));
    double[] a = DATA.get("a");
    double[] bb = DATA.sum("a", "b");

    // Brute force over all pairs: b orders every pair that a and a + b order differently as a + b
    // does (their a-difference has the other sign, so the b-difference carries a + b's); the others fall short.
    assertEquals(1.0, onDisagreeing(a, bb, DATA.get("b")), 0);
    for (String c : List.of("t", "c1", "c2")) {
      assertTrue(onDisagreeing(a, bb, DATA.get(c)) < 0.95, c);
    }

    assertEquals(List.of("b"), s.terms());
    assertEquals("DNN(a, b)", s.formula());
    List<Map<String, Object>> t = s.table();
    assertEquals(2, t.size());
    for (Map<String, Object> row : t) {
      assertEquals(GuidedSearchMethod.COLUMNS, List.copyOf(row.keySet()));
      assertEquals("black-box", row.get("strategy"));
    }

    Map<String, Object> p0 = t.get(0);
    assertEquals(0, p0.get("pass"));
    assertEquals("a", p0.get("chosen"));
    assertTrue(Double.isNaN(number(p0, "criterion")) && Double.isNaN(number(p0, "ado_on_disagreeing")));
    assertEquals(auc(a), number(p0, "dnn_auc"), 1e-12);
    assertEquals(ado(a, bb), number(p0, "dnn_ado_with_black_box"), 1e-12);
    assertEquals(1, p0.get("trainings"));
    assertEquals(true, p0.get("kept"));
    assertEquals("", p0.get("stopped"));

    Map<String, Object> p1 = t.get(1);
    assertEquals(1, p1.get("pass"));
    assertEquals("b", p1.get("chosen"));
    assertEquals(1.0, number(p1, "criterion"), 1e-12);
    assertEquals(1.0, number(p1, "ado_on_disagreeing"), 1e-12);
    assertEquals(orient(auc(DATA.get("b"))), number(p1, "candidate_auc"), 1e-12);
    assertEquals(auc(bb), number(p1, "dnn_auc"), 1e-12);
    // DNN(a, b) is a + b itself: ADO 1 less half the tied pairs (the grid makes ties).
    assertEquals(ado(bb, bb), number(p1, "dnn_ado_with_black_box"), 1e-12);
    assertTrue(number(p1, "dnn_ado_with_black_box") < 1);
    assertEquals(ado(bb, bb) - ado(a, bb), number(p1, "gain"), 1e-12);
    assertEquals(2, p1.get("trainings"));
    assertEquals(true, p1.get("kept"));
    assertTrue(((String) p1.get("stopped")).contains("order no signal/background pair differently"),
        (String) p1.get("stopped"));

    assertEquals(ado(bb, bb), s.fidelity().get("ado_with_black_box"), 1e-12);
    assertEquals(auc(bb), s.fidelity().get("auc"), 1e-12);
    assertEquals(auc(bb), s.fidelity().get("black_box_auc"), 1e-12);
    assertEquals(2.0, s.fidelity().get("trainings"), 0);
    assertEquals(2.0, s.fidelity().get("trainings_run"), 0);
    assertEquals(1.0, s.fidelity().get("strategy_black_box_added"), 0);

    // The trainer saw DNN(a) with the run's seed, then DNN(a, b) with seed + 1, and the settings.
    assertEquals(2, trainer.calls.size());
    Call c0 = trainer.calls.get(0);
    Call c1 = trainer.calls.get(1);
    assertEquals(1, c0.columns().size());
    assertSame(a, c0.columns().get(0));
    assertEquals(100, c0.seed());
    assertTrue(c0.name().startsWith("DNN(a)"), c0.name());
    assertEquals(2, c1.columns().size());
    assertSame(DATA.get("b"), c1.columns().get(1));
    assertEquals(101, c1.seed());
    assertEquals(Map.of("hidden", List.of(32, 32), "epochs", 20), c0.settings());
  }

  @Test
  void aBlackBoxThatIsSignalLikeWhenLowGivesTheSameSearch() {
    Options o = options("start", List.of("a"), "candidates", CANDIDATES, "strategies", List.of("black-box"));
    Surrogate up = method.fit(DATA.context(o, new SumTrainer(), "a", "b"));
    Surrogate down = method.fit(DATA.context(o, new SumTrainer(), -1, Progress.NONE, "a", "b"));
    assertEquals(up.table().toString(), down.table().toString());
    assertEquals(up.fidelity(), down.fidelity());
    assertTrue(down.fidelity().get("black_box_auc") > 0.5);
  }

  @Test
  void truthStrategyJudgesCandidatesByTheirAucOnThePairsDnnOrdersWrongly() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "candidates", CANDIDATES, "strategies",
        List.of("truth"), "min_gain", -1.0), trainer, "a", "b"));
    double[] a = DATA.get("a");
    double[] bb = DATA.sum("a", "b");
    double[] y = truth();
    // Independently: the oriented AUC of each candidate on the pairs with a_s < a_b.
    String best = null;
    double top = -1;
    for (String c : CANDIDATES) {
      double v = onDisagreeing(a, y, DATA.get(c));
      if (v > top) {
        top = v;
        best = c;
      }
    }
    assertEquals("t", best, "t carries the most label information");

    List<Map<String, Object>> t = s.table();
    assertEquals(4, t.size(), "three passes, none stopped by the gain");
    Map<String, Object> p1 = t.get(1);
    assertEquals("truth", p1.get("strategy"));
    assertEquals("t", p1.get("chosen"));
    assertEquals(top, number(p1, "criterion"), 1e-12);
    assertEquals(onDisagreeing(a, bb, DATA.get("t")), number(p1, "ado_on_disagreeing"), 1e-12);
    assertEquals(ado(DATA.sum("a", "t"), bb), number(p1, "dnn_ado_with_black_box"), 1e-12);
    Set<String> chosen = new HashSet<>();
    for (int pass = 0; pass < 4; pass++) {
      assertEquals(pass, t.get(pass).get("pass"));
      assertEquals(pass + 1, t.get(pass).get("trainings"));
      if (pass > 0) {
        assertTrue(chosen.add((String) t.get(pass).get("chosen")));
      }
    }
    assertFalse(chosen.contains("a"));
    assertEquals("3 passes done", t.get(3).get("stopped"));
    assertEquals(List.of("t", t.get(2).get("chosen"), t.get(3).get("chosen")), s.terms());
  }

  @Test
  void aPassThatDoesNotRaiseTheAdoWithTheBlackBoxIsNotKept() {
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "candidates", CANDIDATES, "strategies",
        List.of("truth")), new SumTrainer(), "a", "b"));
    double[] bb = DATA.sum("a", "b");
    double gain = ado(DATA.sum("a", "t"), bb) - ado(DATA.get("a"), bb);
    Map<String, Object> p1 = s.table().get(1);
    assertEquals("t", p1.get("chosen"));
    assertEquals(gain, number(p1, "gain"), 1e-12);
    assertEquals(gain > 0, p1.get("kept"));
    if (gain <= 0) {
      assertEquals(2, s.table().size());
      assertTrue(((String) p1.get("stopped")).contains("min_gain"));
      assertEquals(List.of(), s.terms());
      assertEquals("DNN(a)", s.formula());
      assertEquals(ado(DATA.get("a"), bb), s.fidelity().get("ado_with_black_box"), 1e-12);
    } else {
      assertEquals("t", s.terms().get(0));
    }
  }

  @Test
  void bruteForceTrainsEveryRemainingCandidateEachPass() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "candidates", CANDIDATES, "strategies",
        List.of("brute-force")), trainer, "a", "b"));
    double[] bb = DATA.sum("a", "b");
    List<Map<String, Object>> t = s.table();
    assertEquals(3, t.size());
    assertEquals(1, t.get(0).get("trainings"));
    Map<String, Object> p1 = t.get(1);
    assertEquals("b", p1.get("chosen"));
    assertEquals(ado(bb, bb), number(p1, "criterion"), 1e-12);
    assertEquals(1.0, number(p1, "ado_on_disagreeing"), 1e-12);
    assertEquals(1 + 4, p1.get("trainings"));
    assertEquals(true, p1.get("kept"));
    // Pass 2: nothing beats a + b itself, so the gain is not positive and the search stops.
    Map<String, Object> p2 = t.get(2);
    double best = -1;
    for (String c : List.of("t", "c1", "c2")) {
      double[] dnn = new SumTrainer().trainAndScore("x", List.of(DATA.get("a"), DATA.get("b"), DATA.get(c)),
          DATA.labels, DATA.weights, Map.of(), 0);
      best = Math.max(best, ado(dnn, bb));
    }
    assertEquals(best, number(p2, "criterion"), 1e-12);
    assertEquals(1 + 4 + 3, p2.get("trainings"));
    assertEquals(false, p2.get("kept"));
    assertTrue(((String) p2.get("stopped")).contains("min_gain"));
    assertEquals(List.of("b"), s.terms());
    assertEquals(8.0, s.fidelity().get("trainings"), 0);
    assertEquals(8, trainer.calls.size());
    assertEquals(List.of(100L, 101L, 101L, 101L, 101L, 102L, 102L, 102L),
        trainer.calls.stream().map(Call::seed).toList());
    for (int k = 1; k < 8; k++) {
      assertEquals(k < 5 ? 2 : 3, trainer.calls.get(k).columns().size());
    }
  }

  @Test
  void severalPassesRecoverEveryHiddenObservable() {
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "passes", 5L, "strategies",
        List.of("black-box")), new SumTrainer(), "a", "b", "t"));
    double[] bb = DATA.sum("a", "b", "t");
    assertEquals(Set.of("b", "t"), Set.copyOf(s.terms()));
    List<Map<String, Object>> t = s.table();
    assertEquals(3, t.size());
    for (int pass = 0; pass < 3; pass++) {
      assertEquals(pass + 1, t.get(pass).get("trainings"));
      assertEquals(true, t.get(pass).get("kept"));
    }
    assertEquals(ado(bb, bb), s.fidelity().get("ado_with_black_box"), 1e-12);
    assertTrue(((String) t.get(2).get("stopped")).contains("differently"));
    // The default candidates are the observables not in start: c1 and c2 were candidates but not chosen.
    String first = (String) t.get(1).get("chosen");
    assertEquals(onDisagreeing(DATA.get("a"), bb, DATA.get(first)), number(t.get(1), "criterion"), 1e-12);
  }

  @Test
  void passesAndTheAucToleranceStopTheSearch() {
    Surrogate one = method.fit(DATA.context(options("start", List.of("a"), "passes", 1L, "strategies",
        List.of("black-box")), new SumTrainer(), "a", "b", "t"));
    assertEquals(2, one.table().size());
    assertEquals("1 passes done", one.table().get(1).get("stopped"));

    Surrogate none = method.fit(DATA.context(options("start", List.of("a", "b"), "passes", 0L, "strategies",
        List.of("black-box")), new SumTrainer(), "a", "b"));
    assertEquals(1, none.table().size());
    assertEquals("a, b", none.table().get(0).get("chosen"));
    assertEquals("DNN(a, b)", none.formula());
    assertEquals(List.of(), none.terms());

    // DNN(a) is far below the black box's AUC; with a tolerance of 1 it counts as reached at once.
    Surrogate reached = method.fit(DATA.context(options("start", List.of("a"), "auc_tolerance", 1.0, "strategies",
        List.of("black-box")), new SumTrainer(), "a", "b"));
    assertEquals(1, reached.table().size());
    assertTrue(((String) reached.table().get(0).get("stopped")).contains("auc_tolerance"));
  }

  @Test
  void allStrategiesShareTrainingsAndReportTheBlackBoxSearch() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "candidates", CANDIDATES, "strategies",
        List.of("truth", "brute-force", "black-box")), trainer, "a", "b"));
    List<String> order = new ArrayList<>();
    for (Map<String, Object> row : s.table()) {
      String strategy = (String) row.get("strategy");
      if (order.isEmpty() || !order.get(order.size() - 1).equals(strategy)) {
        order.add(strategy);
      }
    }
    assertEquals(List.of("truth", "brute-force", "black-box"), order);
    assertEquals(List.of("b"), s.terms());
    assertEquals(s.fidelity().get("strategy_black_box_ado_with_black_box"), s.fidelity().get("ado_with_black_box"));
    assertEquals(2.0, s.fidelity().get("strategy_black_box_trainings"), 0);
    assertEquals(8.0, s.fidelity().get("strategy_brute_force_trainings"), 0);
    double sum = s.fidelity().get("strategy_truth_trainings") + 8 + 2;
    assertEquals(trainer.calls.size(), s.fidelity().get("trainings_run"), 0);
    assertTrue(trainer.calls.size() < sum, "DNN(a) with the run's seed is trained once for all strategies");
  }

  @Test
  void passesTheTrainingSettingsAndHonoursUnweighted() {
    SumTrainer trainer = new SumTrainer();
    Surrogate s = method.fit(DATA.context(options("start", List.of("a"), "strategies", List.of("black-box"), "hidden",
        List.of(64.0, 16.0), "epochs", 5L, "unweighted", true), trainer, "a", "b"));
    assertEquals(Map.of("hidden", List.of(64, 16), "epochs", 5), trainer.calls.get(0).settings());
    for (Call c : trainer.calls) {
      assertTrue(Arrays.stream(c.weights()).allMatch(v -> v == 1));
    }
    double[] ones = new double[DATA.n];
    Arrays.fill(ones, 1);
    double[] bb = DATA.sum("a", "b");
    assertEquals(BruteForce.auc(bb, DATA.signal, ones), s.fidelity().get("black_box_auc"), 1e-12);
    assertTrue(Math.abs(auc(bb) - s.fidelity().get("black_box_auc")) > 1e-6, "the weights matter otherwise");
  }

  @Test
  void reportsProgressAndStopsWhenCancelled() {
    AtomicInteger checks = new AtomicInteger();
    List<Long> steps = new ArrayList<>();
    Progress cancelAtSecond = new Progress() {
      @Override
      public void start(String task, long total) {}

      @Override
      public void step(long done) {
        steps.add(done);
      }

      @Override
      public void checkCancelled() {
        if (checks.incrementAndGet() == 2) {
          throw new IllegalStateException("cancelled");
        }
      }
    };
    SumTrainer trainer = new SumTrainer();
    Options o = options("start", List.of("a"), "strategies", List.of("black-box"));
    assertThrows(IllegalStateException.class,
        () -> method.fit(DATA.context(o, trainer, 1, cancelAtSecond, "a", "b")));
    assertEquals(1, trainer.calls.size(), "cancelled before the second training");
    assertEquals(List.of(1L), steps);
  }

  @Test
  void rejectsUnknownObservablesNamingTheOptionAndTheAvailableNames() {
    SumTrainer trainer = new SumTrainer();
    OptionException e = assertThrows(OptionException.class,
        () -> method.fit(DATA.context(options("start", List.of("a", "nope")), trainer, "a", "b")));
    assertEquals("start", e.option());
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("a, b, t, c1, c2"), e.getMessage());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(
        options("start", List.of("a"), "candidates", List.of("b", "mass")), trainer, "a", "b")));
    assertEquals("candidates", e.option());
    assertTrue(e.getMessage().contains("'mass'") && e.getMessage().contains("a, b, t, c1, c2"), e.getMessage());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(options(), trainer, "a", "b")));
    assertEquals("start", e.option());
    assertTrue(e.getMessage().contains("at least one observable"), e.getMessage());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(
        options("start", List.of("a"), "candidates", List.of("a", "b")), trainer, "a", "b")));
    assertEquals("candidates", e.option());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(
        options("start", List.of("a"), "strategies", List.of("black-box", "magic")), trainer, "a", "b")));
    assertEquals("strategies", e.option());
    assertTrue(e.getMessage().contains("'magic'") && e.getMessage().contains("brute-force"), e.getMessage());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(
        options("start", List.of("a"), "hidden", List.of(32.5)), trainer, "a", "b")));
    assertEquals("hidden", e.option());

    e = assertThrows(OptionException.class, () -> method.fit(DATA.context(
        options("start", List.of("a"), "epochs", 0L), trainer, "a", "b")));
    assertEquals("epochs", e.option());
    assertEquals(0, trainer.calls.size(), "options are checked before any training");
  }

  @Test
  void labelsAreRequired() {
    GuidedSearchFixture.Context c = DATA.context(options("start", List.of("a")), new SumTrainer(), "a", "b");
    GuidedSearchFixture.Context unlabelled = new GuidedSearchFixture.Context(c.model(), c.neuron(),
        new GuidedSearchFixture.Data(c.data().inputs(), c.data().featureNames(), DATA.weights, Optional.empty()),
        c.observables(), c.options(), c.training(), c.seed(), c.progress());
    GlassboxException e = assertThrows(GlassboxException.class, () -> method.fit(unlabelled));
    assertTrue(e.getMessage().contains("needs labels"), e.getMessage());
  }

  @Test
  void declaresItsOptions() {
    assertEquals("guided-search", method.id());
    assertEquals(List.of("start", "candidates", "passes", "hidden", "epochs", "min_gain", "auc_tolerance", "strategies",
        "unweighted", "holdout"), method.options().stream().map(o -> o.name()).toList());
    Options d = Options.defaults(method.options());
    assertEquals(List.of("black-box", "truth"), d.strings("strategies"));
    assertEquals(List.of(32.0, 32.0), d.numbers("hidden"));
    assertEquals(3, d.integer("passes"));
    assertEquals(20, d.integer("epochs"));
    assertEquals(0.0, d.number("min_gain"), 0);
  }
}
