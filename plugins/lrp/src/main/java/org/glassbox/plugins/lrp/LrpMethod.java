package org.glassbox.plugins.lrp;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.OptionType;
import org.glassbox.api.Options;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.api.attribution.Relevance;

/**
 * Layer-wise relevance propagation (seed 004). Scores are seed 004's mean normalised relevance:
 * per event, every input's relevance is divided by the event's largest |relevance|; the score is
 * the weighted mean of its absolute value. The conservation gap Σ_i R_i − R_start is reported.
 *
 * <p>The summary lists, in this order (the same in every run): the start relevance, the input
 * relevance Σ_i R_i, the gap and the relative gap |gap / R_start|; and, only where the first layer
 * gets the flat rule, {@link #FLAT_FIRST_DENSE}, a note for the reader (its mean is the fraction
 * of events it applies to; the report writes entries named {@code note: ...} as notes, not numbers).
 */
public final class LrpMethod implements AttributionMethod {
  /**
   * The note, as a summary entry, when the flat rule on the first layer gave every attributed input
   * the same relevance: the first linear layer is then dense (Gemm/MatMul), and R_i = Σ_j R_j / n for
   * every input i, whatever the event. (w² is not degenerate: R_i = Σ_j w_ij² R_j / Σ_i' w_i'j².)
   */
  public static final String FLAT_FIRST_DENSE = "note: flat rule on the first (dense) layer: every input gets the same"
      + " relevance, so this ranking carries no information; use composite: epsilon or epsilon-gamma-box (or layer_rules:"
      + " ['L1: epsilon']) for a ranking over inputs";

  @Override
  public String id() {
    return "lrp";
  }

  @Override
  public String description() {
    return "layer-wise relevance propagation, ranked by mean |normalised relevance| (seed 004)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.choice("composite", "epsilon-plus-flat", "rules by layer type (Zennit's names)",
            Composites.NAMES.toArray(String[]::new)),
        OptionSpec.number("epsilon", 1e-6, "epsilon of the epsilon rule (Zennit's default)"),
        OptionSpec.number("gamma", 0.25, "gamma of the gamma rule (Zennit's and Captum's default)"),
        OptionSpec.number("low", 0.0, "lower input bound of the z^B (box) rule"),
        OptionSpec.number("high", 1.0, "upper input bound of the z^B (box) rule"),
        OptionSpec.choice("start", "pre-activation", "start from the neuron's value, or from the input of a final"
            + " sigmoid/tanh/softmax (its logit)", "pre-activation", "value"),
        new OptionSpec("layer_rules", OptionType.STRING_LIST, List.of(), "per-layer overrides, e.g. ['L1: flat']", List.of()),
        OptionSpec.bool("per_event", true, "keep the per-event relevance (written as an .npy array)"));
  }

  @Override
  public String conventions() {
    return "epsilon-gamma-box gives z^B to the first linear layer whether dense or convolutional (Zennit only to a first"
        + " convolution). Batch norms after a Gemm or Conv are folded into it first. The stabiliser follows the sign of z"
        + " with sign(0) = +1. Gamma treats inputs as non-negative. The flat rule on a dense first layer (the default"
        + " epsilon-plus-flat on an MLP) gives every input the same relevance: results.json then carries a note.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    Options o = ctx.options();
    LrpComposite composite = Composites.named(o.string("composite"), o.number("epsilon"), o.number("gamma"), o.number("low"),
        o.number("high"), o.strings("layer_rules"));
    FloatTensor x = ctx.data().inputs();
    Relevance r = ctx.model().relevance(ctx.neuron(), x, composite, o.string("start").equals("pre-activation"));
    int n = x.events();
    int f = x.eventSize();
    float[] rel = r.inputs().data();
    float[] normalised = new float[rel.length];
    float[] sums = new float[n];
    float[] gap = new float[n];
    float[] relGap = new float[n];
    for (int e = 0; e < n; e++) {
      double max = 0;
      double sum = 0;
      for (int i = 0; i < f; i++) {
        max = Math.max(max, Math.abs(rel[e * f + i]));
        sum += rel[e * f + i];
      }
      for (int i = 0; i < f; i++) normalised[e * f + i] = max == 0 ? 0 : (float) (Math.abs(rel[e * f + i]) / max);
      sums[e] = (float) sum;
      gap[e] = (float) (sum - r.start()[e]);
      relGap[e] = r.start()[e] == 0 ? 0 : (float) Math.abs((sum - r.start()[e]) / r.start()[e]);
    }
    double[] w = ctx.data().weights();
    // A LinkedHashMap in a fixed order: results.json lists the summary as written here (Map.of's order
    // changes from one JVM to the next).
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    summary.put("start relevance R_start", WeightedStats.of(r.start(), 1, w));
    summary.put("input relevance (sum R)", WeightedStats.of(sums, 1, w));
    summary.put("conservation gap (sum R - R_start)", WeightedStats.of(gap, 1, w));
    summary.put("relative conservation gap", WeightedStats.of(relGap, 1, w));
    if (firstRule(composite) instanceof LrpRule.Flat) {
      boolean tied = everyInputTied(rel, n, f, ctx.data().fixed());
      summary.put(FLAT_FIRST_DENSE, WeightedStats.constant(tied ? 1 : 0, w));
    }
    return Attribution.ofInputs(ctx.data().featureNames(), WeightedStats.of(normalised, f, w),
        o.bool("per_event") ? Optional.of(r.inputs()) : Optional.empty(), summary, "mean |normalised relevance|");
  }

  /**
   * The rule the first linear layer gets when it is dense: a per-layer override of L1, else the
   * composite's first-layer rule, else its dense rule.
   */
  static LrpRule firstRule(LrpComposite c) {
    if (c.layers().containsKey(1)) return c.layers().get(1);
    return c.first().orElse(c.dense());
  }

  /**
   * Whether, on every event with any relevance, every attributed input got the same relevance (what
   * the flat rule does on a dense first layer; on a convolution it spreads relevance over receptive
   * fields, which differ). Events without relevance say nothing; with none at all, false.
   */
  static boolean everyInputTied(float[] rel, int n, int f, BitSet fixed) {
    int[] attributed = java.util.stream.IntStream.range(0, f).filter(i -> !fixed.get(i)).toArray();
    if (attributed.length < 2) return false;
    boolean any = false;
    for (int e = 0; e < n; e++) {
      double max = 0;
      for (int i : attributed) max = Math.max(max, Math.abs(rel[e * f + i]));
      if (max == 0) continue;
      any = true;
      float first = rel[e * f + attributed[0]];
      for (int i : attributed) if (Math.abs(rel[e * f + i] - first) > 1e-5 * max) return false;
    }
    return any;
  }
}
