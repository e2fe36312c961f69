package org.glassbox.plugins.gradient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.WeightedStats;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;

/**
 * SmoothGrad (Smilkov et al. 2017): per event, the mean gradient over {@code samples} noisy copies
 * x + ε, ε_i ~ N(0, (noise · σ_i)²), with σ_i the weighted standard deviation of input i over the
 * data; optionally the mean of |gradient|. Seeded by the run's seed; all copies go to the model in
 * stacked batches.
 */
public final class SmoothGradMethod implements AttributionMethod {
  static final int MAX_SAMPLES = 10_000;
  static final OptionSpec SAMPLES = OptionSpec.integer("samples", 16,
      "noisy copies per event, 1 to " + MAX_SAMPLES);
  static final OptionSpec NOISE = OptionSpec.number("noise", 0.1,
      "standard deviation of the noise on each input, as a fraction of that input's weighted standard deviation"
          + " over the data (0: no noise, the plain gradient)");
  static final OptionSpec ABSOLUTE = OptionSpec.bool("absolute", false,
      "average |gradient| over the copies instead of the gradient (no cancellation between copies)");

  @Override
  public String id() {
    return "smoothgrad";
  }

  @Override
  public String description() {
    return "SmoothGrad: per-event gradient averaged over noisy copies of the event, ranked by mean |value|";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(SAMPLES, NOISE, ABSOLUTE, GradientAttributions.PER_EVENT);
  }

  @Override
  public String conventions() {
    return "value_i = (1/S) sum_s dz/dx_i(x + eps_s) (absolute: |dz/dx_i|), eps_s,i ~ N(0, (noise * sigma_i)^2)"
        + " independently, sigma_i = the weighted standard deviation of input i over the data set (inputs with"
        + " sigma_i = 0 get no noise), so the noise is relative to each input's own spread, not to the input range as"
        + " in the SmoothGrad paper. The noise is drawn from the run's seed, event by event in data order, so the"
        + " same seed and data give the same values however the work is batched. Score: weighted mean"
        + " |value_i|. Summary: Monte Carlo standard error (mean), the per-event standard error of value_i from"
        + " the spread over the copies, averaged over events and inputs (with samples > 1). Like the gradient,"
        + " values scale as 1/sigma of their input.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    Options options = ctx.options();
    int samples = GradientAttributions.integer(options, SAMPLES, 1, MAX_SAMPLES, "the number of noisy copies per event");
    double noise = options.number(NOISE.name());
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new OptionException(NOISE.name(), "noise is a non-negative fraction of each input's standard deviation"
          + " (e.g. 0.1), got " + noise);
    }
    boolean absolute = options.bool(ABSOLUTE.name());

    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    int f = x.eventSize();
    float[] xs = x.data();
    double[] w = ctx.data().weights();
    double[] scale = standardDeviations(x, w);
    for (int i = 0; i < f; i++) scale[i] *= noise;
    // Fed-as-is inputs (masks, indices) get no noise.
    java.util.BitSet fixed = ctx.data().fixed();
    for (int i = fixed.nextSetBit(0); i >= 0; i = fixed.nextSetBit(i + 1)) scale[i] = 0;

    SplittableRandom random = new SplittableRandom(ctx.seed());
    Progress progress = ctx.progress();
    float[] values = new float[n * f];
    float[] error = samples > 1 ? new float[n * f] : null;
    int chunk = GradientAttributions.eventsPerCall(n, samples, f);
    progress.start("smoothgrad: " + n + " events x " + samples + " samples", n);
    long[] shape = x.shape().clone();
    for (int from = 0; from < n; from += chunk) {
      progress.checkCancelled();
      int to = Math.min(n, from + chunk);
      int c = to - from;
      float[] noisy = new float[c * samples * f];
      for (int e = 0; e < c; e++) {
        int xe = (from + e) * f;
        for (int s = 0; s < samples; s++) {
          int row = (e * samples + s) * f;
          // One normal per input and copy, drawn even where the scale is 0, so the stream does not depend on it.
          for (int i = 0; i < f; i++) noisy[row + i] = (float) (xs[xe + i] + scale[i] * random.nextGaussian());
        }
      }
      shape[0] = (long) c * samples;
      float[] g = ctx.model().gradient(ctx.neuron(), new FloatTensor(noisy, shape.clone())).data();
      for (int e = 0; e < c; e++) {
        int xe = (from + e) * f;
        for (int i = 0; i < f; i++) {
          double sum = 0;
          double sumSquares = 0;
          for (int s = 0; s < samples; s++) {
            double v = g[(e * samples + s) * f + i];
            if (absolute) v = Math.abs(v);
            sum += v;
            sumSquares += v * v;
          }
          double mean = sum / samples;
          values[xe + i] = (float) mean;
          if (error != null) {
            double variance = Math.max(0, (sumSquares - samples * mean * mean) / (samples - 1));
            error[xe + i] = (float) Math.sqrt(variance / samples);
          }
        }
      }
      progress.step(to);
    }
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    if (error != null) {
      float[] perEvent = new float[n];
      for (int e = 0; e < n; e++) {
        double s = 0;
        for (int i = 0; i < f; i++) s += error[e * f + i];
        perEvent[e] = (float) (s / f);
      }
      summary.put("Monte Carlo standard error (mean)", WeightedStats.of(perEvent, 1, w));
    }
    return GradientAttributions.summarise(ctx, values, absolute ? "mean smoothgrad |dz/dx|" : "mean |smoothgrad|",
        summary);
  }

  /** The weighted standard deviation of every input over the events. */
  static double[] standardDeviations(FloatTensor x, double[] w) {
    int n = x.events();
    int f = x.eventSize();
    double total = 0;
    double[] mean = new double[f];
    for (int e = 0; e < n; e++) {
      total += w[e];
      for (int i = 0; i < f; i++) mean[i] += w[e] * x.data()[e * f + i];
    }
    if (!(total > 0)) {
      throw new GlassboxException("smoothgrad: the event weights sum to " + total + "; the inputs' standard deviations"
          + " need a positive total");
    }
    for (int i = 0; i < f; i++) mean[i] /= total;
    double[] sd = new double[f];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < f; i++) {
        double d = x.data()[e * f + i] - mean[i];
        sd[i] += w[e] * d * d;
      }
    }
    for (int i = 0; i < f; i++) sd[i] = Math.sqrt(Math.max(0, sd[i] / total));
    return sd;
  }
}
