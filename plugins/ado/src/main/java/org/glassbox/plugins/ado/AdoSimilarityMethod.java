package org.glassbox.plugins.ado;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.api.similarity.SimilarityMethod;

/**
 * The {@code ado} similarity method (METHODS.md §7 and §9): the average decision ordering between
 * every two of the given decision functions, exact over all signal × background pairs (or, on
 * request, estimated from seeded random pairs), with each function's own AUC and best-cut AMS.
 */
public final class AdoSimilarityMethod implements SimilarityMethod {
  /** The measure name in the returned {@link Similarity}. */
  public static final String MEASURE = "ado";

  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "treat every event weight as 1 (seed 000 Fig. 20 mixes signal and background unweighted);"
          + " applies to ADO, AUC and AMS");
  static final OptionSpec SAMPLED_PAIRS = OptionSpec.integer("sampled_pairs", 0,
      "0: exact ADO and AUC over all signal x background pairs (O(N log N)); a positive number:"
          + " estimate them from that many seeded random pairs instead, as seed 002's authors do"
          + " (a cross-check; the run's seed draws the pairs)");

  @Override
  public String id() {
    return "ado";
  }

  @Override
  public String description() {
    return "average decision ordering (seed 002) between every two decision functions, with each"
        + " one's own AUC and best-cut AMS";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(UNWEIGHTED, SAMPLED_PAIRS);
  }

  @Override
  public String conventions() {
    return "Matrix entries are ADO oriented as seed 002 step 3: max(ADO, 1 - ADO), so 0.5 is the"
        + " least similar and 1 the most; pairs tied in either function count 1/2 (the authors' code),"
        + " so the diagonal is 1 less half the tied pair fraction (exactly 1 without ties). Every pair"
        + " (s, b) weighs w_s * w_b unless unweighted. Per function: auc = its own AUC, max(AUC,"
        + " 1 - AUC); auc_raw = AUC with high scores signal-like; ams = the best AMS (b_r = 10, seed 000"
        + " eq. 5) over cuts at every distinct score, cutting on the signal-like side that the AUC"
        + " orientation shows (ams_direction +1 keeps score >= ams_cut, -1 keeps score <= ams_cut);"
        + " ams_s and ams_b are the passing weights, which must be expected numbers of events;"
        + " ams_unit_weights = 1 warns that all weights were 1 and the AMS has no physical meaning."
        + " With sampled_pairs > 0 the matrix and auc/auc_raw are estimates from seeded random pairs,"
        + " each pair drawn with probability proportional to its weight; auc_standard_error and"
        + " ado_standard_error_max (the largest standard error in the function's matrix row) come"
        + " with them; the AMS scan is always exact. Labels are required: ADO compares signal with background events.";
  }

  @Override
  public Similarity compare(SimilarityContext context) {
    Options options = context.options();
    long sampled = options.integer(SAMPLED_PAIRS.name());
    if (sampled < 0 || sampled > Integer.MAX_VALUE) {
      throw new OptionException(SAMPLED_PAIRS.name(), "sampled_pairs is 0 (exact) or a number of pairs from 1 to "
          + Integer.MAX_VALUE + ", found " + sampled);
    }
    Map<String, double[]> functions = context.functions();
    if (functions == null || functions.isEmpty()) {
      throw new GlassboxException("ado needs at least one decision function (a network output or an observable)");
    }
    int[] labels = context.labels().orElseThrow(() -> new GlassboxException(
        "ado needs labels: the average decision ordering, the AUC and the AMS compare signal events with"
            + " background events, and this data set has none; give the data set a label column (1 = signal,"
            + " 0 = background)"));
    Events events = events(labels, context.weights(), options.bool(UNWEIGHTED.name()));

    List<Scores> scores = new ArrayList<>(functions.size());
    for (Map.Entry<String, double[]> e : functions.entrySet()) {
      scores.add(Scores.of(e.getKey(), e.getValue()));
    }
    int k = scores.size();
    List<String> names = new ArrayList<>(k);
    for (Scores s : scores) {
      names.add(s.name());
    }
    double[][] matrix = new double[k][k];
    Map<String, Map<String, Double>> perFunction = new LinkedHashMap<>();

    if (sampled == 0) {
      AdoMatrix m = AdoMatrix.exact(scores, events);
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          matrix[i][j] = m.oriented(i, j);
        }
      }
      for (Scores s : scores) {
        Auc auc = Auc.exact(s, events);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("auc", auc.own());
        values.put("auc_raw", auc.value());
        putAms(values, s, events, auc.orientation());
        perFunction.put(s.name(), values);
      }
    } else {
      for (Scores s : scores) {
        events.requireSameSize(s);
      }
      SampledPairs pairs = SampledPairs.draw(events, (int) sampled, context.seed());
      double[] maxError = new double[k];
      for (int i = 0; i < k; i++) {
        for (int j = i; j < k; j++) {
          Estimate e = pairs.ado(scores.get(i), scores.get(j));
          matrix[i][j] = e.oriented();
          matrix[j][i] = e.oriented();
          maxError[i] = Math.max(maxError[i], e.standardError());
          maxError[j] = Math.max(maxError[j], e.standardError());
        }
      }
      for (int i = 0; i < k; i++) {
        Scores s = scores.get(i);
        Estimate auc = pairs.auc(s);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("auc", auc.oriented());
        values.put("auc_raw", auc.raw());
        values.put("auc_standard_error", auc.standardError());
        values.put("ado_standard_error_max", maxError[i]);
        values.put("sampled_pairs", (double) pairs.size());
        putAms(values, s, events, auc.orientation());
        perFunction.put(s.name(), values);
      }
    }
    return new Similarity(MEASURE, names, matrix, perFunction);
  }

  /** The best-cut AMS on the side the AUC says is signal-like. */
  private static void putAms(Map<String, Double> values, Scores s, Events events, Orientation orientation) {
    Direction direction = orientation == Orientation.INVERTED ? Direction.SIGNAL_LOW : Direction.SIGNAL_HIGH;
    AmsCut cut = Ams.scan(s, events, direction);
    values.put("ams", cut.ams());
    values.put("ams_cut", cut.cut());
    values.put("ams_direction", direction == Direction.SIGNAL_HIGH ? 1.0 : -1.0);
    values.put("ams_s", cut.signal());
    values.put("ams_b", cut.background());
    values.put("ams_unit_weights", cut.unitWeights() ? 1.0 : 0.0);
  }

  /** Labels (1 signal, 0 background) and weights as {@link Events}. */
  static Events events(int[] labels, double[] weights, boolean unweighted) {
    boolean[] signal = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new GlassboxException("the label of event " + i + " is " + labels[i]
            + "; labels are 1 (signal) or 0 (background)");
      }
      signal[i] = labels[i] == 1;
    }
    return Events.of(signal, unweighted ? null : weights);
  }
}
