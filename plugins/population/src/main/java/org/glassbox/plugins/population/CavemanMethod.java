package org.glassbox.plugins.population;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.surrogate.Surrogate;
import org.glassbox.api.surrogate.SurrogateContext;
import org.glassbox.api.surrogate.SurrogateMethod;

/**
 * {@code caveman}: the caveman variable of seed 000 §2.6 and Appendix A (METHODS.md §4).
 *
 * <ol>
 *   <li>The activation-maximization population of the neuron ({@link GradientAscent}).
 *   <li>Histograms of every combination of 1, 2 and 3 candidate inputs; the {@code histograms} (20)
 *       of each dimension with the highest dependence are kept ({@link Dependence}).
 *   <li>In each kept projection, tuples with an input within one step of the box boundary are
 *       split from interior tuples; DBSCAN finds islands in each part.
 *   <li>Each island becomes a term fitted to be 1 in its area and 0 elsewhere ({@link TermFit}):
 *       sigmoid(degree-2 polynomial) for interior islands, a multilinear polynomial for boundary
 *       ones.
 *   <li>The terms are combined linearly, fitted to the neuron on the data with an L1 penalty that
 *       leaves at most {@code terms} of them ({@link Lasso}).
 * </ol>
 */
public final class CavemanMethod implements SurrogateMethod {
  static final OptionSpec INPUTS = OptionSpec.strings("inputs", List.of(),
      "the inputs the terms may use, by feature name; empty = all inputs (those with a box of positive width)");
  static final OptionSpec TOP_INPUTS = OptionSpec.integer("top_inputs", 0,
      "keep only this many candidate inputs, those of largest activation difference (METHODS.md §1, one marginal"
          + " draw per event; seed 000 §3.1 restricts to 5); 0 = all");
  static final OptionSpec DIMENSIONS = OptionSpec.integer("dimensions", 3,
      "histograms of combinations of 1 up to this many inputs (seed 000: 3)");
  static final OptionSpec HISTOGRAMS = OptionSpec.integer("histograms", 20,
      "histograms kept per dimension, those of highest dependence (seed 000: 20)");
  static final OptionSpec BINS = OptionSpec.integer("bins", 20,
      "bins per axis of the population histograms (discrete inputs: one per distinct value)");
  static final OptionSpec MIN_PTS = OptionSpec.integer("min_pts", 5,
      "DBSCAN: a core point has at least min_pts other points within eps");
  static final OptionSpec EPS = OptionSpec.number("eps", 0,
      "DBSCAN radius in box units (fractions of the box width per axis); 0 = per part, the 95 % quantile of the"
          + " distances to the min_pts-th nearest other point, at least one step");
  static final OptionSpec TERMS = OptionSpec.integer("terms", 5,
      "at most this many terms survive the L1 penalty (seed 000: 'a manageable and configurable number')");
  static final OptionSpec REFIT = OptionSpec.bool("refit", true,
      "refit the surviving terms' coefficients without the penalty (else keep the penalised ones)");
  static final OptionSpec FIT_EVENTS = OptionSpec.integer("fit_events", 20_000,
      "data events (a seeded subsample when there are more) for the term combination, the linear baseline and"
          + " top_inputs; fidelity uses all events");

  static final List<OptionSpec> SPECS;

  static {
    List<OptionSpec> s = new ArrayList<>(AscentSettings.SPECS);
    s.addAll(List.of(INPUTS, TOP_INPUTS, DIMENSIONS, HISTOGRAMS, BINS, MIN_PTS, EPS, TERMS, REFIT, FIT_EVENTS));
    SPECS = List.copyOf(s);
  }

  /**
   * eps 0: twice this quantile of the distances to the min_pts-th nearest other point, so that all
   * but the sparsest points are core points and an island splits only at a real gap (the dbscan
   * method's knee rule, made for blobs in noise, cuts the thin threshold contours of populations,
   * and the random gaps of a few hundred points, into pieces).
   */
  static final double EPS_QUANTILE = 0.95;

  static final double EPS_FACTOR = 2;

  /** More histogram combinations than this: ask for fewer inputs. */
  static final long MAX_COMBINATIONS = 200_000;

  @Override
  public String id() {
    return "caveman";
  }

  @Override
  public String description() {
    return "caveman variable (seed 000 §2.6, Appendix A): islands of the activation-maximization population, each"
        + " modelled by a simple function, combined linearly under an L1 penalty";
  }

  @Override
  public List<OptionSpec> options() {
    return SPECS;
  }

  @Override
  public String conventions() {
    return "Population: gradient-ascent with the same options and conventions (threshold by default the 0.9"
        + " quantile of the neuron over the data). Histograms (METHODS.md §4.2): 20 bins per axis, equal-width over"
        + " the box for uniform starts (quantile bins of the data for init: data; discrete inputs one bin per value),"
        + " kept per dimension by the dependence among the inputs within the population, not against a label: 1-D, KL"
        + " divergence of the population's marginal from the starting distribution; 2-D, normalised mutual"
        + " information (seed 000 eq. 1); 3-D, normalised total correlation (H(X)+H(Y)+H(W)-H(X,Y,W)) /"
        + " (H(X)+H(Y)+H(W)-max H). Boundary tuples: some input within one step of a bound, clustered apart from the"
        + " interior ones. DBSCAN (commons-math3) runs on box coordinates (x-low)/(high-low) of each part; eps 0"
        + " (convention): twice the 95 % quantile of the distances to the min_pts-th nearest other point, at least"
        + " one step, so that an island splits only at a real gap; islands smaller than max(min_pts+1, 1 % of the"
        + " population) are dropped. A term's targets (convention): 1 on its island's points and on uniform"
        + " reference points of the projection's box within eps of one of them (the island's area), 0 on the"
        + " projection's other population points and the other reference points. Interior terms: sigmoid(all"
        + " monomials of degree <= 2) minimising mean cross-entropy + 0.5e-5*|coefficients|^2 (constant not"
        + " penalised); boundary terms: multilinear polynomial (1, x, y, xy, and xyw in 3-D; no squares, no clamping)"
        + " by least squares. Both objectives are convex: their minimiser is computed (Newton steps, a linear solve)"
        + " rather than approached by gradient descent. Combination: weighted least squares of the neuron on the"
        + " data events (at most fit_events) with an L1 penalty on standardised terms, by coordinate descent, the"
        + " penalty the smallest that leaves at most 'terms' terms; then refit without penalty (refit: true)."
        + " Fidelity: correlation (weighted Pearson of the caveman variable with the neuron over all data events);"
        + " auc and neuron_auc (labelled data, both oriented by the neuron's direction); linear_correlation and"
        + " linear_auc (least squares of the neuron on the candidate inputs: seed 000 Fig. 11's 'simple linear"
        + " combination of these inputs'); caveman_1d_correlation and caveman_1d_auc (METHODS.md §4.6's reading of"
        + " that baseline: the caveman fit restricted to its 1-D terms); population_points, population_starts and"
        + " candidate_terms. Terms print in the inputs' units, coefficients to 3 significant digits. Not done:"
        + " hidden-layer inputs and 'super-caveman' chains (Appendix A's first bullet: the model inputs only), the"
        + " seed's unpublished DBSCAN 'variant' (plain DBSCAN), and the context's observables.";
  }

  /** The caveman options beyond the ascent's, validated. */
  record Settings(List<String> inputs, int topInputs, int dimensions, int histograms, int bins, int minPts, double eps,
      int terms, boolean refit, int fitEvents) {
    static Settings from(Options o) {
      long top = o.integer(TOP_INPUTS.name());
      if (top < 0) {
        throw new OptionException(TOP_INPUTS.name(), "top_inputs is 0 (all) or a number of inputs, got " + top + ".");
      }
      long dims = o.integer(DIMENSIONS.name());
      if (dims < 1 || dims > 3) {
        throw new OptionException(DIMENSIONS.name(), "dimensions is 1, 2 or 3 (histograms of up to that many inputs),"
            + " got " + dims + ".");
      }
      long histograms = o.integer(HISTOGRAMS.name());
      if (histograms < 1 || histograms > 1_000_000) {
        throw new OptionException(HISTOGRAMS.name(), "histograms is the number kept per dimension, at least 1, got "
            + histograms + ".");
      }
      long bins = o.integer(BINS.name());
      if (bins < 2 || bins > 1000) {
        throw new OptionException(BINS.name(), "bins per axis is from 2 to 1000, got " + bins + ".");
      }
      long minPts = o.integer(MIN_PTS.name());
      if (minPts < 1 || minPts > 1_000_000) {
        throw new OptionException(MIN_PTS.name(), "min_pts is a number of neighbours, at least 1, got " + minPts + ".");
      }
      double eps = o.number(EPS.name());
      if (!(eps >= 0) || !(eps <= 2)) {
        throw new OptionException(EPS.name(), "eps is a distance in box units, 0 (rule of thumb) up to 2, got " + eps
            + ".");
      }
      long terms = o.integer(TERMS.name());
      if (terms < 1 || terms > 10_000) {
        throw new OptionException(TERMS.name(), "terms is the number of terms to keep, at least 1, got " + terms + ".");
      }
      long fit = o.integer(FIT_EVENTS.name());
      if (fit < 10 || fit > Integer.MAX_VALUE) {
        throw new OptionException(FIT_EVENTS.name(), "fit_events is a number of events, at least 10, got " + fit + ".");
      }
      return new Settings(List.copyOf(o.strings(INPUTS.name())), (int) top, (int) dims, (int) histograms, (int) bins,
          (int) minPts, eps, (int) terms, o.bool(REFIT.name()), (int) fit);
    }
  }

  /** A candidate term and where it came from. */
  record Candidate(Term term, int[] inputs, double dependence, int points, double eps) {}

  /** Everything the fit produced, for the tests. */
  record Result(Surrogate surrogate, GradientAscent.Result population, List<int[]> kept, List<Candidate> candidates,
      Lasso.Fit fit, double[] caveman, double[] neuron) {}

  @Override
  public Surrogate fit(SurrogateContext context) {
    return run(context.model(), context.neuron(), context.data(), context.options(), context.seed(),
        context.progress()).surrogate();
  }

  static Result run(ModelAccess model, Neuron neuron, EventData data, Options options, long seed, Progress progress) {
    AscentSettings ascent = AscentSettings.from(options);
    Settings s = Settings.from(options);
    FloatTensor inputs = data.inputs();
    if (inputs.shape().length != 2) {
      throw new GlassboxException("caveman needs vector inputs (events x features); this model's input has shape "
          + Arrays.toString(inputs.eventShape()) + " per event.");
    }
    int n = inputs.events();
    int f = inputs.eventSize();
    if (n < 10) {
      throw new GlassboxException("caveman fits its terms to the neuron on the data: give at least 10 events.");
    }
    List<String> names = GradientAscent.featureNames(data);
    double[] weights = ascent.unweighted() ? Stats.ones(n) : data.weights();
    SplittableRandom random = new SplittableRandom(seed ^ 0x6A09E667F3BCC908L);

    double[] z = GradientAscent.neuronOnData(model, neuron, data);
    int[] fitEvents = subsample(n, s.fitEvents(), random.split());
    double[] zFit = new double[fitEvents.length];
    double[] wFit = new double[fitEvents.length];
    for (int k = 0; k < fitEvents.length; k++) {
      zFit[k] = z[fitEvents[k]];
      wFit[k] = weights[fitEvents[k]];
    }

    Box box = Box.of(inputs, ascent.boxLow(), ascent.boxHigh());
    int[] candidates = candidates(s, names, box);
    if (s.topInputs() > 0 && s.topInputs() < candidates.length) {
      candidates = topByActivationDifference(model, neuron, inputs, fitEvents, zFit, wFit, candidates, s.topInputs(),
          random.split());
    }
    long combinations = 0;
    for (int d = 1; d <= s.dimensions(); d++) combinations += binomial(candidates.length, d);
    if (combinations > MAX_COMBINATIONS) {
      throw new OptionException(TOP_INPUTS.name(), candidates.length + " candidate inputs give " + combinations
          + " histograms of up to " + s.dimensions() + " inputs; set top_inputs (e.g. 10) or list inputs.");
    }

    GradientAscent.Result population = GradientAscent.run(model, neuron, data, ascent, seed, progress, z);
    int reached = population.reachedCount();
    if (reached < s.minPts() + 1) {
      throw new GlassboxException("only " + reached + " of " + population.size() + " starts reached the threshold "
          + population.threshold() + " of " + neuron.label() + ": too few to find islands. Lower the threshold, raise"
          + " steps or starts.");
    }
    double[][] points = new double[reached][f];
    {
      int r = 0;
      for (int k = 0; k < population.size(); k++) {
        if (!population.reached()[k]) continue;
        for (int i = 0; i < f; i++) points[r][i] = population.ends()[k * f + i];
        r++;
      }
    }

    // Histograms: bin every candidate input, score every combination, keep the best of each dimension.
    int[][] binOf = new int[candidates.length][reached];
    Binning[] binnings = new Binning[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      int i = candidates[c];
      double[] column = new double[n];
      for (int e = 0; e < n; e++) column[e] = inputs.data()[e * f + i];
      binnings[c] = Binning.of(box.low()[i], box.high()[i], s.bins(), column, weights, ascent.initFromData());
      for (int r = 0; r < reached; r++) binOf[c][r] = binnings[c].bin(points[r][i]);
    }
    List<int[]> kept = new ArrayList<>();
    List<Double> keptScore = new ArrayList<>();
    for (int d = 1; d <= s.dimensions(); d++) {
      List<int[]> combos = combinations(candidates.length, d);
      double[] score = new double[combos.size()];
      for (int k = 0; k < combos.size(); k++) {
        int[] c = combos.get(k);
        score[k] = switch (d) {
          case 1 -> Dependence.kl(binOf[c[0]], binnings[c[0]].q());
          case 2 -> Dependence.mutualInformation(binOf[c[0]], binnings[c[0]].count(), binOf[c[1]],
              binnings[c[1]].count());
          default -> Dependence.totalCorrelation(binOf[c[0]], binnings[c[0]].count(), binOf[c[1]],
              binnings[c[1]].count(), binOf[c[2]], binnings[c[2]].count());
        };
      }
      Integer[] order = new Integer[combos.size()];
      for (int k = 0; k < order.length; k++) order[k] = k;
      Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -score[k]));
      for (int r = 0; r < Math.min(s.histograms(), order.length); r++) {
        int[] c = combos.get(order[r]);
        int[] features = new int[d];
        for (int j = 0; j < d; j++) features[j] = candidates[c[j]];
        kept.add(features);
        keptScore.add(score[order[r]]);
      }
    }

    // Islands and their terms.
    progress.start("caveman terms of " + neuron.label(), kept.size());
    int minCluster = Math.max(s.minPts() + 1, (int) Math.ceil(0.01 * reached));
    int references = Math.max(1000, Math.min(4000, 2 * reached));
    List<Candidate> terms = new ArrayList<>();
    for (int p = 0; p < kept.size(); p++) {
      progress.checkCancelled();
      int[] features = kept.get(p);
      terms.addAll(islands(points, features, box, ascent.step(), s, minCluster, references, keptScore.get(p),
          random.split()));
      progress.step(p + 1);
    }
    if (terms.isEmpty()) {
      throw new GlassboxException("the population of " + neuron.label() + " (" + reached + " points) has no island of"
          + " at least " + minCluster + " points in any kept histogram; lower min_pts or raise starts.");
    }

    // Combination: L1-penalised least squares of the neuron on the terms, over the data events.
    double[][] columns = new double[terms.size()][fitEvents.length];
    float[] x = inputs.data();
    for (int t = 0; t < terms.size(); t++) {
      Term term = terms.get(t).term();
      for (int k = 0; k < fitEvents.length; k++) columns[t][k] = term.at(x, fitEvents[k] * f, box);
    }
    Lasso.Fit fit = Lasso.select(columns, zFit, wFit, s.terms(), s.refit());
    if (fit.selected().length == 0) {
      throw new GlassboxException("no caveman term varies with the neuron " + neuron.label() + " on the data: the"
          + " population's islands do not describe it.");
    }
    double[] caveman = evaluate(fit, terms, x, f, n, box);

    // Baselines: the inputs linearly (seed 000 Fig. 11), and the caveman fit restricted to its 1-D terms
    // (METHODS.md §4.6).
    double[][] inputColumns = new double[candidates.length][fitEvents.length];
    for (int c = 0; c < candidates.length; c++) {
      for (int k = 0; k < fitEvents.length; k++) inputColumns[c][k] = x[fitEvents[k] * f + candidates[c]];
    }
    Lasso.Fit linear = Lasso.leastSquares(inputColumns, zFit, wFit);
    double[] linearValues = new double[n];
    for (int e = 0; e < n; e++) {
      double v = linear.intercept();
      for (int k = 0; k < linear.selected().length; k++) {
        v += linear.coefficients()[k] * x[e * f + candidates[linear.selected()[k]]];
      }
      linearValues[e] = v;
    }
    List<Integer> oneD = new ArrayList<>();
    for (int t = 0; t < terms.size(); t++) if (terms.get(t).inputs().length == 1) oneD.add(t);
    double[] oneDValues = null;
    if (!oneD.isEmpty()) {
      double[][] oneDColumns = new double[oneD.size()][];
      for (int k = 0; k < oneD.size(); k++) oneDColumns[k] = columns[oneD.get(k)];
      Lasso.Fit oneDFit = Lasso.select(oneDColumns, zFit, wFit, s.terms(), s.refit());
      if (oneDFit.selected().length > 0) {
        List<Candidate> oneDTerms = oneD.stream().map(terms::get).toList();
        oneDValues = evaluate(oneDFit, oneDTerms, x, f, n, box);
      }
    }

    Map<String, Double> fidelity = new LinkedHashMap<>();
    put(fidelity, "correlation", Stats.correlation(caveman, z, weights));
    Optional<int[]> labels = data.labels();
    int direction = neuron.direction();
    if (labels.isPresent()) {
      put(fidelity, "auc", Stats.auc(scaled(caveman, direction), labels.get(), weights));
      put(fidelity, "neuron_auc", Stats.auc(scaled(z, direction), labels.get(), weights));
    }
    put(fidelity, "linear_correlation", Stats.correlation(linearValues, z, weights));
    if (labels.isPresent()) {
      put(fidelity, "linear_auc", Stats.auc(scaled(linearValues, direction), labels.get(), weights));
    }
    if (oneDValues != null) {
      put(fidelity, "caveman_1d_correlation", Stats.correlation(oneDValues, z, weights));
      if (labels.isPresent()) {
        put(fidelity, "caveman_1d_auc", Stats.auc(scaled(oneDValues, direction), labels.get(), weights));
      }
    }
    fidelity.put("population_points", (double) reached);
    fidelity.put("population_starts", (double) population.size());
    fidelity.put("candidate_terms", (double) terms.size());

    List<String> termTexts = new ArrayList<>();
    List<Map<String, Object>> table = new ArrayList<>();
    StringBuilder formula = new StringBuilder(neuron.label()).append(" ~ ").append(Term.round(fit.intercept()));
    for (int k = 0; k < fit.selected().length; k++) {
      Candidate c = terms.get(fit.selected()[k]);
      String expression = c.term().readable(box, names);
      double coefficient = fit.coefficients()[k];
      String signed = (coefficient < 0 ? "-" : "") + Term.round(Math.abs(coefficient)) + "*" + expression;
      termTexts.add(signed);
      formula.append(coefficient < 0 ? " - " : " + ").append(Term.round(Math.abs(coefficient))).append('*')
          .append(expression);
      double[] termValues = new double[n];
      for (int e = 0; e < n; e++) termValues[e] = c.term().at(x, e * f, box);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", k + 1);
      row.put("term", expression);
      row.put("kind", c.term().interior() ? "interior" : "boundary");
      row.put("inputs", Arrays.stream(c.inputs()).mapToObj(names::get).toList());
      row.put("dimension", c.inputs().length);
      row.put("island_points", c.points());
      row.put("dependence", c.dependence());
      row.put("eps", c.eps());
      row.put("coefficient", coefficient);
      row.put("standardised_coefficient", fit.standardised()[k]);
      row.put("term_correlation", Stats.correlation(termValues, z, weights));
      table.add(row);
    }
    Surrogate surrogate = new Surrogate(formula.toString(), termTexts, fidelity, table);
    return new Result(surrogate, population, kept, terms, fit, caveman, z);
  }

  private static void put(Map<String, Double> fidelity, String key, double value) {
    if (Double.isFinite(value)) fidelity.put(key, value);
  }

  private static double[] scaled(double[] v, int direction) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = direction * v[i];
    return out;
  }

  private static double[] evaluate(Lasso.Fit fit, List<Candidate> terms, float[] x, int f, int n, Box box) {
    double[] out = new double[n];
    for (int e = 0; e < n; e++) {
      double v = fit.intercept();
      for (int k = 0; k < fit.selected().length; k++) {
        v += fit.coefficients()[k] * terms.get(fit.selected()[k]).term().at(x, e * f, box);
      }
      out[e] = v;
    }
    return out;
  }

  /**
   * The islands of one projection: boundary and interior tuples apart, DBSCAN on each in box
   * coordinates, one fitted term per island large enough.
   */
  static List<Candidate> islands(double[][] points, int[] features, Box box, double step, Settings s, int minCluster,
      int references, double dependence, SplittableRandom random) {
    int d = features.length;
    int r = points.length;
    double[][] u = new double[r][d];
    boolean[] boundary = new boolean[r];
    for (int p = 0; p < r; p++) {
      for (int j = 0; j < d; j++) {
        u[p][j] = box.unit(features[j], points[p][features[j]]);
        if (box.onBoundary(features[j], (float) points[p][features[j]], step)) boundary[p] = true;
      }
    }
    double[][] reference = new double[references][d];
    for (double[] ref : reference) for (int j = 0; j < d; j++) ref[j] = random.nextDouble();

    List<Candidate> out = new ArrayList<>();
    for (boolean part : new boolean[] {false, true}) {
      List<Integer> members = new ArrayList<>();
      for (int p = 0; p < r; p++) if (boundary[p] == part) members.add(p);
      if (members.size() < s.minPts() + 1) continue;
      double[][] partPoints = new double[members.size()][];
      for (int k = 0; k < partPoints.length; k++) partPoints[k] = u[members.get(k)];
      double eps = s.eps() > 0 ? s.eps()
          : Math.max(EPS_FACTOR * Stats.quantile(Dbscan.kDistances(partPoints, s.minPts()), null, EPS_QUANTILE), step);
      int[] labels = Dbscan.labels(partPoints, eps, s.minPts());
      int count = Dbscan.count(labels);
      for (int c = 0; c < count; c++) {
        List<Integer> island = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) if (labels[k] == c) island.add(members.get(k));
        if (island.size() < minCluster) continue;
        out.add(fitIsland(u, island, reference, eps, features, !part, dependence));
      }
    }
    return out;
  }

  /** Fits one island's term: 1 on the island and its area (eps-balls around its points), 0 elsewhere. */
  static Candidate fitIsland(double[][] u, List<Integer> island, double[][] reference, double eps, int[] features,
      boolean interior, double dependence) {
    int d = features.length;
    boolean[] in = new boolean[u.length];
    for (int p : island) in[p] = true;
    int total = u.length + reference.length;
    double[][] v = new double[total][d];
    double[] target = new double[total];
    for (int p = 0; p < u.length; p++) {
      for (int j = 0; j < d; j++) v[p][j] = 2 * u[p][j] - 1;
      target[p] = in[p] ? 1 : 0;
    }
    double eps2 = eps * eps;
    for (int q = 0; q < reference.length; q++) {
      double[] ref = reference[q];
      boolean inside = false;
      for (int p : island) {
        double s = 0;
        for (int j = 0; j < d && s <= eps2; j++) {
          double diff = ref[j] - u[p][j];
          s += diff * diff;
        }
        if (s <= eps2) {
          inside = true;
          break;
        }
      }
      for (int j = 0; j < d; j++) v[u.length + q][j] = 2 * ref[j] - 1;
      target[u.length + q] = inside ? 1 : 0;
    }
    Term term = interior ? TermFit.sigmoid(features, v, target) : TermFit.multilinear(features, v, target);
    return new Candidate(term, features, dependence, island.size(), eps);
  }

  /** Candidate inputs: the named ones (or all), without fixed ones (box width 0). */
  static int[] candidates(Settings s, List<String> names, Box box) {
    List<Integer> chosen = new ArrayList<>();
    if (s.inputs().isEmpty()) {
      for (int i = 0; i < names.size(); i++) chosen.add(i);
    } else {
      for (String name : s.inputs()) {
        int i = names.indexOf(name);
        if (i < 0) {
          throw new OptionException(INPUTS.name(), "no input named '" + name + "'; the inputs are " + names + ".");
        }
        if (!chosen.contains(i)) chosen.add(i);
      }
      chosen.sort(Integer::compare);
    }
    chosen.removeIf(i -> !(box.width(i) > 0));
    if (chosen.isEmpty()) {
      throw new OptionException(INPUTS.name(), "no candidate input varies: every chosen input has a box of width 0.");
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The k candidates of largest activation difference (seed 000 eq. 2, one marginal draw per event:
   * feature i replaced by that of a random other event), over the fit events.
   */
  static int[] topByActivationDifference(ModelAccess model, Neuron neuron, FloatTensor inputs, int[] events, double[] z,
      double[] w, int[] candidates, int k, SplittableRandom random) {
    int f = inputs.eventSize();
    int m = events.length;
    float[] base = new float[m * f];
    for (int e = 0; e < m; e++) System.arraycopy(inputs.data(), events[e] * f, base, e * f, f);
    double sw = 0;
    double mean = 0;
    for (int e = 0; e < m; e++) {
      sw += w[e];
      mean += w[e] * z[e];
    }
    mean /= sw;
    double var = 0;
    for (int e = 0; e < m; e++) var += w[e] * (z[e] - mean) * (z[e] - mean);
    double sigma = Math.sqrt(var / sw);
    double[] ad = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      int i = candidates[c];
      float[] swapped = base.clone();
      for (int e = 0; e < m; e++) {
        int other = m > 1 ? random.nextInt(m - 1) : 0;
        if (other >= e && m > 1) other++;
        swapped[e * f + i] = base[other * f + i];
      }
      float[] v = model.value(neuron, FloatTensor.of(swapped, m, f)).data();
      double s = 0;
      for (int e = 0; e < m; e++) s += w[e] * Math.abs(z[e] - v[e]);
      ad[c] = sigma > 0 ? s / sw / sigma : 0;
    }
    Integer[] order = new Integer[candidates.length];
    for (int c = 0; c < order.length; c++) order[c] = c;
    Arrays.sort(order, Comparator.comparingDouble((Integer c) -> -ad[c]));
    int[] top = new int[k];
    for (int r = 0; r < k; r++) top[r] = candidates[order[r]];
    Arrays.sort(top);
    return top;
  }

  static int[] subsample(int n, int max, SplittableRandom random) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    if (n <= max) return all;
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] chosen = Arrays.copyOf(all, max);
    Arrays.sort(chosen);
    return chosen;
  }

  static long binomial(int n, int k) {
    if (k > n) return 0;
    long r = 1;
    for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
    return r;
  }

  /** All k-subsets of 0..n-1 in lexicographic order. */
  static List<int[]> combinations(int n, int k) {
    List<int[]> out = new ArrayList<>();
    int[] c = new int[k];
    for (int i = 0; i < k; i++) c[i] = i;
    if (k > n) return out;
    while (true) {
      out.add(c.clone());
      int i = k - 1;
      while (i >= 0 && c[i] == n - k + i) i--;
      if (i < 0) return out;
      c[i]++;
      for (int j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
    }
  }
}
