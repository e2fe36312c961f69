package org.glassbox.plugins.taylor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/**
 * Taylor coefficients (seed 003; METHODS.md §5). Around each event the neuron is expanded,
 *
 * <pre>z(x+Δ) ≈ z(x) + Σ_i t_i Δ_i + ½ Σ_ij t_ij Δ_i Δ_j,   t = exact derivatives,</pre>
 *
 * and each monomial of the expansion is a feature with coefficient c = t / Π_k m_k! (c_i = t_i,
 * c_ij = t_ij for i &lt; j, c_ii = ½ t_ii). Features are ranked by the weighted mean of |c| over
 * the events (seed 003's ⟨|t|⟩). The derivatives come from the engine's derived graphs, never from
 * finite differences.
 */
public final class TaylorMethod implements AttributionMethod {
  static final OptionSpec ORDER = OptionSpec.integer("order", 2,
      "highest order of the expansion: 1 (the F gradient terms) or 2 (also the F(F+1)/2 pairs, from per-event Hessians)");
  static final OptionSpec PER_EVENT = OptionSpec.bool("per_event", false,
      "keep the signed per-event coefficients, events x features in feature order: the gradient (N x F), then the upper"
          + " triangle of the Hessian row by row with 1/2 on the diagonal (N x F(F+1)/2)");
  static final OptionSpec SELECT_PERCENT = OptionSpec.number("select_percent", 5,
      "select the variables that appear in the top ceil(X % x number of features) features (seed 003: 5 %, e.g. 25 of"
          + " 495); reported in the summary as 'selected <variable>' = 1 or 0");
  static final OptionSpec SCALE = OptionSpec.choice("scale", "raw",
      "raw: coefficients in the data's units; standardised: multiplied by the weighted standard deviation of each"
          + " variable in the monomial (the expansion in standardised variables), so that variables of different units"
          + " and the two orders compare", "raw", "standardised");
  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "ignore the event weights in the means (and in the standard deviations of scale: standardised)");

  /** Hessian floats per engine call (32 MiB): bounds memory, keeps each call large. */
  static final int HESSIAN_FLOATS = 1 << 23;
  /** Gradient floats per call at order 1. */
  static final int GRADIENT_FLOATS = 1 << 22;
  /** Second order beyond this many variables means millions of features per event: ask for order 1. */
  static final int MAX_SECOND_ORDER_VARIABLES = 2048;

  @Override
  public String id() {
    return "taylor";
  }

  @Override
  public String description() {
    return "Taylor coefficients (seed 003): monomials x_i, x_i*x_j, x_i^2 of the local expansion, ranked by mean |coefficient|";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(ORDER, PER_EVENT, SELECT_PERCENT, SCALE, UNWEIGHTED);
  }

  @Override
  public String conventions() {
    return "Coefficient c = t / prod(m_k!) with t the exact partial derivative: c_i = t_i, c_ij = t_ij (i < j, the two"
        + " symmetric terms combined), c_ii = t_ii / 2; score = weighted mean |c| (seed 003's <|t|>). The neuron is"
        + " expanded as named: for 'output' of a model ending in a sigmoid or tanh that is the value after it; name the"
        + " pre-activation tensor element as the neuron to expand before it. With (leaky-)ReLU hidden layers all second"
        + " derivatives vanish below the output activation: second-order coefficients of a pre-activation are 0, and"
        + " those of the output come from the final activation alone. A coefficient of order k scales as 1/sigma^k of"
        + " its variables, so with scale: raw the ranking across variables and across orders depends on the inputs'"
        + " units. Selection: the summary holds 'selected <variable>' (1 = appears in the top features), 'selected"
        + " variables' and 'top features' (their counts); merged partial results average these flags, recompute the"
        + " selection from merged scores. Learning progress: with a model's 'checkpoints' (or one trained in the run)"
        + " the run computes these scores at every checkpoint and plots them against the training step (seed 003's"
        + " figure). Not provided: order 3.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    Options o = ctx.options();
    long orderOption = o.integer(ORDER.name());
    if (orderOption != 1 && orderOption != 2) {
      throw new OptionException(ORDER.name(), "order is 1 or 2, got " + orderOption + (orderOption == 3
          ? ": third order needs third derivatives, which the engine does not provide yet." : "."));
    }
    int order = (int) orderOption;
    double percent = o.number(SELECT_PERCENT.name());
    if (!(percent > 0 && percent <= 100)) {
      throw new OptionException(SELECT_PERCENT.name(), "select_percent is a percentage of the features, above 0 and at"
          + " most 100, got " + percent + ".");
    }
    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    int f = x.eventSize();
    if (order == 2 && x.shape().length != 2) {
      throw new OptionException(ORDER.name(), "order 2 needs per-event Hessians, which exist for a vector input (events x"
          + " features); this model's input has shape " + Arrays.toString(x.eventShape()) + " per event. Use order: 1.");
    }
    if (order == 2 && f > MAX_SECOND_ORDER_VARIABLES) {
      throw new OptionException(ORDER.name(), f + " inputs give " + Monomials.count(f, 2) + " second-order features; order"
          + " 2 takes at most " + MAX_SECOND_ORDER_VARIABLES + " inputs. Use order: 1, or select fewer features.");
    }
    double[] weights = o.bool(UNWEIGHTED.name()) ? ones(n) : ctx.data().weights();
    boolean standardised = o.string(SCALE.name()).equals("standardised");
    double[] scale = standardised ? weightedSigmas(x, weights) : ones(f);

    List<String> variables = ctx.data().featureNames();
    if (variables.size() != f) {
      variables = new ArrayList<>();
      for (int i = 0; i < f; i++) variables.add("x" + i);
    }
    Monomials monomials = Monomials.of(f, order);
    int k = monomials.size();
    boolean keep = o.bool(PER_EVENT.name());
    float[] perEvent = keep ? new float[n * k] : null;
    WeightedStats scores = coefficients(ctx.model(), ctx.neuron(), x, weights, monomials, scale, perEvent, ctx.progress());

    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    boolean[] selected = select(scores.mean(), monomials, percent);
    int top = topCount(percent, k);
    int chosen = 0;
    for (int i = 0; i < f; i++) {
      summary.put("selected " + variables.get(i), WeightedStats.constant(selected[i] ? 1 : 0, weights));
      if (selected[i]) chosen++;
    }
    summary.put("selected variables", WeightedStats.constant(chosen, weights));
    summary.put("top features", WeightedStats.constant(top, weights));
    if (standardised) {
      for (int i = 0; i < f; i++) summary.put("scale " + variables.get(i), WeightedStats.constant(scale[i], weights));
    }
    Optional<FloatTensor> events = keep ? Optional.of(FloatTensor.of(perEvent, n, k)) : Optional.empty();
    return new Attribution(monomials.names(variables), monomials.variablesOf(), scores, events, summary,
        standardised ? "mean |Taylor coefficient| (standardised inputs)" : "mean |Taylor coefficient|");
  }

  /**
   * Weighted statistics of |c| per monomial, block by block of events (the engine batches within a
   * block; blocks bound the memory of N×F×F Hessians); fills {@code perEvent} with the signed c.
   */
  private static WeightedStats coefficients(ModelAccess model, Neuron neuron, FloatTensor x, double[] weights,
      Monomials monomials, double[] scale, float[] perEvent, Progress progress) {
    int n = x.events();
    int f = x.eventSize();
    int k = monomials.size();
    int order = monomials.order();
    int block = order == 2 ? Math.max(1, HESSIAN_FLOATS / (f * f)) : Math.max(1, GRADIENT_FLOATS / f);
    block = Math.min(block, Math.max(1, n));
    WeightedStats stats = WeightedStats.empty(k);
    progress.start("Taylor coefficients to order " + order, n);
    for (int from = 0; from < n; from += block) {
      progress.checkCancelled();
      int to = Math.min(n, from + block);
      FloatTensor part = x.slice(from, to);
      float[] g = model.gradient(neuron, part).data();
      float[] h = order == 2 ? model.hessian(neuron, part).data() : null;
      int events = to - from;
      float[] c = new float[events * k];
      for (int e = 0; e < events; e++) {
        int at = e * k;
        for (int i = 0; i < f; i++) c[at + i] = (float) (g[e * f + i] * scale[i]);
        if (h != null) {
          int q = at + f;
          int base = e * f * f;
          for (int i = 0; i < f; i++) {
            // c_ii = t_ii / 2!; c_ij = (t_ij + t_ji) / 2 = t_ij, the mean taken so float asymmetry of the Hessian cancels.
            c[q++] = (float) (0.5 * h[base + i * f + i] * scale[i] * scale[i]);
            for (int j = i + 1; j < f; j++) {
              c[q++] = (float) (0.5 * ((double) h[base + i * f + j] + h[base + j * f + i]) * scale[i] * scale[j]);
            }
          }
        }
      }
      if (perEvent != null) System.arraycopy(c, 0, perEvent, from * k, c.length);
      for (int i = 0; i < c.length; i++) c[i] = Math.abs(c[i]);
      stats = stats.merge(WeightedStats.of(c, k, Arrays.copyOfRange(weights, from, to)));
      progress.step(to);
    }
    return stats;
  }

  /** ceil(X % of the features), at least 1; the small tolerance keeps 5 % of 100 at 5 despite rounding. */
  static int topCount(double percent, int features) {
    double exact = percent * features / 100.0;
    int top = (int) Math.ceil(exact - 1e-9 * Math.max(1, exact));
    return Math.max(1, Math.min(features, top));
  }

  /** The variables that appear in the top features by score (ties broken by feature order). */
  static boolean[] select(double[] scores, Monomials monomials, double percent) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    // NaN scores (no events) sort last.
    Arrays.sort(order, (p, q) -> Double.compare(rank(scores[q]), rank(scores[p])));
    boolean[] selected = new boolean[monomials.variables()];
    int top = topCount(percent, scores.length);
    List<int[]> vars = monomials.variablesOf();
    for (int r = 0; r < top; r++) for (int v : vars.get(order[r])) selected[v] = true;
    return selected;
  }

  private static double rank(double s) {
    return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
  }

  /** Weighted standard deviation of each input; 0 for a constant input (its coefficients become 0). */
  static double[] weightedSigmas(FloatTensor x, double[] w) {
    int n = x.events();
    int f = x.eventSize();
    float[] d = x.data();
    double[] mean = new double[f];
    double sw = 0;
    for (int e = 0; e < n; e++) {
      sw += w[e];
      for (int i = 0; i < f; i++) mean[i] += w[e] * d[e * f + i];
    }
    for (int i = 0; i < f; i++) mean[i] /= sw;
    double[] var = new double[f];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < f; i++) {
        double v = d[e * f + i] - mean[i];
        var[i] += w[e] * v * v;
      }
    }
    double[] s = new double[f];
    for (int i = 0; i < f; i++) {
      double v = var[i] / sw;
      s[i] = v > 0 && Double.isFinite(v) ? Math.sqrt(v) : 0;
    }
    return s;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }
}
