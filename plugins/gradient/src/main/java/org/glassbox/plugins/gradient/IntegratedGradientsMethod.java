package org.glassbox.plugins.gradient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/**
 * Integrated gradients (Sundararajan, Taly and Yan 2017): per event and input,
 *
 * <pre>
 *   a_i(x) = (x_i − x'_i) · ∫_0^1 ∂z/∂x_i (x' + α (x − x')) dα
 * </pre>
 *
 * <p>along the straight line from a baseline x' to the event, the integral by a quadrature rule of
 * {@code steps} nodes. Completeness, Σ_i a_i = z(x) − z(x'), holds for the exact integral; the gap
 * of the quadrature is reported. All events' path points go to the model in stacked batches
 * (chunks of events × all steps), one gradient call per chunk.
 */
public final class IntegratedGradientsMethod implements AttributionMethod {
  static final int MAX_STEPS = 10_000;
  static final OptionSpec BASELINE = OptionSpec.choice("baseline", "zeros",
      "the path's starting point x': zeros (the origin, as Captum), mean (the weighted mean event),"
          + " background-mean (the weighted mean of the label-0 events; needs labels) or reference (each event's own"
          + " reference event: the data's reference: array)",
      "zeros", "mean", "background-mean", "reference");
  static final OptionSpec STEPS = OptionSpec.integer("steps", 32,
      "quadrature nodes along the path, 1 to " + MAX_STEPS + " (the model's gradient is"
          + " evaluated steps times per event)");
  static final OptionSpec RULE = OptionSpec.choice("rule", "gauss-legendre",
      "quadrature rule: gauss-legendre (as Captum; exact for polynomial models of degree up to 2*steps) or"
          + " riemann-midpoint (nodes (k + 1/2) / steps, error falling as 1/steps^2 for smooth models)",
      "gauss-legendre", "riemann-midpoint");
  @Override
  public String id() {
    return "integrated-gradients";
  }

  @Override
  public String description() {
    return "integrated gradients: (x_i - x'_i) times dz/dx_i averaged along the line from a baseline x', ranked by"
        + " mean |attribution|, with the completeness gap";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(BASELINE, STEPS, RULE, GradientAttributions.PER_EVENT);
  }

  @Override
  public String conventions() {
    return "a_i = (x_i - x'_i) * sum_k w_k dz/dx_i(x' + alpha_k (x - x')), the integral over alpha in [0, 1] by the"
        + " rule's nodes alpha_k and weights w_k (gauss-legendre: nodes and weights computed for any number of"
        + " steps; riemann-midpoint: alpha_k = (k + 1/2) / steps, w_k = 1 / steps). z is the neuron as named (for a"
        + " sigmoid output, name its logit to avoid saturation). Baselines: zeros = the origin in the model's input"
        + " units (meaningful only when 0 is a neutral input, e.g. standardised features); mean and background-mean"
        + " use event weights; reference takes each event's reference event from the data (data.reference). Inputs fed"
        + " as they are (masks, indices) keep the event's own values along the path. Score: weighted mean |a_i|. Summary: completeness gap (mean) and (max) of"
        + " |sum_i a_i - (z(x) - z(x'))| per event, the quadrature error (0 for the exact integral; the max"
        + " is the largest over these events and does not merge across partitions as a maximum), next to"
        + " |z(x) - z(x')| (mean) for scale. Cost: steps gradient evaluations per event, in stacked batches"
        + " of up to 2^23 input values per call.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    Options options = ctx.options();
    String baselineKind = GradientAttributions.choice(options, BASELINE);
    int steps = GradientAttributions.integer(options, STEPS, 1, MAX_STEPS, "the number of quadrature nodes");
    String ruleName = GradientAttributions.choice(options, RULE);
    GaussLegendre.Rule rule = ruleName.equals("gauss-legendre") ? GaussLegendre.onUnitInterval(steps)
        : GaussLegendre.midpoint(steps);

    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    int f = x.eventSize();
    double[] w = ctx.data().weights();
    java.util.BitSet fixed = ctx.data().fixed();
    float[] perEvent = baselineKind.equals("reference") ? reference(ctx) : null;
    float[] baseline = perEvent == null ? baseline(baselineKind, ctx) : null;
    float[] xs = x.data();
    ModelAccess model = ctx.model();
    Progress progress = ctx.progress();

    float[] attributions = new float[n * f];
    int chunk = GradientAttributions.eventsPerCall(n, steps, f);
    progress.start("integrated gradients: " + n + " events x " + steps + " steps", n);
    long[] shape = x.shape().clone();
    for (int from = 0; from < n; from += chunk) {
      progress.checkCancelled();
      int to = Math.min(n, from + chunk);
      int c = to - from;
      float[] path = new float[c * steps * f];
      for (int e = 0; e < c; e++) {
        int xe = (from + e) * f;
        for (int k = 0; k < steps; k++) {
          double alpha = rule.nodes()[k];
          int row = (e * steps + k) * f;
          for (int i = 0; i < f; i++) {
            double b = perEvent == null ? baseline[i] : perEvent[xe + i];
            path[row + i] = (float) (b + alpha * ((double) xs[xe + i] - b));
          }
          // Fed-as-is inputs (masks, indices) stay at the event's own values along the whole path.
          for (int i = fixed.nextSetBit(0); i >= 0; i = fixed.nextSetBit(i + 1)) path[row + i] = xs[xe + i];
        }
      }
      shape[0] = (long) c * steps;
      float[] g = model.gradient(ctx.neuron(), new FloatTensor(path, shape.clone())).data();
      for (int e = 0; e < c; e++) {
        int xe = (from + e) * f;
        for (int i = 0; i < f; i++) {
          double integral = 0;
          for (int k = 0; k < steps; k++) integral += rule.weights()[k] * g[(e * steps + k) * f + i];
          double b = perEvent == null ? baseline[i] : perEvent[xe + i];
          attributions[xe + i] = fixed.get(i) ? 0f : (float) (((double) xs[xe + i] - b) * integral);
        }
      }
      progress.step(to);
    }

    // Completeness: sum_i a_i against z(x) - z(x').
    float[] zx = model.value(ctx.neuron(), x).data();
    float[] zb = perEvent != null ? baselineRows(ctx, perEvent, fixed) : baselineValues(ctx, baseline, fixed);
    float[] gap = new float[n];
    float[] delta = new float[n];
    double max = 0;
    for (int e = 0; e < n; e++) {
      double sum = 0;
      for (int i = 0; i < f; i++) sum += attributions[e * f + i];
      double d = zx[e] - zb[zb.length == 1 ? 0 : e];
      gap[e] = (float) Math.abs(sum - d);
      delta[e] = (float) Math.abs(d);
      if (w[e] != 0) max = Math.max(max, gap[e]);
    }
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    summary.put("completeness gap (mean)", WeightedStats.of(gap, 1, w));
    summary.put("completeness gap (max)", GradientAttributions.single(max));
    summary.put("|z(x) - z(baseline)| (mean)", WeightedStats.of(delta, 1, w));
    return GradientAttributions.summarise(ctx, attributions, "mean |integrated gradient|", summary);
  }

  /**
   * z(x') per event: one value when every input follows the path, else one per event, whose baseline
   * keeps its fed-as-is inputs.
   */
  /** z at each event's reference, its fed-as-is inputs kept at the event's values. */
  private static float[] baselineRows(AttributionContext ctx, float[] reference, java.util.BitSet fixed) {
    FloatTensor x = ctx.data().inputs();
    int f = x.eventSize();
    float[] rows = reference.clone();
    for (int e = 0; e < x.events(); e++) {
      for (int i = fixed.nextSetBit(0); i >= 0; i = fixed.nextSetBit(i + 1)) rows[e * f + i] = x.data()[e * f + i];
    }
    return ctx.model().value(ctx.neuron(), new FloatTensor(rows, x.shape().clone())).data();
  }

  /** The data's per-event reference events, checked against the inputs. */
  private static float[] reference(AttributionContext ctx) {
    FloatTensor x = ctx.data().inputs();
    FloatTensor r = ctx.data().reference().orElseThrow(() -> new OptionException(BASELINE.name(), "baseline: reference"
        + " takes each event's reference from the data; name the array with data.reference (an NPZ key or HDF5 dataset of"
        + " the shape of the inputs), or use baseline: zeros, mean or background-mean"));
    if (r.data().length != x.data().length) {
      throw new GlassboxException("integrated-gradients: the reference events have shape " + java.util.Arrays.toString(r.shape())
          + " but the inputs " + java.util.Arrays.toString(x.shape()) + "; data.reference must match the model inputs.");
    }
    return r.data();
  }

  private static float[] baselineValues(AttributionContext ctx, float[] baseline, java.util.BitSet fixed) {
    FloatTensor x = ctx.data().inputs();
    if (fixed.isEmpty()) {
      long[] one = x.shape().clone();
      one[0] = 1;
      return ctx.model().value(ctx.neuron(), new FloatTensor(baseline.clone(), one)).data();
    }
    int n = x.events();
    int f = x.eventSize();
    float[] rows = new float[n * f];
    for (int e = 0; e < n; e++) {
      System.arraycopy(baseline, 0, rows, e * f, f);
      for (int i = fixed.nextSetBit(0); i >= 0; i = fixed.nextSetBit(i + 1)) rows[e * f + i] = x.data()[e * f + i];
    }
    return ctx.model().value(ctx.neuron(), new FloatTensor(rows, x.shape().clone())).data();
  }

  /** The baseline event x', flattened. */
  static float[] baseline(String kind, AttributionContext ctx) {
    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    int f = x.eventSize();
    if (kind.equals("zeros")) return new float[f];
    boolean background = kind.equals("background-mean");
    int[] labels = null;
    if (background) {
      labels = ctx.data().labels().orElseThrow(() -> new OptionException(BASELINE.name(), "baseline: background-mean is"
          + " the mean of the label-0 (background) events, and this data set has no labels; give it a label column,"
          + " or use baseline: mean or baseline: zeros"));
    }
    double[] w = ctx.data().weights();
    double[] sum = new double[f];
    double total = 0;
    for (int e = 0; e < n; e++) {
      if (background && labels[e] != 0) continue;
      total += w[e];
      for (int i = 0; i < f; i++) sum[i] += w[e] * x.data()[e * f + i];
    }
    if (!(total > 0)) {
      if (background) {
        throw new OptionException(BASELINE.name(), "baseline: background-mean needs label-0 (background) events with a"
            + " positive total weight; this data set has none: use baseline: mean or baseline: zeros");
      }
      throw new GlassboxException("integrated-gradients: the event weights sum to " + total + "; the mean baseline"
          + " needs a positive total");
    }
    float[] mean = new float[f];
    for (int i = 0; i < f; i++) mean[i] = (float) (sum[i] / total);
    return mean;
  }
}
