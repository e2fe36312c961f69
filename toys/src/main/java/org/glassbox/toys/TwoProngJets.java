package org.glassbox.toys;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;

/**
 * {@code two-prong-jets}: boosted W → qq̄′ jets (two prongs, signal) against QCD jets (one prong,
 * background), the test case of seed 002 (Faucett, Thaler, Whiteson), with constituent lists, jet
 * images and the high-level observables jet mass, pT and multiplicity.
 *
 * <p><b>What is drawn</b>, per jet (GeV; angles in the (η, φ) plane; R = {@code radius}):
 *
 * <ul>
 *   <li>jet pT uniform in [{@code jet_pt_min}, {@code jet_pt_max}], the same for both classes.
 *   <li><b>Signal</b>: the jet mass is drawn from normal({@code signal_mass}, {@code
 *       signal_mass_width}) truncated to ±3σ, and the prong separation is solved so that the jet
 *       (all its particles) has exactly that mass. The softer prong carries a fraction z uniform in
 *       [0.15, 0.5] (the W's sharing, uniform in [0.15, 0.85]). Each prong fragments into 4 +
 *       binomial(16, ½) particles with exponential(1) momentum weights and angles to the prong axis
 *       exponential with mean min(0.1, 3 GeV / prong pT) (redrawn above 0.3). The W is a colour
 *       singlet: its soft radiation, binomial(6, ½) particles carrying 0.5–3 % of the jet pT, lies
 *       on the segment between the prongs (Gaussian offset 0.03 across it).
 *   <li><b>Background</b>: a hard core of 6 + binomial(24, ½) particles (angles exponential with
 *       mean min(0.1, 5 GeV / core pT): a broader, gluon-like core) plus one perturbative emission
 *       with momentum fraction log-uniform in [0.03, 0.5] at an angle log-uniform in [0.08, 0.7 R],
 *       fragmenting into 1 + binomial(8, ½) particles; plus soft wide-angle radiation, binomial(12,
 *       ½) particles carrying 2–8 % of the jet pT, uniform over the disc of radius 0.9 R. The
 *       emission gives QCD jets a falling mass spectrum that overlaps the W peak.
 * </ul>
 *
 * The prongs (signal) and the core–emission pair (background) sit on a line through the axis,
 * pT-weighted centre on it; with {@code rotate} (default, as seed 002's images are rotated) the
 * line is the φ axis, softer prong or emission at negative Δφ, otherwise it points anywhere. The
 * axis is then moved to the pT-weighted centroid and jets with a particle beyond ΔR = R are
 * redrawn. Axis at η uniform in [−1.5, 1.5], φ uniform; particle lists hold absolute (pT, η, φ),
 * sorted by falling pT, padded to 64 (the model's largest multiplicity is 51).
 *
 * <p><b>Features</b>: {@code mass}, {@code pt} (scalar Σ pT), {@code multiplicity}, computed from
 * the stored particles. Auxiliary observables: {@code jet_eta}, {@code jet_phi}.
 *
 * <p><b>Truth to rediscover.</b> Mass and pT separate well but not completely (QCD masses overlap
 * the peak, and scale with pT where the W's do not). A CNN on images beats mass + pT because the
 * classes also differ in ways those two miss: two hard prongs with a broad momentum sharing versus
 * one core with a soft companion (2-prong observables: τ21, D2, chromatic-number-3 EFPs); soft
 * wide-angle radiation, present only in QCD jets (κ = 0, β = 2 EFPs see it); a broader, more
 * populated QCD core (multiplicity: the κ = 0 edgeless EFP; small-angle, hard-particle structure: κ
 * = 2, β = ½ EFPs). A guided search starting from mass + pT should find these, as seed 002's did.
 * Multiplicity alone separates only mildly (about 27 vs 29 particles on average).
 */
public final class TwoProngJets implements ToyGenerator {
  public static final String NAME = "two-prong-jets";

  /** Padded particle-list length: the model's maximum multiplicity (51) rounded up. */
  public static final int MAX_PARTICLES = 64;

  /** The feature names, in column order. */
  public static final List<String> FEATURES = List.of("mass", "pt", "multiplicity");

  private static final int MAX_TRIES = 10_000;

  private static final List<ToyOption> OPTIONS =
      List.of(
          ToyOption.events(10_000),
          ToyOption.seed(),
          ToyOption.signalFraction(),
          ToyOption.number(
              "signal_mass",
              80.4,
              "Centre of the signal (W) jet-mass distribution, GeV; 10 to 500."),
          ToyOption.number(
              "signal_mass_width",
              5.0,
              "Standard deviation of the signal jet mass (resolution), GeV, truncated at 3 sigma;"
                  + " 0 to signal_mass/4."),
          ToyOption.number("jet_pt_min", 300.0, "Lowest jet pT, GeV; 50 to 5000."),
          ToyOption.number("jet_pt_max", 400.0, "Highest jet pT, GeV; jet_pt_min to 5000."),
          ToyOption.number(
              "radius",
              1.0,
              "Jet radius R: every particle lies within Delta R <= R of the axis, and images span"
                  + " [-R, R] in Delta eta and Delta phi; 0.4 to 1.5."),
          ToyOption.integer("image_size", 32, "Image height and width in pixels; 4 to 256."),
          ToyOption.bool("with_images", true, "Produce the N x 1 x H x W jet images."),
          ToyOption.bool(
              "rotate",
              true,
              "Align the prongs (signal) or core and emission (background) with the phi axis,"
                  + " softer one at negative Delta phi; false: random orientation."));

  /** The options of {@code two-prong-jets}; see the class documentation for their meaning. */
  public record Options(
      int events,
      long seed,
      double signalFraction,
      double signalMass,
      double signalMassWidth,
      double jetPtMin,
      double jetPtMax,
      double radius,
      int imageSize,
      boolean withImages,
      boolean rotate) {
    public Options {
      Checks.events(NAME, events);
      Checks.signalFraction(NAME, signalFraction);
      Checks.range(NAME, "signal_mass", signalMass, 10, 500);
      Checks.range(NAME, "signal_mass_width", signalMassWidth, 0, signalMass / 4);
      Checks.range(NAME, "jet_pt_min", jetPtMin, 50, 5000);
      Checks.range(NAME, "jet_pt_max", jetPtMax, jetPtMin, 5000);
      Checks.range(NAME, "radius", radius, 0.4, 1.5);
      Checks.range(NAME, "image_size", imageSize, 4, 256);
      // The most symmetric decay of the heaviest signal at the lowest pT opens by about 2m/pT;
      // asymmetric ones open wider, so this must sit well inside the jet.
      double opening = 2 * (signalMass + 3 * signalMassWidth) / jetPtMin;
      if (opening > 0.8 * radius) {
        throw Checks.error(
            NAME,
            "signal_mass",
            "is too large for jet_pt_min "
                + jetPtMin
                + " and radius "
                + radius
                + ": signal decays"
                + " open by at least 2(signal_mass + 3 signal_mass_width)/jet_pt_min = "
                + opening
                + ", more than 0.8 radius; raise jet_pt_min or radius, or lower signal_mass");
      }
      Checks.fits(NAME, events, 3L * MAX_PARTICLES, "particle lists", null);
      if (withImages)
        Checks.fits(NAME, events, (long) imageSize * imageSize, "images", "image_size");
    }

    /** 10,000 events, seed 1, balanced, 80.4 ± 5 GeV W in 300–400 GeV jets, R = 1, 32×32. */
    public static Options defaults() {
      return new Options(10_000, 1, 0.5, 80.4, 5, 300, 400, 1.0, 32, true, true);
    }

    public Options withEvents(int events) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withSeed(long seed) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withSignalFraction(double f) {
      return new Options(
          events,
          seed,
          f,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withSignalMass(double mass, double width) {
      return new Options(
          events,
          seed,
          signalFraction,
          mass,
          width,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withJetPt(double min, double max) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          min,
          max,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withRadius(double radius) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withImages(int imageSize, boolean withImages) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withRotate(boolean rotate) {
      return new Options(
          events,
          seed,
          signalFraction,
          signalMass,
          signalMassWidth,
          jetPtMin,
          jetPtMax,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("events", Integer.toString(events));
      m.put("seed", Long.toString(seed));
      m.put("signal_fraction", Double.toString(signalFraction));
      m.put("signal_mass", Double.toString(signalMass));
      m.put("signal_mass_width", Double.toString(signalMassWidth));
      m.put("jet_pt_min", Double.toString(jetPtMin));
      m.put("jet_pt_max", Double.toString(jetPtMax));
      m.put("radius", Double.toString(radius));
      m.put("image_size", Integer.toString(imageSize));
      m.put("with_images", Boolean.toString(withImages));
      m.put("rotate", Boolean.toString(rotate));
      return m;
    }
  }

  /** The generator; it holds no state, so one instance serves any number of calls. */
  public TwoProngJets() {}

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
    return "W-like two-prong vs QCD-like one-prong jets with constituents, images, mass, pT and"
        + " multiplicity (seed 002)";
  }

  @Override
  public List<ToyOption> options() {
    return OPTIONS;
  }

  /** Reads and validates the options from a key/value map. */
  public static Options readOptions(Map<String, ?> options) {
    OptionReader r = new OptionReader(NAME, OPTIONS, options);
    return new Options(
        r.getInt("events"),
        r.getLong("seed"),
        r.getDouble("signal_fraction"),
        r.getDouble("signal_mass"),
        r.getDouble("signal_mass_width"),
        r.getDouble("jet_pt_min"),
        r.getDouble("jet_pt_max"),
        r.getDouble("radius"),
        r.getInt("image_size"),
        r.getBoolean("with_images"),
        r.getBoolean("rotate"));
  }

  @Override
  public ToyDataSet generate(Map<String, ?> options) {
    return generate(readOptions(options));
  }

  public ToyDataSet generate(Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed());
    int n = o.events();
    int[] labels = Draw.shuffledLabels(rng, n, Draw.signalCount(n, o.signalFraction()));
    JetStore store = new JetStore(n, MAX_PARTICLES);
    JetBuilder jet = new JetBuilder();
    double[] w = new double[MAX_PARTICLES];
    for (int e = 0; e < n; e++) {
      // One independent stream per jet, split off in order: a jet's draws (rejections included)
      // never shift the next jet's.
      SplittableRandom r = rng.split();
      for (int attempt = 0; ; attempt++) {
        if (attempt == MAX_TRIES) {
          throw new GlassboxException(
              "toy data set '"
                  + NAME
                  + "': could not fit a jet inside radius "
                  + o.radius()
                  + " in "
                  + MAX_TRIES
                  + " tries; raise 'radius' or 'jet_pt_min'.");
        }
        boolean built = labels[e] == 1 ? signalJet(r, o, jet, w) : backgroundJet(r, o, jet, w);
        if (!built) continue;
        jet.recenter();
        if (jet.maxRadius() <= o.radius()) break;
      }
      store.put(e, jet, Draw.uniform(r, -1.5, 1.5), Draw.uniform(r, -StrictMath.PI, StrictMath.PI));
    }
    float[] features = new float[n * FEATURES.size()];
    for (int e = 0; e < n; e++) {
      features[3 * e] = (float) store.mass(e);
      features[3 * e + 1] = (float) store.ptSum(e);
      features[3 * e + 2] = store.counts[e];
    }
    double[] weights = new double[n];
    Arrays.fill(weights, 1.0);
    Map<String, float[]> observables = new LinkedHashMap<>();
    observables.put("jet_eta", store.axisEta);
    observables.put("jet_phi", store.axisPhi);
    return new ToyDataSet(
        NAME,
        version(),
        o.asMap(),
        "Signal: W-like jets, two hard prongs (mass "
            + o.signalMass()
            + " +- "
            + o.signalMassWidth()
            + " GeV, sharing z uniform in [0.15, 0.85]) with colour-singlet"
            + " radiation between them; background: QCD-like jets, one broader and busier core with"
            + " a soft emission (falling mass overlapping the peak) and soft wide-angle radiation."
            + " Beyond mass and pT, the separation lies in 2-prong structure, wide-angle radiation,"
            + " multiplicity and core collimation: a CNN on images beats mass + pT, and a guided"
            + " EFP search from mass + pT should recover that gap.",
        FEATURES,
        features,
        labels,
        weights,
        observables,
        store.particleLists(),
        o.withImages() ? store.images(o.imageSize(), o.radius()) : null);
  }

  /** Builds a W jet in {@code jet}; false when the drawn mass cannot be reached (redraw). */
  private static boolean signalJet(SplittableRandom r, Options o, JetBuilder jet, double[] w) {
    jet.clear();
    double ptJet = Draw.uniform(r, o.jetPtMin(), o.jetPtMax());
    double m = o.signalMass();
    double s = o.signalMassWidth();
    double targetMass = Draw.truncatedNormal(r, m, s, m - 3 * s, m + 3 * s);
    double zSoft = Draw.uniform(r, 0.15, 0.5);
    int nRad = Draw.binomial(r, 6, 0.5);
    double fRad = nRad > 0 ? Draw.uniform(r, 0.005, 0.03) : 0;
    double[] u = direction(r, o.rotate());
    double ptProngs = (1 - fRad) * ptJet;
    // Harder prong at +z·d·u, softer at −(1 − z)·d·u: their pT-weighted centre is the origin.
    prong(r, jet, w, (1 - zSoft) * ptProngs, zSoft, u, 4 + Draw.binomial(r, 16, 0.5), 3.0, 0);
    prong(r, jet, w, zSoft * ptProngs, -(1 - zSoft), u, 4 + Draw.binomial(r, 16, 0.5), 3.0, 1);
    for (int i = 0; i < nRad; i++) w[i] = Draw.exponential(r, 1.0);
    JetBuilder.shares(w, nRad, fRad * ptJet);
    for (int i = 0; i < nRad; i++) {
      // On the segment between the prongs (a colour singlet radiates inside its dipole).
      double t = Draw.uniform(r);
      double across = Draw.normal(r, 0, 0.03);
      double along = t - (1 - zSoft);
      jet.add(w[i], -across * u[1], across * u[0], along * u[0], along * u[1], 2);
    }
    return jet.solveSeparation(targetMass, 2 * o.radius());
  }

  /** Builds a QCD jet in {@code jet}. */
  private static boolean backgroundJet(SplittableRandom r, Options o, JetBuilder jet, double[] w) {
    jet.clear();
    double radius = o.radius();
    double ptJet = Draw.uniform(r, o.jetPtMin(), o.jetPtMax());
    double zEmission = Draw.logUniform(r, 0.03, 0.5);
    double thetaEmission = Draw.logUniform(r, 0.08, 0.7 * radius);
    int nWide = Draw.binomial(r, 12, 0.5);
    double fWide = nWide > 0 ? Draw.uniform(r, 0.02, 0.08) : 0;
    double[] u = direction(r, o.rotate());
    double ptHard = (1 - fWide) * ptJet;
    prong(r, jet, w, (1 - zEmission) * ptHard, zEmission, u, 6 + Draw.binomial(r, 24, 0.5), 5.0, 0);
    prong(r, jet, w, zEmission * ptHard, -(1 - zEmission), u, 1 + Draw.binomial(r, 8, 0.5), 5.0, 1);
    for (int i = 0; i < nWide; i++) w[i] = Draw.exponential(r, 1.0);
    JetBuilder.shares(w, nWide, fWide * ptJet);
    for (int i = 0; i < nWide; i++) {
      // Uniform over the disc: radius ∝ sqrt(uniform).
      double rho = 0.9 * radius * StrictMath.sqrt(Draw.uniform(r));
      double a = Draw.angle(r);
      jet.add(w[i], rho * StrictMath.cos(a), rho * StrictMath.sin(a), 0, 0, 2);
    }
    jet.place(thetaEmission);
    return true;
  }

  /**
   * Adds a prong of {@code count} particles carrying {@code pt}, centred at {@code along · d · u};
   * angles to the prong axis are exponential with mean min(0.1, scale / pt), redrawn above 0.3
   * (harder prongs are narrower).
   */
  private static void prong(
      SplittableRandom r,
      JetBuilder jet,
      double[] w,
      double pt,
      double along,
      double[] u,
      int count,
      double scale,
      int group) {
    for (int i = 0; i < count; i++) w[i] = Draw.exponential(r, 1.0);
    JetBuilder.shares(w, count, pt);
    double meanAngle = StrictMath.min(0.1, scale / pt);
    for (int i = 0; i < count; i++) {
      double theta = Draw.truncatedExponential(r, 0, meanAngle, 0.3);
      double a = Draw.angle(r);
      jet.add(
          w[i],
          theta * StrictMath.cos(a),
          theta * StrictMath.sin(a),
          along * u[0],
          along * u[1],
          group);
    }
  }

  /** The axis of the two-body structure: +φ with rotation, else uniform. */
  private static double[] direction(SplittableRandom r, boolean rotate) {
    if (rotate) return new double[] {0, 1};
    double a = Draw.angle(r);
    return new double[] {StrictMath.cos(a), StrictMath.sin(a)};
  }
}
