package org.glassbox.plugins.ado;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.OptionType;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.surrogate.ClassifierTraining;
import org.glassbox.api.surrogate.Surrogate;
import org.glassbox.api.surrogate.SurrogateContext;
import org.glassbox.api.surrogate.SurrogateMethod;

/**
 * The {@code guided-search} surrogate method: seed 002's guided iteration by ADO (METHODS.md §7).
 * Start from a high-level set HL_0, train DNN(HL_n), find the signal/background pairs it orders
 * differently from the black box (the neuron under study), add the candidate observable with the
 * highest ADO with the black box on those pairs, retrain, repeat; with the truth-guided and brute
 * force baselines of the seed.
 */
public final class GuidedSearchMethod implements SurrogateMethod {
  /** Table columns, in order. */
  public static final List<String> COLUMNS = List.of("strategy", "pass", "chosen", "criterion", "ado_on_disagreeing",
      "candidate_auc", "dnn_auc", "dnn_ado_with_black_box", "gain", "trainings", "kept", "stopped");

  static final OptionSpec START = new OptionSpec("start", OptionType.STRING_LIST, List.of(),
      "the initial high-level set HL_0 (observable names, e.g. [mass, pt]); required", List.of());
  static final OptionSpec CANDIDATES = new OptionSpec("candidates", OptionType.STRING_LIST, List.of(),
      "the candidate observables to choose from; empty: every observable not in start", List.of());
  static final OptionSpec PASSES = OptionSpec.integer("passes", 3, "the most candidates to add (passes after pass 0)");
  static final OptionSpec HIDDEN = new OptionSpec("hidden", OptionType.NUMBER_LIST, List.of(32.0, 32.0),
      "hidden layer widths of every DNN(HL) (passed to the trainer as its 'hidden' setting)", List.of());
  static final OptionSpec EPOCHS = OptionSpec.integer("epochs", 20,
      "training epochs of every DNN(HL) (passed to the trainer as its 'epochs' setting)");
  static final OptionSpec MIN_GAIN = OptionSpec.number("min_gain", 0.0,
      "stop when a pass raises the ADO of DNN(HL) with the black box by no more than this; that pass's"
          + " candidate is then not kept");
  static final OptionSpec AUC_TOLERANCE = OptionSpec.number("auc_tolerance", -1.0,
      "negative: off; otherwise stop once DNN(HL)'s AUC is at least the black box's AUC minus this"
          + " (the seed authors' code stops at 0)");
  static final OptionSpec STRATEGIES = new OptionSpec("strategies", OptionType.STRING_LIST,
      List.of(Strategy.BLACK_BOX.id, Strategy.TRUTH.id),
      "which searches to run, each from the same start: black-box (judge candidates by ADO with the black"
          + " box on the pairs DNN(HL) and the black box order differently: seed 002's method), truth"
          + " (by AUC on the pairs DNN(HL) orders wrongly), brute-force (train DNN(HL + c) for every"
          + " candidate c, keep the best ADO with the black box)",
      List.of());
  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "treat every event weight as 1, in training and in every ADO and AUC");
  static final OptionSpec HOLDOUT = OptionSpec.number("holdout", 0.0,
      "fraction of the events kept out of every DNN(HL)'s training, on which ADO, AUC and the disagreeing pairs"
          + " are then measured (0: train and measure on every event; 0.5: half and half)");

  /** The three searches of seed 002's comparison. */
  enum Strategy {
    BLACK_BOX("black-box"), TRUTH("truth"), BRUTE_FORCE("brute-force");

    final String id;

    Strategy(String id) {
      this.id = id;
    }

    /** The id as a fidelity key prefix: {@code black_box}, {@code truth}, {@code brute_force}. */
    String key() {
      return id.replace('-', '_');
    }

    static Strategy of(String id) {
      for (Strategy s : values()) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      return null;
    }
  }

  @Override
  public String id() {
    return "guided-search";
  }

  @Override
  public String description() {
    return "guided iteration by ADO (seed 002): add the observable that best orders the pairs where"
        + " DNN(observables) and the network disagree, retrain, repeat";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(START, CANDIDATES, PASSES, HIDDEN, EPOCHS, MIN_GAIN, AUC_TOLERANCE, STRATEGIES, UNWEIGHTED, HOLDOUT);
  }

  @Override
  public String conventions() {
    return "The black box is the neuron's value, turned so that large is signal-like (times its direction)."
        + " Every strategy starts from DNN(start) (pass 0) and each pass n trains with seed = run seed + n;"
        + " DNN scores are the trainer's logits on all events, and ADO, AUC and the disagreeing pairs are"
        + " measured on all events, weighted by w_s * w_b unless unweighted. Disagreeing pairs: (f_s - f_b)"
        + " (g_s - g_b) < 0 strictly, exact over all pairs (no sampling). black-box: the candidate with the"
        + " highest ADO with the black box on the pairs DNN(HL_n) and the black box order differently,"
        + " oriented (max(ADO, 1 - ADO): the network does not care about a sign). truth: the highest AUC,"
        + " oriented, on the pairs DNN(HL_n) orders wrongly (ADO with the labels on the pairs DNN(HL_n) and"
        + " the labels disagree). brute-force: train DNN(HL_n + c) for every remaining candidate c with the"
        + " pass's seed and keep the one with the highest ADO with the black box. Ties go to the earlier"
        + " candidate. A search stops after 'passes' passes, when no candidate is left, when DNN(HL) and the"
        + " black box order no pair differently (black-box) or DNN(HL) orders every pair right (truth), when"
        + " auc_tolerance >= 0 and DNN(HL)'s AUC >= the black box's minus auc_tolerance, or when a pass's gain"
        + " (the rise of the ADO of DNN(HL) with the black box) is <= min_gain: that pass is shown with"
        + " kept = false and its candidate is not in the result. Table columns: criterion = the value the"
        + " strategy chose by; ado_on_disagreeing = the chosen candidate's oriented ADO with the black box on"
        + " the pairs DNN(HL_{n-1}) and the black box order differently (every strategy, for comparison);"
        + " candidate_auc = its own AUC, max(AUC, 1 - AUC); dnn_auc = AUC of DNN(HL_n) (logit, large ="
        + " signal); dnn_ado_with_black_box = oriented ADO of DNN(HL_n) with the black box over all pairs;"
        + " trainings = the strategy's cumulative number of DNN trainings (its cost; brute force pays one per"
        + " remaining candidate per pass); stopped = why the search ended, on its last row. Trainings with the"
        + " same inputs and seed are shared between strategies (fidelity trainings_run counts those actually"
        + " run). The formula, terms and unprefixed fidelity are the black-box strategy's (the first strategy"
        + " listed when black-box is not); every strategy's are also under its prefix (strategy_black_box_, strategy_truth_,"
        + " strategy_brute_force_). holdout h > 0: a seeded random fraction h of the events (seed = run seed) gets"
        + " weight 0 in every DNN(HL)'s training, and every ADO, AUC and disagreeing pair above is measured on those"
        + " held-out events only (the black box too, which Glassbox did not train); fidelity measured_events counts"
        + " them.";
  }

  @Override
  public Surrogate fit(SurrogateContext context) {
    Settings settings = Settings.read(context.options(), context.observables());
    return new Search(context, settings).run();
  }

  /** The validated options. */
  record Settings(List<String> start, List<String> candidates, int passes, List<Integer> hidden, int epochs,
      double minGain, double aucTolerance, List<Strategy> strategies, boolean unweighted, double holdout) {

    static Settings read(Options options, Map<String, double[]> observables) {
      Set<String> available = observables == null ? Set.of() : observables.keySet();
      List<String> start = names(options, START.name(), available);
      if (start.isEmpty()) {
        throw new OptionException(START.name(), "start needs at least one observable, the initial high-level set"
            + " HL_0 that DNN(HL_0) is trained on (seed 002 starts from jet mass and pT); the observables are: "
            + list(available));
      }
      List<String> candidates = names(options, CANDIDATES.name(), available);
      for (String c : candidates) {
        if (start.contains(c)) {
          throw new OptionException(CANDIDATES.name(), "'" + c + "' is both in start and in candidates; a candidate"
              + " is an observable not yet in the high-level set");
        }
      }
      if (candidates.isEmpty()) {
        for (String name : available) {
          if (!start.contains(name)) {
            candidates.add(name);
          }
        }
      }
      long passes = options.integer(PASSES.name());
      if (passes < 0 || passes > 100_000) {
        throw new OptionException(PASSES.name(), "passes is a number of candidates to add, from 0 up, found " + passes);
      }
      List<Integer> hidden = new ArrayList<>();
      List<?> widths = options.numbers(HIDDEN.name());
      for (Object o : widths == null ? List.of() : widths) {
        double w = o instanceof Number n ? n.doubleValue() : Double.NaN;
        if (!(w >= 1 && w <= 1_000_000 && w == Math.rint(w))) {
          throw new OptionException(HIDDEN.name(), "hidden lists layer widths, whole numbers from 1 up (e.g. [32, 32]);"
              + " found " + o);
        }
        hidden.add((int) w);
      }
      long epochs = options.integer(EPOCHS.name());
      if (epochs < 1 || epochs > 1_000_000) {
        throw new OptionException(EPOCHS.name(), "epochs must be at least 1, found " + epochs);
      }
      double minGain = options.number(MIN_GAIN.name());
      if (!Double.isFinite(minGain)) {
        throw new OptionException(MIN_GAIN.name(), "min_gain must be a finite number, found " + minGain);
      }
      double aucTolerance = options.number(AUC_TOLERANCE.name());
      if (!Double.isFinite(aucTolerance)) {
        throw new OptionException(AUC_TOLERANCE.name(), "auc_tolerance must be a finite number (negative: off), found "
            + aucTolerance);
      }
      List<Strategy> strategies = new ArrayList<>();
      List<String> ids = options.strings(STRATEGIES.name());
      for (String id : ids == null ? List.<String>of() : ids) {
        Strategy s = Strategy.of(id);
        if (s == null) {
          throw new OptionException(STRATEGIES.name(), "unknown strategy '" + id + "'; the strategies are black-box,"
              + " truth and brute-force");
        }
        if (strategies.contains(s)) {
          throw new OptionException(STRATEGIES.name(), "strategy '" + id + "' is listed twice");
        }
        strategies.add(s);
      }
      if (strategies.isEmpty()) {
        throw new OptionException(STRATEGIES.name(), "strategies needs at least one of black-box, truth and brute-force");
      }
      double holdout = options.number(HOLDOUT.name());
      if (!(holdout >= 0 && holdout <= 0.9)) {
        throw new OptionException(HOLDOUT.name(), "holdout is the fraction of events kept out of training, from 0 (none)"
            + " to 0.9, found " + holdout);
      }
      return new Settings(List.copyOf(start), List.copyOf(candidates), (int) passes, List.copyOf(hidden), (int) epochs,
          minGain, aucTolerance, List.copyOf(strategies), options.bool(UNWEIGHTED.name()), holdout);
    }

    /** A list of observable names, each checked against the available ones. */
    private static List<String> names(Options options, String option, Set<String> available) {
      List<String> given = options.strings(option);
      List<String> out = new ArrayList<>();
      for (String name : given == null ? List.<String>of() : given) {
        if (!available.contains(name)) {
          throw new OptionException(option, option + " names '" + name + "', which is not an observable here; the"
              + " observables are: " + list(available));
        }
        if (out.contains(name)) {
          throw new OptionException(option, option + " names '" + name + "' twice");
        }
        out.add(name);
      }
      return out;
    }

    private static String list(Set<String> names) {
      if (names.isEmpty()) {
        return "(none: no observables were computed)";
      }
      int shown = 0;
      StringBuilder sb = new StringBuilder();
      for (String n : names) {
        if (shown == 60) {
          sb.append(" ... and ").append(names.size() - shown).append(" more");
          break;
        }
        sb.append(shown++ == 0 ? "" : ", ").append(n);
      }
      return sb.toString();
    }
  }

  /** One run of every requested strategy on one context. */
  private static final class Search {
    private final SurrogateContext context;
    private final Settings settings;
    private final Progress progress;
    private final ClassifierTraining training;
    private final int[] labels;
    private final double[] trainingWeights;
    /** The events ADO, AUC and the disagreeing pairs are measured on, in order: all, or the held-out ones. */
    private final int[] measured;
    private final Events events;
    private final Scores blackBox;
    private final Scores truth;
    private final double blackBoxAuc;
    private final Map<String, double[]> columns = new HashMap<>();
    private final Map<String, Scores> candidateScores = new HashMap<>();
    private final Map<String, Double> candidateAuc = new HashMap<>();
    /** DNN scores by inputs and seed, shared between strategies. */
    private final Map<String, Scores> trained = new HashMap<>();
    private final Map<String, Object> trainerSettings;
    private final long totalSteps;
    private long steps;
    private int trainingsRun;

    Search(SurrogateContext context, Settings settings) {
      this.context = context;
      this.settings = settings;
      this.progress = context.progress() == null ? Progress.NONE : context.progress();
      this.training = context.training();
      if (training == null) {
        throw new GlassboxException("guided-search trains networks on observables, but no trainer was provided");
      }
      int n = context.data().events();
      this.labels = context.data().labels().orElseThrow(() -> new GlassboxException(
          "guided-search needs labels: it trains DNN(observables) to separate signal from background and compares"
              + " orderings of signal/background pairs; give the data set a label column (1 = signal, 0 ="
              + " background)"));
      if (labels.length != n) {
        throw new GlassboxException("there are " + labels.length + " labels but " + n + " events");
      }
      double[] w = context.data().weights();
      if (settings.unweighted() || w == null) {
        w = new double[n];
        java.util.Arrays.fill(w, 1);
      }
      this.measured = heldOut(labels, settings.holdout(), context.seed());
      this.trainingWeights = w.clone();
      if (measured.length < n) {
        for (int i : measured) trainingWeights[i] = 0;
      }
      this.events = AdoSimilarityMethod.events(subset(labels), subset(w), false);

      FloatTensor value = context.model().value(context.neuron(), context.data().inputs());
      if (value == null || value.data().length != n) {
        throw new GlassboxException("the value of neuron '" + context.neuron().label() + "' has "
            + (value == null ? 0 : value.data().length) + " values for " + n + " events; guided-search needs one"
            + " value per event");
      }
      double[] bb = new double[n];
      int direction = context.neuron().direction();
      for (int i = 0; i < n; i++) {
        bb[i] = direction * (double) value.data()[i];
      }
      this.blackBox = Scores.of("black box " + context.neuron().label(), subset(bb));
      this.truth = Scores.truth(events);
      this.blackBoxAuc = Auc.exact(blackBox, events).value();

      List<String> used = new ArrayList<>(settings.start());
      used.addAll(settings.candidates());
      for (String name : used) {
        double[] column = context.observables().get(name);
        if (column == null || column.length != n) {
          throw new GlassboxException("observable '" + name + "' has " + (column == null ? 0 : column.length)
              + " values for " + n + " events; give one value per event");
        }
        columns.put(name, column);
        Scores s = Scores.of(name, subset(column));
        candidateScores.put(name, s);
      }
      Map<String, Object> ts = new LinkedHashMap<>();
      ts.put("hidden", settings.hidden());
      ts.put("epochs", settings.epochs());
      this.trainerSettings = Collections.unmodifiableMap(ts);

      long total = 0;
      int c = settings.candidates().size();
      for (Strategy s : settings.strategies()) {
        total += 1;
        for (int p = 1; p <= settings.passes() && p <= c; p++) {
          total += s == Strategy.BRUTE_FORCE ? c - p + 1 : 1;
        }
      }
      this.totalSteps = total;
    }

    Surrogate run() {
      progress.start("guided search", totalSteps);
      Map<Strategy, Outcome> outcomes = new LinkedHashMap<>();
      List<Map<String, Object>> table = new ArrayList<>();
      for (Strategy s : settings.strategies()) {
        Outcome o = search(s);
        outcomes.put(s, o);
        for (Map<String, Object> row : o.rows) {
          table.add(Collections.unmodifiableMap(row));
        }
      }
      progress.step(totalSteps);
      Strategy main = outcomes.containsKey(Strategy.BLACK_BOX) ? Strategy.BLACK_BOX : settings.strategies().get(0);
      Outcome m = outcomes.get(main);
      Map<String, Double> fidelity = new LinkedHashMap<>();
      fidelity.put("ado_with_black_box", m.ado);
      fidelity.put("auc", m.auc);
      fidelity.put("black_box_auc", blackBoxAuc);
      fidelity.put("trainings", (double) m.trainings);
      fidelity.put("added", (double) m.chosen.size());
      for (Map.Entry<Strategy, Outcome> e : outcomes.entrySet()) {
        // "strategy_" keeps e.g. the black-box strategy's AUC apart from the black box's own AUC (black_box_auc).
        String k = "strategy_" + e.getKey().key();
        fidelity.put(k + "_ado_with_black_box", e.getValue().ado);
        fidelity.put(k + "_auc", e.getValue().auc);
        fidelity.put(k + "_trainings", (double) e.getValue().trainings);
        fidelity.put(k + "_added", (double) e.getValue().chosen.size());
      }
      fidelity.put("trainings_run", (double) trainingsRun);
      if (settings.holdout() > 0) fidelity.put("measured_events", (double) measured.length);
      List<String> set = new ArrayList<>(settings.start());
      set.addAll(m.chosen);
      return new Surrogate(dnnName(set), m.chosen, fidelity, table);
    }

    /** What one strategy ends with. */
    private record Outcome(List<String> chosen, double ado, double auc, int trainings, List<Map<String, Object>> rows) {}

    /** The chosen candidate of a pass, the value it was chosen by, and (brute force) its trained DNN. */
    private record Pick(String name, double criterion, Scores dnn) {}

    private Outcome search(Strategy strategy) {
      List<String> hl = new ArrayList<>(settings.start());
      List<String> remaining = new ArrayList<>(settings.candidates());
      List<String> chosen = new ArrayList<>();
      List<Map<String, Object>> rows = new ArrayList<>();
      int trainings = 0;

      progress.checkCancelled();
      Scores dnn = train(hl, 0, strategy);
      trainings++;
      double ado = adoWithBlackBox(dnn);
      double auc = Auc.exact(dnn, events).value();
      rows.add(row(strategy, 0, String.join(", ", hl), Double.NaN, Double.NaN, Double.NaN, auc, ado, Double.NaN,
          trainings, true));
      String stopped = "";
      int pass = 1;
      for (; pass <= settings.passes(); pass++) {
        if (remaining.isEmpty()) {
          stopped = "no candidate left";
          break;
        }
        if (settings.aucTolerance() >= 0 && auc >= blackBoxAuc - settings.aucTolerance()) {
          stopped = String.format(Locale.ROOT, "DNN(HL) AUC %.4f reached the black box's %.4f within auc_tolerance %s",
              auc, blackBoxAuc, settings.aucTolerance());
          break;
        }
        DisagreementSet withBlackBox = DisagreementSet.of(dnn, blackBox, events);
        Pick pick;
        if (strategy == Strategy.BLACK_BOX) {
          if (withBlackBox.isEmpty()) {
            stopped = dnn.name() + " and the black box order no signal/background pair differently";
            break;
          }
          pick = best(withBlackBox, remaining);
        } else if (strategy == Strategy.TRUTH) {
          DisagreementSet wrong = DisagreementSet.of(dnn, truth, events);
          if (wrong.isEmpty()) {
            stopped = dnn.name() + " orders every signal/background pair right";
            break;
          }
          pick = best(wrong, remaining);
        } else {
          Pick top = null;
          for (String c : remaining) {
            progress.checkCancelled();
            List<String> with = new ArrayList<>(hl);
            with.add(c);
            Scores d = train(with, pass, strategy);
            trainings++;
            double a = adoWithBlackBox(d);
            if (top == null || a > top.criterion()) {
              top = new Pick(c, a, d);
            }
          }
          pick = top;
          trained.put(key(append(hl, pick.name()), pass), pick.dnn());
        }
        String c = pick.name();
        double onDisagreeing = strategy == Strategy.BLACK_BOX ? pick.criterion()
            : withBlackBox.isEmpty() ? Double.NaN : withBlackBox.score(candidateScores.get(c)).oriented();
        List<String> next = append(hl, c);
        Scores nextDnn;
        if (pick.dnn() != null) {
          nextDnn = pick.dnn();
        } else {
          progress.checkCancelled();
          nextDnn = train(next, pass, strategy);
          trainings++;
        }
        double nextAdo = adoWithBlackBox(nextDnn);
        double nextAuc = Auc.exact(nextDnn, events).value();
        double gain = nextAdo - ado;
        boolean kept = gain > settings.minGain();
        rows.add(row(strategy, pass, c, pick.criterion(), onDisagreeing, candidateAuc(c), nextAuc, nextAdo, gain,
            trainings, kept));
        progress.message(String.format(Locale.ROOT, "%s pass %d: %s (criterion %.4f), ADO with black box %.4f",
            strategy.id, pass, c, pick.criterion(), nextAdo));
        if (!kept) {
          stopped = String.format(Locale.ROOT, "gain %.3g <= min_gain %s: %s not kept", gain, settings.minGain(), c);
          break;
        }
        hl = next;
        remaining.remove(c);
        chosen.add(c);
        dnn = nextDnn;
        ado = nextAdo;
        auc = nextAuc;
      }
      if (pass > settings.passes()) {
        stopped = settings.passes() + " passes done";
      }
      rows.get(rows.size() - 1).put("stopped", stopped);
      return new Outcome(List.copyOf(chosen), ado, auc, trainings, rows);
    }

    /** The remaining candidate with the highest oriented score on the subset (the first of equals). */
    private Pick best(DisagreementSet subset, List<String> remaining) {
      Pick top = null;
      for (String c : remaining) {
        double v = subset.score(candidateScores.get(c)).oriented();
        if (top == null || v > top.criterion()) {
          top = new Pick(c, v, null);
        }
      }
      return top;
    }

    private double candidateAuc(String name) {
      return candidateAuc.computeIfAbsent(name, n -> Auc.exact(candidateScores.get(n), events).own());
    }

    private double adoWithBlackBox(Scores dnn) {
      return DecisionOrdering.exact(dnn, blackBox, events).oriented();
    }

    /** DNN(hl) trained with seed + pass, or the same network trained before (same inputs, same seed). */
    private Scores train(List<String> hl, int pass, Strategy strategy) {
      String key = key(hl, pass);
      Scores done = trained.get(key);
      if (done == null) {
        List<double[]> cols = new ArrayList<>(hl.size());
        for (String name : hl) {
          cols.add(columns.get(name));
        }
        String name = dnnName(hl);
        double[] scores = training.trainAndScore(name + " pass " + pass + " (" + strategy.id + ")", cols,
            labels.clone(), trainingWeights.clone(), trainerSettings, context.seed() + pass);
        trainingsRun++;
        if (scores == null || scores.length != labels.length) {
          throw new GlassboxException("training " + name + " returned " + (scores == null ? 0 : scores.length)
              + " scores for " + labels.length + " events");
        }
        done = Scores.of(name, subset(scores));
        if (strategy != Strategy.BRUTE_FORCE) {
          trained.put(key, done);
        }
      }
      progress.step(++steps);
      return done;
    }

    /** The values of the measured events, in order. */
    private double[] subset(double[] all) {
      if (measured.length == all.length) return all;
      double[] out = new double[measured.length];
      for (int k = 0; k < out.length; k++) out[k] = all[measured[k]];
      return out;
    }

    private int[] subset(int[] all) {
      if (measured.length == all.length) return all;
      int[] out = new int[measured.length];
      for (int k = 0; k < out.length; k++) out[k] = all[measured[k]];
      return out;
    }

    /**
     * All events (holdout 0), or a seeded random round(holdout · N) of them in increasing order, kept out of
     * training; both the held-out and the training events must hold signal and background.
     */
    private static int[] heldOut(int[] labels, double holdout, long seed) {
      int n = labels.length;
      int k = (int) Math.round(holdout * n);
      if (holdout == 0) return java.util.stream.IntStream.range(0, n).toArray();
      int[] order = java.util.stream.IntStream.range(0, n).toArray();
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int[] held = java.util.Arrays.copyOf(order, k);
      java.util.Arrays.sort(held);
      boolean[] isHeld = new boolean[n];
      for (int i : held) isHeld[i] = true;
      int[] count = new int[4]; // held background, held signal, training background, training signal
      for (int i = 0; i < n; i++) count[(isHeld[i] ? 0 : 2) + (labels[i] == 1 ? 1 : 0)]++;
      if (count[0] == 0 || count[1] == 0 || count[2] == 0 || count[3] == 0) {
        throw new OptionException(HOLDOUT.name(), "holdout " + holdout + " leaves " + count[1] + " signal and " + count[0]
            + " background events to measure on and " + count[3] + " and " + count[2] + " to train on; each part needs"
            + " both classes: choose a holdout nearer 0.5 or give more events");
      }
      return held;
    }

    private static String key(List<String> hl, int pass) {
      return String.join("\u0000", hl) + "\u0001" + pass;
    }

    private static List<String> append(List<String> hl, String c) {
      List<String> out = new ArrayList<>(hl);
      out.add(c);
      return out;
    }

    private static Map<String, Object> row(Strategy strategy, int pass, String chosen, double criterion,
        double onDisagreeing, double candidateAuc, double dnnAuc, double dnnAdo, double gain, int trainings,
        boolean kept) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("strategy", strategy.id);
      row.put("pass", pass);
      row.put("chosen", chosen);
      row.put("criterion", criterion);
      row.put("ado_on_disagreeing", onDisagreeing);
      row.put("candidate_auc", candidateAuc);
      row.put("dnn_auc", dnnAuc);
      row.put("dnn_ado_with_black_box", dnnAdo);
      row.put("gain", gain);
      row.put("trainings", trainings);
      row.put("kept", kept);
      row.put("stopped", "");
      return row;
    }
  }

  static String dnnName(List<String> hl) {
    return "DNN(" + String.join(", ", hl) + ")";
  }
}
