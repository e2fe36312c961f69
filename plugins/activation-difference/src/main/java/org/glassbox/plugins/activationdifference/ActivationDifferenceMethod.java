package org.glassbox.plugins.activationdifference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
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
 * Activation difference (seed 000 §2.4, eq. 2; METHODS.md §1):
 *
 * <pre>AD_i(z) = 1/σ_z · E_{x∼D} E_{x'_i∼p(x_i)} |z(x) − z(x_{/i}, x'_i)|</pre>
 *
 * estimated by Monte Carlo: for every event and feature, S replacement values are taken from other
 * events (seeded), and the per-event mean of |Δz|/σ_z is averaged over events with the event
 * weights. The "inputs" are the model inputs, or the activations of a hidden layer with z evaluated
 * on the sub-network from that layer on.
 *
 * <p>All F·S modified copies of a block of events go to the model in one call, so the cost is one
 * batched forward pass of F·S·N rows.
 */
public final class ActivationDifferenceMethod implements AttributionMethod {
  static final OptionSpec SAMPLES = OptionSpec.integer("samples", 1,
      "replacement draws per event and feature (S); the cost is F*S forward passes per event");
  static final OptionSpec LAYER = OptionSpec.text("layer", "",
      "tensor of a hidden layer whose activations are the inputs (seed 000: 'taking x to be the neuron activations of"
          + " this layer'); z is then evaluated on the sub-network from that layer. 'glassbox inspect' lists each layer's"
          + " output tensor. Empty: the model inputs");
  static final OptionSpec LAYER_LABEL = OptionSpec.text("layer_label", "",
      "with 'layer': name the layer's neurons <label>N<j> (e.g. L2 gives L2N0, L2N1, ...); empty: <tensor>[j]");
  static final OptionSpec PER_EVENT = OptionSpec.bool("per_event", false,
      "keep the per-event values, events x features: the mean over the S draws of |dz| / sigma_z (their weighted mean"
          + " is the score)");
  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "ignore the event weights: every event counts once in the means, in sigma_z and in the replacement draws");

  /** Rows (modified events) per model call: large enough to keep ONNX Runtime busy, small enough for memory. */
  static final int MAX_ROWS = 1 << 18;
  /** Floats per model call (64 MiB), which caps the rows for wide inputs or hidden layers. */
  static final int MAX_FLOATS = 1 << 24;

  /** Rows per model call: {@link #MAX_ROWS}, smaller in tests that check the split does not change the result. */
  private final int maxRows;

  /** The method as the service loader creates it. */
  public ActivationDifferenceMethod() {
    this(MAX_ROWS);
  }

  /** With at most {@code maxRows} rows per model call (for tests). */
  ActivationDifferenceMethod(int maxRows) {
    if (maxRows < 1) throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
    this.maxRows = maxRows;
  }

  @Override
  public String id() {
    return "activation-difference";
  }

  @Override
  public String description() {
    return "activation difference (seed 000 eq. 2): mean |z(x) - z(x with x_i from another event)| / sigma_z";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(SAMPLES, LAYER, LAYER_LABEL, PER_EVENT, UNWEIGHTED);
  }

  @Override
  public String conventions() {
    return "x'_i is feature i of another event drawn from the weighted data set (probability proportional to |w|, signed"
        + " importance factor for negative weights; never the event itself), S draws per event and feature. sigma_z is"
        + " the weighted standard deviation of z over the same events (summary 'sigma_z'); a constant neuron"
        + " (sigma_z = 0) scores 0 for every feature. The standard error is that of the weighted mean over events; it"
        + " leaves out the uncertainty of sigma_z. With 'layer', the features are the layer's neurons, which involve no"
        + " single model input: their input lists are empty, so rank comparisons with input attributions do not apply.";
  }

  @Override
  public Attribution attribute(AttributionContext ctx) {
    Options o = ctx.options();
    long samplesOption = o.integer(SAMPLES.name());
    if (samplesOption < 1 || samplesOption > 10_000) {
      throw new OptionException(SAMPLES.name(), "samples is the number of replacement draws per event and feature: 1 to"
          + " 10000, got " + samplesOption + ".");
    }
    int samples = (int) samplesOption;
    String layer = o.string(LAYER.name()).strip();
    String label = o.string(LAYER_LABEL.name()).strip();
    if (layer.isEmpty() && !label.isEmpty()) {
      throw new OptionException(LAYER_LABEL.name(), "layer_label names the neurons of 'layer'; set 'layer' too, or remove"
          + " layer_label.");
    }
    FloatTensor x = ctx.data().inputs();
    int n = x.events();
    double[] weights = o.bool(UNWEIGHTED.name()) ? ones(n) : ctx.data().weights();
    // Built first: it checks the weights before any model work.
    DonorSampler donors = DonorSampler.of(weights);
    Neuron neuron = ctx.neuron();
    Progress progress = ctx.progress();

    // The "inputs" a and the function z of them: the model, or the sub-network from the layer on.
    ModelAccess model = ctx.model();
    FloatTensor a = x;
    List<String> names;
    List<int[]> inputsOf = new ArrayList<>();
    if (layer.isEmpty()) {
      names = ctx.data().featureNames();
      if (names.size() != x.eventSize()) names = indexed("x", x.eventSize());
      for (int i = 0; i < names.size(); i++) inputsOf.add(new int[] {i});
    } else {
      // The cut first: it names a tensor that does not exist, before any activations are computed.
      try {
        model = model.cutAt(layer);
      } catch (GlassboxException e) {
        throw new OptionException(LAYER.name(), e.getMessage());
      }
      a = ctx.model().activations(layer, x);
      names = label.isEmpty() ? indexed(layer, a.eventSize()) : layerNeurons(label, a.eventSize());
      for (int i = 0; i < names.size(); i++) inputsOf.add(new int[0]);
    }
    int f = a.eventSize();
    float[] z0 = layer.isEmpty() ? model.value(neuron, x).data() : valueOnCut(ctx, model, a, layer);
    double sigma = weightedSigma(z0, weights);
    float[] perEvent = new float[n * f];
    if (sigma > 0) {
      fill(model, neuron, a, z0, sigma, samples, donors, new SplittableRandom(ctx.seed()), perEvent, progress, maxRows);
    }
    if (layer.isEmpty()) {
      // Fed-as-is inputs (masks, indices) are not attributed: a mask taken from another event says nothing about the
      // neuron. They were replaced like the others (so the random stream does not depend on them); their values go.
      java.util.BitSet fixed = ctx.data().fixed();
      for (int i = fixed.nextSetBit(0); i >= 0 && i < f; i = fixed.nextSetBit(i + 1)) {
        for (int e = 0; e < n; e++) perEvent[e * f + i] = 0f;
      }
    }
    Optional<FloatTensor> events = o.bool(PER_EVENT.name()) ? Optional.of(FloatTensor.of(perEvent, n, f)) : Optional.empty();
    Map<String, WeightedStats> summary = new LinkedHashMap<>();
    summary.put("sigma_z", WeightedStats.constant(sigma, weights));
    summary.put("mean z", WeightedStats.of(z0, 1, weights));
    summary.put("samples", WeightedStats.constant(samples, weights));
    return new Attribution(names, inputsOf, WeightedStats.of(perEvent, f, weights), events, summary, "mean |dz| / sigma_z");
  }

  /**
   * z of every event from the layer's activations, checked on a few events against the full model:
   * a neuron before the layer, or one that the layer does not determine (a skip connection), would
   * otherwise give a silent wrong answer.
   */
  private static float[] valueOnCut(AttributionContext ctx, ModelAccess cut, FloatTensor a, String layer) {
    Neuron neuron = ctx.neuron();
    float[] z;
    try {
      z = cut.value(neuron, a).data();
    } catch (GlassboxException | IllegalStateException | IllegalArgumentException e) {
      // A neuron before the layer is not in the sub-network: the engine may say so with an
      // IllegalStateException ("no shape known for tensor ..."), which must not reach the user bare.
      throw new GlassboxException("Cannot evaluate neuron " + neuron.label() + " on the sub-network from layer '" + layer
          + "': " + e.getMessage() + " The neuron must come after the layer.", e);
    }
    int check = Math.min(a.events(), 64);
    float[] full = ctx.model().value(neuron, ctx.data().inputs().slice(0, check)).data();
    for (int e = 0; e < check; e++) {
      if (!(Math.abs(full[e] - z[e]) <= 1e-4 * Math.max(1, Math.abs(full[e])))) {
        throw new GlassboxException("Neuron " + neuron.label() + " is not a function of layer '" + layer + "' alone: for"
            + " event " + e + " the model gives " + full[e] + " but the sub-network from the layer gives " + z[e] + ". Pick a"
            + " layer between the model input and the neuron.");
      }
    }
    return z;
  }

  /**
   * The per-event values: for event n and feature i, Σ_s factor·|z(row) − z(x_n)| / (S·σ_z), rows in
   * the order (n, s, i) so that the random draws do not depend on how the work is split.
   */
  private static void fill(ModelAccess model, Neuron neuron, FloatTensor a, float[] z0, double sigma, int samples,
      DonorSampler donors, SplittableRandom random, float[] perEvent, Progress progress, int maxRows) {
    int n = a.events();
    int f = a.eventSize();
    float[] data = a.data();
    long perEventRows = (long) samples * f;
    int rowsPerCall = (int) Math.max(1, Math.min(maxRows, MAX_FLOATS / f));
    // A block of whole events, unless one event alone needs more than one call.
    int block = (int) Math.max(1, Math.min(n, rowsPerCall / perEventRows));
    long[] shape = a.shape().clone();
    progress.start("activation difference: " + f + " features x " + samples + " draws", n);
    for (int from = 0; from < n; from += block) {
      progress.checkCancelled();
      int to = Math.min(n, from + block);
      long rows = (to - from) * perEventRows;
      double[] sums = new double[(to - from) * f];
      for (long r0 = 0; r0 < rows; r0 += rowsPerCall) {
        int count = (int) Math.min(rowsPerCall, rows - r0);
        // Donors are drawn call by call, in row order: the same sequence however the rows are split.
        int[] donor = new int[count];
        float[] batch = new float[count * f];
        for (int q = 0; q < count; q++) {
          long r = r0 + q;
          int event = from + (int) (r / perEventRows);
          int i = (int) (r % perEventRows % f);
          donor[q] = donors.draw(event, random);
          System.arraycopy(data, event * f, batch, q * f, f);
          batch[q * f + i] = data[donor[q] * f + i];
        }
        shape[0] = count;
        float[] z = model.value(neuron, new FloatTensor(batch, shape.clone())).data();
        for (int q = 0; q < count; q++) {
          long r = r0 + q;
          int e = (int) (r / perEventRows);
          int i = (int) (r % perEventRows % f);
          int event = from + e;
          sums[e * f + i] += donors.factor(donor[q], event) * Math.abs((double) z[q] - z0[event]);
        }
      }
      double scale = 1.0 / (samples * sigma);
      for (int k = 0; k < sums.length; k++) perEvent[from * f + k] = (float) (sums[k] * scale);
      progress.step(to);
    }
  }

  /** The weighted standard deviation (Σw(z − z̄)² / Σw)^½; 0 when negative weights make the variance negative. */
  static double weightedSigma(float[] z, double[] w) {
    double sw = 0;
    double swz = 0;
    for (int e = 0; e < z.length; e++) {
      sw += w[e];
      swz += w[e] * z[e];
    }
    double mean = swz / sw;
    double var = 0;
    for (int e = 0; e < z.length; e++) var += w[e] * (z[e] - mean) * (z[e] - mean);
    var /= sw;
    return var > 0 && Double.isFinite(var) ? Math.sqrt(var) : 0;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }

  private static List<String> indexed(String tensor, int size) {
    List<String> names = new ArrayList<>(size);
    for (int i = 0; i < size; i++) names.add(tensor + "[" + i + "]");
    return names;
  }

  private static List<String> layerNeurons(String label, int size) {
    List<String> names = new ArrayList<>(size);
    for (int i = 0; i < size; i++) names.add(label + "N" + i);
    return names;
  }
}
