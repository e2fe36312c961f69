package org.glassbox.toys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code product-sign}: the product-network toy of seed 000 §2.5.1.
 *
 * <p><b>What is drawn.</b> Two features {@code x}, {@code y}, uniform in the square [−1, 1]², with
 * label 1 (signal) where {@code x·y > 0} (first and third quadrants) and 0 where {@code x·y < 0}.
 * The label is drawn first (exactly round(N × signal_fraction) signal events, in random order),
 * then the point uniformly in that label's two quadrants: with the default fraction 0.5 this is
 * exactly the uniform square, without the binomial scatter of the class counts. Neither coordinate
 * is ever exactly 0, so every label is unambiguous.
 *
 * <p><b>Truth to rediscover.</b> Each feature alone carries no information (both marginals are
 * uniform for either class, independently of the label): the separation is entirely the interaction
 * x·y. Activation difference ranks x and y equally; the mutual information of either input alone
 * with the label is at its permutation baseline; in a Taylor expansion the mixed term t_xy
 * dominates; activation-maximization populations of a well-trained output fill the two signal
 * quadrants, with early neurons learning half-planes such as x + y or y − x (seed 000 Figs. 2–4).
 *
 * <p>Sign convention: seed 000's network returns −1 for x·y ≥ 0 and +1 for x·y &lt; 0, so a model
 * trained the seed's way is signal-like (x·y &gt; 0 here) where its output is <em>negative</em>.
 * The seed used a million events; the default here is 10,000.
 */
public final class ProductSign implements ToyGenerator {
  public static final String NAME = "product-sign";

  private static final List<ToyOption> OPTIONS =
      List.of(ToyOption.events(10_000), ToyOption.seed(), ToyOption.signalFraction());

  /**
   * The options of {@code product-sign}.
   *
   * @param events N, 1 to 50,000,000
   * @param seed the random seed
   * @param signalFraction fraction of events with x·y &gt; 0, in [0, 1]
   */
  public record Options(int events, long seed, double signalFraction) {
    public Options {
      Checks.events(NAME, events);
      Checks.signalFraction(NAME, signalFraction);
    }

    /** 10,000 events, seed 1, balanced. */
    public static Options defaults() {
      return new Options(10_000, 1, 0.5);
    }

    public Options withEvents(int events) {
      return new Options(events, seed, signalFraction);
    }

    public Options withSeed(long seed) {
      return new Options(events, seed, signalFraction);
    }

    public Options withSignalFraction(double signalFraction) {
      return new Options(events, seed, signalFraction);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("events", Integer.toString(events));
      m.put("seed", Long.toString(seed));
      m.put("signal_fraction", Double.toString(signalFraction));
      return m;
    }
  }

  /** The generator; it holds no state, so one instance serves any number of calls. */
  public ProductSign() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public String description() {
    return "(x, y) uniform in [-1, 1]^2, signal where x*y > 0 (seed 000 §2.5.1, product network)";
  }

  @Override
  public List<ToyOption> options() {
    return OPTIONS;
  }

  /** Reads and validates the options from a key/value map. */
  public static Options readOptions(Map<String, ?> options) {
    OptionReader r = new OptionReader(NAME, OPTIONS, options);
    return new Options(r.getInt("events"), r.getLong("seed"), r.getDouble("signal_fraction"));
  }

  @Override
  public ToyDataSet generate(Map<String, ?> options) {
    return generate(readOptions(options));
  }

  public ToyDataSet generate(Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed());
    int n = o.events();
    int[] labels = Draw.shuffledLabels(rng, n, Draw.signalCount(n, o.signalFraction()));
    float[] xy = new float[2 * n];
    for (int i = 0; i < n; i++) {
      // |x|, |y| in (0, 1]: uniform magnitudes, never zero, so the label is never ambiguous.
      float ax = (float) Draw.uniformOpenZero(rng);
      float ay = (float) Draw.uniformOpenZero(rng);
      boolean xPositive = rng.nextBoolean();
      boolean sameSign = labels[i] == 1;
      xy[2 * i] = xPositive ? ax : -ax;
      xy[2 * i + 1] = (xPositive == sameSign) ? ay : -ay;
    }
    double[] weights = new double[n];
    java.util.Arrays.fill(weights, 1.0);
    return new ToyDataSet(
        NAME,
        version(),
        o.asMap(),
        "label = [x*y > 0]; neither x nor y alone carries information (uniform marginals for both"
            + " classes): all separation is in the interaction x*y. Expect equal activation"
            + " differences for x and y, single-input mutual information at its baseline, a"
            + " dominant mixed Taylor term t_xy, and activation-maximization populations in the"
            + " quadrants x*y > 0. Seed 000's network is signal-like (x*y >= 0) at output -1.",
        List.of("x", "y"),
        xy,
        labels,
        weights,
        Map.of(),
        null,
        null);
  }
}
