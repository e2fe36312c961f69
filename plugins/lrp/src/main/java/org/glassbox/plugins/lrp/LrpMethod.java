package org.glassbox.plugins.lrp;

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
import org.glassbox.api.attribution.Relevance;

/**
 * Layer-wise relevance propagation (seed 004). Scores are seed 004's mean normalised relevance:
 * per event, every input's relevance is divided by the event's largest |relevance|; the score is
 * the weighted mean of its absolute value. The conservation gap Σ_i R_i − R_start is reported.
 */
public final class LrpMethod implements AttributionMethod {
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
        + " with sign(0) = +1. Gamma treats inputs as non-negative.";
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
      gap[e] = (float) (sum - r.start()[e]);
      relGap[e] = r.start()[e] == 0 ? 0 : (float) Math.abs((sum - r.start()[e]) / r.start()[e]);
    }
    double[] w = ctx.data().weights();
    Map<String, WeightedStats> summary = Map.of(
        "conservation gap (sum R - R_start)", WeightedStats.of(gap, 1, w),
        "relative conservation gap", WeightedStats.of(relGap, 1, w),
        "start relevance R_start", WeightedStats.of(r.start(), 1, w));
    return Attribution.ofInputs(ctx.data().featureNames(), WeightedStats.of(normalised, f, w),
        o.bool("per_event") ? Optional.of(r.inputs()) : Optional.empty(), summary, "mean |normalised relevance|");
  }
}
