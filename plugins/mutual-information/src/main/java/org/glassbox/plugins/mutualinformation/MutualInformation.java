package org.glassbox.plugins.mutualinformation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;

/**
 * The pieces of the {@code mutual-information} method that a run over events held in pieces (a
 * cluster) combines, so that it forms its results with this plugin's own definitions: the options,
 * the checks on weights and event counts, the binning rule ({@link EqualPopulationScan}), the
 * baseline's shuffle ({@link Permutation}), eq. 1 from a joint histogram, and the result. The method
 * on one machine ({@link MutualInformationMethod}) is built from the same pieces.
 *
 * <p>What a distributed run must reproduce: each function's bins follow from its distinct values in
 * increasing order ({@code -0.0} = {@code 0.0}) with their summed weights: one bin per distinct value
 * when there are at most {@code bins} of them, else the scan; the joint histogram of two functions is
 * the weight of the events in each pair of bins; the baseline's is that of event e's first function
 * with event π(e)'s second ({@link Permutation} over the events in data order, seeded by the run's
 * seed), weight of event e.
 */
public final class MutualInformation {
  private MutualInformation() {}

  /**
   * The method's validated options.
   *
   * @param matrix {@code nmi}, {@code baseline} or {@code excess}
   */
  public record Settings(int bins, boolean unweighted, boolean baseline, String matrix) {}

  /** The options, checked as the method checks them (an {@link OptionException} naming the option). */
  public static Settings settings(Options options) {
    long bins = options.integer(MutualInformationMethod.BINS.name());
    if (bins < 2 || bins > MutualInformationMethod.MAX_BINS) {
      throw new OptionException(MutualInformationMethod.BINS.name(), "bins is the number of equal-population bins per axis,"
          + " 2 to " + MutualInformationMethod.MAX_BINS + ", got " + bins);
    }
    String matrixKind = options.string(MutualInformationMethod.MATRIX.name());
    if (!MutualInformationMethod.MATRIX.choices().contains(matrixKind)) {
      throw new OptionException(MutualInformationMethod.MATRIX.name(), "matrix is one of "
          + String.join(", ", MutualInformationMethod.MATRIX.choices()) + ", got '" + matrixKind + "'");
    }
    boolean baseline = options.bool(MutualInformationMethod.BASELINE.name());
    if (!baseline && !matrixKind.equals("nmi")) {
      throw new OptionException(MutualInformationMethod.MATRIX.name(), "matrix: " + matrixKind + " needs the permutation"
          + " baseline; set baseline: true (or matrix: nmi)");
    }
    return new Settings((int) bins, options.bool(MutualInformationMethod.UNWEIGHTED.name()), baseline, matrixKind);
  }

  /** Fails unless an event weight can enter a histogram (finite, non-negative); {@code event} names the event. */
  public static void checkWeight(double w, String event) {
    if (!Double.isFinite(w) || w < 0) {
      throw new GlassboxException("mutual-information: the weight of " + event + " is " + w + "; histogram"
          + " probabilities need finite, non-negative weights (for samples with negative weights set"
          + " unweighted: true)");
    }
  }

  /** Fails when a function's value has no bin. */
  public static void checkValue(double v, String function, String event) {
    if (Double.isNaN(v)) {
      throw new GlassboxException("mutual-information: function '" + function + "' is NaN at " + event
          + "; remove or fill such events first (a histogram has no bin for NaN)");
    }
  }

  /** Fails when the given weights sum to zero. */
  public static void checkTotalWeight(double totalWeight) {
    if (!(totalWeight > 0)) throw new GlassboxException("mutual-information: all event weights are 0");
  }

  /** Fails when too few events carry weight to fill the bins. */
  public static void checkEnoughEvents(long positive, int bins) {
    if (positive < bins) {
      throw new OptionException(MutualInformationMethod.BINS.name(), "mutual-information: " + positive + " events with"
          + " non-zero weight cannot fill " + bins + " equal-population bins; lower bins (the estimate needs many events"
          + " per bin: its bias for unrelated functions is about (bins-1)^2 / (2 N) nats)");
    }
  }

  /** Seed 000 eq. 1 from a joint histogram of non-negative weights, row-major [nx][ny]. */
  public static double nmi(double[] joint, int nx, int ny) {
    return JointHistogram.of(joint, nx, ny).normalised();
  }

  /**
   * The method's result.
   *
   * @param binWeights per function, the weight (or count) in each of its bins
   * @param nmi eq. 1 of every pair of different functions (either triangle; the diagonal is set here)
   * @param baseline the permutation baseline of every pair, the diagonal included; null without it
   */
  public static Similarity assemble(Settings settings, List<String> names, double[][] binWeights, double[][] nmi,
      double[][] baseline) {
    int k = names.size();
    double[] entropy = new double[k];
    for (int i = 0; i < k; i++) entropy[i] = QuantileBinning.entropy(binWeights[i]);
    double[][] m = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) m[i][j] = i == j ? (entropy[i] > 0 ? 1 : Double.NaN) : i < j ? nmi[i][j] : nmi[j][i];
    }
    double[][] base = null;
    if (baseline != null) {
      base = new double[k][k];
      for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) base[i][j] = i <= j ? baseline[i][j] : baseline[j][i];
    }
    Map<String, Map<String, Double>> perFunction = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("entropy", entropy[i]);
      int occupied = 0;
      for (double w : binWeights[i]) {
        if (w > 0) occupied++;
      }
      values.put("bins", (double) occupied);
      if (base != null) {
        double max = Double.NaN;
        for (int j = 0; j < k; j++) {
          if (!Double.isNaN(base[i][j]) && !(base[i][j] <= max)) max = base[i][j];
        }
        values.put("permutation_baseline_max", max);
      }
      perFunction.put(names.get(i), values);
    }
    return switch (settings.matrix()) {
      case "baseline" -> new Similarity(MutualInformationMethod.MEASURE + ", permutation baseline", names, base, perFunction);
      case "excess" -> {
        double[][] d = new double[k][k];
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) d[i][j] = m[i][j] - base[i][j];
        }
        yield new Similarity(MutualInformationMethod.MEASURE + " minus permutation baseline", names, d, perFunction);
      }
      default -> new Similarity(MutualInformationMethod.MEASURE, names, m, perFunction);
    };
  }
}
