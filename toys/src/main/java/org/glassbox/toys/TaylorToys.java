package org.glassbox.toys;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code taylor-toys}: the two-variable toy scenarios of seed 003 (Taylor coefficients).
 *
 * <p><b>What is drawn.</b> Two features {@code x1}, {@code x2}; each class is a bivariate normal
 * with equal variances in x1 and x2 (see {@link #signalModel} and {@link #backgroundModel}):
 *
 * <table>
 *   <caption>Class models by scenario (s = shift, ρ = correlation, w = width_ratio)</caption>
 *   <tr><th>scenario</th><th>signal</th><th>background</th><th>separation is by</th></tr>
 *   <tr><td>{@code marginal}</td><td>mean (+s/2, +s/2), σ = 1, ρ = 0</td>
 *       <td>mean (−s/2, −s/2), σ = 1, ρ = 0</td><td>the marginals (shifted means)</td></tr>
 *   <tr><td>{@code correlation}</td><td>mean 0, σ = 1, correlation +ρ</td>
 *       <td>mean 0, σ = 1, correlation −ρ</td><td>the correlation only (same marginals)</td></tr>
 *   <tr><td>{@code width}</td><td>mean 0, σ = w, ρ = 0</td><td>mean 0, σ = 1, ρ = 0</td>
 *       <td>the widths only (same means)</td></tr>
 *   <tr><td>{@code mixed}</td><td>mean (+s/2, +s/2), σ = 1, +ρ</td>
 *       <td>mean (−s/2, −s/2), σ = 1, −ρ</td><td>marginals and correlation together</td></tr>
 * </table>
 *
 * <p><b>Truth to rediscover</b> (seed 003): {@code marginal} shows in the first-order coefficients
 * ⟨|t_x1|⟩, ⟨|t_x2|⟩; {@code correlation} in the mixed second-order ⟨|t_x1x2|⟩; {@code width} in
 * the diagonal second-order ⟨|t_x1x1|⟩, ⟨|t_x2x2|⟩; {@code mixed} in both first-order and mixed
 * terms, and its learning-progress plot shows the marginals learned first, the correlation after.
 * The seed gives no numbers: the defaults s = 1, ρ = 0.8, w = 2 are this module's choice.
 */
public final class TaylorToys implements ToyGenerator {
  public static final String NAME = "taylor-toys";

  /** The scenario: which feature of the inputs separates the classes. */
  public enum Scenario {
    MARGINAL,
    CORRELATION,
    WIDTH,
    MIXED;

    /** The option value, e.g. {@code marginal}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Scenario of(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT));
    }
  }

  private static final List<ToyOption> OPTIONS =
      List.of(
          ToyOption.events(10_000),
          ToyOption.seed(),
          ToyOption.signalFraction(),
          ToyOption.choice(
              "scenario",
              "marginal",
              "Which feature separates the classes: marginal (shifted means), correlation"
                  + " (opposite correlations, same marginals), width (different widths, same"
                  + " means), mixed (shifted means and opposite correlations).",
              "marginal",
              "correlation",
              "width",
              "mixed"),
          ToyOption.number(
              "shift",
              1.0,
              "Distance between the class means along each axis (signal at +shift/2, background at"
                  + " -shift/2), in units of sigma; (0, 10]. Scenarios marginal and mixed."),
          ToyOption.number(
              "correlation",
              0.8,
              "Correlation coefficient: +rho for signal, -rho for background; in (0, 0.99]."
                  + " Scenarios correlation and mixed."),
          ToyOption.number(
              "width_ratio",
              2.0,
              "Signal sigma over background sigma (background sigma = 1); in [0.1, 10], not 1."
                  + " Scenario width."));

  /**
   * The options of {@code taylor-toys}; parameters the scenario does not use are ignored here (the
   * map form rejects them when given explicitly).
   */
  public record Options(
      int events,
      long seed,
      double signalFraction,
      Scenario scenario,
      double shift,
      double correlation,
      double widthRatio) {
    public Options {
      Checks.events(NAME, events);
      Checks.signalFraction(NAME, signalFraction);
      if (scenario == null) throw Checks.error(NAME, "scenario", "must be given");
      if (!(shift > 0 && shift <= 10)) {
        throw Checks.error(NAME, "shift", "must be in (0, 10], got " + shift);
      }
      if (!(correlation > 0 && correlation <= 0.99)) {
        throw Checks.error(NAME, "correlation", "must be in (0, 0.99], got " + correlation);
      }
      Checks.range(NAME, "width_ratio", widthRatio, 0.1, 10);
      if (widthRatio == 1) {
        throw Checks.error(
            NAME, "width_ratio", "must differ from 1 (equal widths do not separate)");
      }
    }

    /** 10,000 events, seed 1, balanced, the given scenario with s = 1, ρ = 0.8, w = 2. */
    public static Options defaults(Scenario scenario) {
      return new Options(10_000, 1, 0.5, scenario, 1.0, 0.8, 2.0);
    }

    public Options withEvents(int events) {
      return new Options(events, seed, signalFraction, scenario, shift, correlation, widthRatio);
    }

    public Options withSeed(long seed) {
      return new Options(events, seed, signalFraction, scenario, shift, correlation, widthRatio);
    }

    public Options withSignalFraction(double f) {
      return new Options(events, seed, f, scenario, shift, correlation, widthRatio);
    }

    public Options withShift(double shift) {
      return new Options(events, seed, signalFraction, scenario, shift, correlation, widthRatio);
    }

    public Options withCorrelation(double rho) {
      return new Options(events, seed, signalFraction, scenario, shift, rho, widthRatio);
    }

    public Options withWidthRatio(double w) {
      return new Options(events, seed, signalFraction, scenario, shift, correlation, w);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("events", Integer.toString(events));
      m.put("seed", Long.toString(seed));
      m.put("signal_fraction", Double.toString(signalFraction));
      m.put("scenario", scenario.key());
      m.put("shift", Double.toString(shift));
      m.put("correlation", Double.toString(correlation));
      m.put("width_ratio", Double.toString(widthRatio));
      return m;
    }
  }

  /**
   * One class's bivariate normal.
   *
   * @param mean (μ1, μ2)
   * @param covariance the 2×2 covariance matrix
   */
  public record ClassModel(double[] mean, double[][] covariance) {
    public ClassModel {
      mean = mean.clone();
      covariance = new double[][] {covariance[0].clone(), covariance[1].clone()};
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[][] covariance() {
      return new double[][] {covariance[0].clone(), covariance[1].clone()};
    }

    double sigma() {
      return StrictMath.sqrt(covariance[0][0]);
    }

    double rho() {
      return covariance[0][1] / covariance[0][0];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClassModel
          && Arrays.equals(mean, ((ClassModel) o).mean)
          && Arrays.deepEquals(covariance, ((ClassModel) o).covariance);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(mean) + Arrays.deepHashCode(covariance);
    }

    @Override
    public String toString() {
      return "N(mean " + Arrays.toString(mean) + ", cov " + Arrays.deepToString(covariance) + ")";
    }
  }

  /** The configured signal distribution. */
  public static ClassModel signalModel(Options o) {
    return model(o, true);
  }

  /** The configured background distribution. */
  public static ClassModel backgroundModel(Options o) {
    return model(o, false);
  }

  private static ClassModel model(Options o, boolean signal) {
    double sign = signal ? 1 : -1;
    double mu = 0;
    double sigma = 1;
    double rho = 0;
    switch (o.scenario()) {
      case MARGINAL:
        mu = sign * o.shift() / 2;
        break;
      case CORRELATION:
        rho = sign * o.correlation();
        break;
      case WIDTH:
        sigma = signal ? o.widthRatio() : 1;
        break;
      case MIXED:
        mu = sign * o.shift() / 2;
        rho = sign * o.correlation();
        break;
      default:
        throw new IllegalStateException(o.scenario().toString());
    }
    double v = sigma * sigma;
    return new ClassModel(new double[] {mu, mu}, new double[][] {{v, rho * v}, {rho * v, v}});
  }

  /** The generator; it holds no state, so one instance serves any number of calls. */
  public TaylorToys() {}

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
    return "two Gaussian features x1, x2 separated by marginals, correlation, width or a mix"
        + " (seed 003, Taylor coefficients)";
  }

  @Override
  public List<ToyOption> options() {
    return OPTIONS;
  }

  /**
   * Reads and validates the options from a key/value map; an explicitly given parameter that the
   * chosen scenario does not use is an error (it would silently do nothing).
   */
  public static Options readOptions(Map<String, ?> options) {
    OptionReader r = new OptionReader(NAME, OPTIONS, options);
    Scenario s = Scenario.of(r.getChoice("scenario"));
    if (s == Scenario.CORRELATION || s == Scenario.WIDTH) {
      r.rejectIfGiven(
          "shift", "has no effect in scenario '" + s.key() + "'; it applies to: marginal, mixed");
    }
    if (s == Scenario.MARGINAL || s == Scenario.WIDTH) {
      r.rejectIfGiven(
          "correlation",
          "has no effect in scenario '" + s.key() + "'; it applies to: correlation, mixed");
    }
    if (s != Scenario.WIDTH) {
      r.rejectIfGiven(
          "width_ratio", "has no effect in scenario '" + s.key() + "'; it applies to: width");
    }
    return new Options(
        r.getInt("events"),
        r.getLong("seed"),
        r.getDouble("signal_fraction"),
        s,
        r.getDouble("shift"),
        r.getDouble("correlation"),
        r.getDouble("width_ratio"));
  }

  @Override
  public ToyDataSet generate(Map<String, ?> options) {
    return generate(readOptions(options));
  }

  public ToyDataSet generate(Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed());
    int n = o.events();
    int[] labels = Draw.shuffledLabels(rng, n, Draw.signalCount(n, o.signalFraction()));
    ClassModel sig = signalModel(o);
    ClassModel bkg = backgroundModel(o);
    float[] x = new float[2 * n];
    for (int i = 0; i < n; i++) {
      ClassModel m = labels[i] == 1 ? sig : bkg;
      double s = m.sigma();
      double rho = m.rho();
      double z1 = Draw.normal(rng);
      double z2 = Draw.normal(rng);
      // Cholesky factor of [[1, ρ], [ρ, 1]], scaled by σ: correlation ρ, equal variances σ².
      x[2 * i] = (float) (m.mean[0] + s * z1);
      x[2 * i + 1] = (float) (m.mean[1] + s * (rho * z1 + StrictMath.sqrt(1 - rho * rho) * z2));
    }
    double[] weights = new double[n];
    Arrays.fill(weights, 1.0);
    return new ToyDataSet(
        NAME,
        version(),
        o.asMap(),
        truth(o.scenario()) + " Signal " + sig + "; background " + bkg + ".",
        List.of("x1", "x2"),
        x,
        labels,
        weights,
        Map.of(),
        null,
        null);
  }

  private static String truth(Scenario s) {
    switch (s) {
      case MARGINAL:
        return "Separation by the marginal distributions (shifted means): expect large first-order"
            + " Taylor coefficients <|t_x1|>, <|t_x2|>.";
      case CORRELATION:
        return "Separation by the correlation only (identical marginals): expect a large mixed"
            + " coefficient <|t_x1x2|> and small first-order ones.";
      case WIDTH:
        return "Separation by the widths only (same means, uncorrelated): expect large diagonal"
            + " second-order coefficients <|t_x1x1|>, <|t_x2x2|>.";
      case MIXED:
        return "Separation by shifted means and opposite correlations together: expect large"
            + " first-order and mixed coefficients, the marginals learned before the correlation.";
      default:
        throw new IllegalStateException(s.toString());
    }
  }
}
