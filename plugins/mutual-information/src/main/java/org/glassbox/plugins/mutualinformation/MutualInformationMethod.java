package org.glassbox.plugins.mutualinformation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.api.similarity.SimilarityMethod;
import org.glassbox.plugins.mutualinformation.QuantileBinning.Binned;

/**
 * The {@code mutual-information} similarity method: seed 000's normalised mutual information (§2.3,
 * eq. 1; METHODS.md §2)
 *
 * <pre>
 *   I(X;Y) = 1/sqrt(H(X)·H(Y)) · Σ_x Σ_y p(x,y) log( p(x,y) / (p(x)p(y)) ),   H(X) = −Σ_x p(x) log p(x)
 * </pre>
 *
 * <p>between every two of the context's functions (network outputs, neurons, observables),
 * estimated from a 2-D histogram of equal-population bins ({@link QuantileBinning}), with event
 * weights unless {@code unweighted}. Each function is binned once (a sort); each pair is then one
 * pass over the events into an integer-indexed histogram, pairs running in parallel. Next to each
 * value, a permutation baseline: the same estimate with the second function's events shuffled by
 * the run's seed, i.e. what two unrelated functions with the same histograms score at this N.
 */
public final class MutualInformationMethod implements SimilarityMethod {
  /** The measure name of the default matrix. */
  public static final String MEASURE = "normalised mutual information";
  /** The most bins per axis (the joint histogram has up to bins² cells per pair). */
  static final int MAX_BINS = 1000;

  static final OptionSpec BINS = OptionSpec.integer("bins", 20,
      "equal-population (quantile) bins per axis, 2 to " + MAX_BINS + "; a function with at most this many"
          + " distinct values gets one bin per value");
  static final OptionSpec UNWEIGHTED = OptionSpec.bool("unweighted", false,
      "treat every event weight as 1, in the bin edges and in the histograms (seed 000 Fig. 20 mixes"
          + " signal and background unweighted)");
  static final OptionSpec BASELINE = OptionSpec.bool("baseline", true,
      "also compute the permutation baseline of every pair (the estimate with one function's events"
          + " shuffled by the run's seed): what unrelated functions score at this number of events and bins");
  static final OptionSpec MATRIX = OptionSpec.choice("matrix", "nmi",
      "which matrix to return: nmi (eq. 1), baseline (the permutation baseline of each pair) or excess"
          + " (nmi minus baseline)", "nmi", "baseline", "excess");

  @Override
  public String id() {
    return "mutual-information";
  }

  @Override
  public String description() {
    return "normalised mutual information (seed 000 eq. 1) between every two functions (neurons, outputs,"
        + " observables), from equal-population histograms, with a permutation baseline";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(BINS, UNWEIGHTED, BASELINE, MATRIX);
  }

  @Override
  public String conventions() {
    return "Normalisation (seed 000 eq. 1): I(X;Y) / sqrt(H(X) H(Y)), so a function with itself scores 1"
        + " (the diagonal is set to 1) and so does any strictly increasing function of it; the result is"
        + " independent of the logarithm's base; values are clipped to [0, 1] against rounding, and a"
        + " function that is constant on the weighted events gives NaN (0/0). Per function: entropy ="
        + " H of the binned function in nats (ln 20 = 3.00 for 20 equal bins), bins = occupied bins."
        + " Binning (METHODS.md §2 convention): equal-population bins per axis (default 20) from the"
        + " weighted quantiles, so every estimate is invariant under strictly increasing transforms of"
        + " either function. Ties: equal values always share a bin; a function with at most 'bins'"
        + " distinct values gets one bin per value; otherwise bins are filled in increasing order, each"
        + " aiming at (weight left) / (bins left), a value joining the current bin while its"
        + " mid-quantile falls inside it, so a value holding more than one bin's share (ReLU zeros, a large"
        + " weight) takes one bin and the other bins share the rest evenly: fewer bins than asked are"
        + " then used ('bins' per function). Weights: event weights enter the quantiles and the"
        + " histograms unless unweighted; they must be finite and non-negative (negative-weight samples:"
        + " use unweighted). Finite-sample bias: for independent functions with Bx and By occupied bins"
        + " the estimate of I is about (Bx-1)(By-1) / (2 N_eff) nats, N_eff = (sum w)^2 / sum w^2,"
        + " i.e. about (B-1)^2 / (2 N_eff ln B) normalised: 0.06 at N = 1,000 and 0.0006 at N = 100,000 with"
        + " 20 bins; values near that are no evidence of a relation. The permutation baseline (option"
        + " baseline, on by default) measures it: one seeded shuffle of the events, applied to the second"
        + " function of each pair, weights staying with the first (the shuffle is a keyed pseudo-random permutation of the"
        + " event indices, evaluated event by event, so a cluster holding the events in pieces forms the same pairs);"
        + " per function, permutation_baseline_max"
        + " is the largest baseline in its row; matrix: baseline or excess returns the baselines or nmi"
        + " minus baseline instead of nmi.";
  }

  @Override
  public Similarity compare(SimilarityContext context) {
    MutualInformation.Settings settings = MutualInformation.settings(context.options());
    Map<String, double[]> functions = context.functions();
    if (functions == null || functions.isEmpty()) {
      throw new GlassboxException("mutual-information needs at least one function (a neuron, a network output or"
          + " an observable)");
    }
    List<String> names = new ArrayList<>(functions.keySet());
    List<double[]> values = new ArrayList<>(functions.values());
    int n = values.get(0).length;
    for (int i = 0; i < names.size(); i++) {
      if (values.get(i).length != n) {
        throw new GlassboxException("mutual-information: function '" + names.get(i) + "' has " + values.get(i).length
            + " values but '" + names.get(0) + "' has " + n + "; all functions must be evaluated on the same events");
      }
    }
    double[] weights = weights(context.weights(), n, settings.unweighted());
    int positive = 0;
    for (int e = 0; e < n; e++) {
      if (weights == null || weights[e] > 0) positive++;
    }
    MutualInformation.checkEnoughEvents(positive, settings.bins());

    int k = names.size();
    int maxBins = settings.bins();
    Binned[] binned = new Binned[k];
    IntStream.range(0, k).parallel().forEach(i -> binned[i] = QuantileBinning.bin(names.get(i), values.get(i), weights,
        maxBins));

    double[][] nmi = new double[k][k];
    pairs(k, false).parallel().forEach(p -> {
      int i = p / k;
      int j = p % k;
      nmi[i][j] = JointHistogram.of(binned[i].bins(), binned[i].count(), binned[j].bins(), binned[j].count(), weights)
          .normalised();
    });

    double[][] base = null;
    if (settings.baseline()) {
      int[] permutation = permutation(n, context.seed());
      short[][] shuffled = new short[k][];
      IntStream.range(0, k).parallel().forEach(j -> {
        short[] b = binned[j].bins();
        short[] s = new short[n];
        for (int e = 0; e < n; e++) s[e] = b[permutation[e]];
        shuffled[j] = s;
      });
      double[][] bm = new double[k][k];
      pairs(k, true).parallel().forEach(p -> {
        int i = p / k;
        int j = p % k;
        bm[i][j] = JointHistogram.of(binned[i].bins(), binned[i].count(), shuffled[j], binned[j].count(), weights)
            .normalised();
      });
      base = bm;
    }
    double[][] binWeights = new double[k][];
    for (int i = 0; i < k; i++) binWeights[i] = binned[i].binWeight();
    return MutualInformation.assemble(settings, names, binWeights, nmi, base);
  }

  /** Pair indices i * k + j for i &lt; j (or i &lt;= j with the diagonal). */
  private static IntStream pairs(int k, boolean diagonal) {
    int[] p = new int[diagonal ? k * (k + 1) / 2 : k * (k - 1) / 2];
    int at = 0;
    for (int i = 0; i < k; i++) {
      for (int j = diagonal ? i : i + 1; j < k; j++) p[at++] = i * k + j;
    }
    return IntStream.of(p);
  }

  /** The weights to use: null for unit weights (the fast integer histograms), else checked. */
  static double[] weights(double[] weights, int n, boolean unweighted) {
    if (unweighted || weights == null) return null;
    if (weights.length != n) {
      throw new GlassboxException("mutual-information: " + weights.length + " event weights for " + n + " events");
    }
    boolean allOne = true;
    double total = 0;
    for (int e = 0; e < n; e++) {
      double w = weights[e];
      MutualInformation.checkWeight(w, "event " + e);
      allOne &= w == 1;
      total += w;
    }
    MutualInformation.checkTotalWeight(total);
    return allOne ? null : weights;
  }

  /**
   * The baseline's shuffle of n events: entry e is π(e), the {@link Permutation} seeded by the run's
   * seed (computable event by event, so a cluster forms the same pairs).
   */
  static int[] permutation(int n, long seed) {
    Permutation pi = new Permutation(n, seed);
    int[] p = new int[n];
    for (int e = 0; e < n; e++) p[e] = (int) pi.apply(e);
    return p;
  }
}
