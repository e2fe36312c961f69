package org.glassbox.toys;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;

/**
 * {@code xaug-jets}: the toy model of seed 004 (XAUG variables and LRP): one jet of 20 particles
 * divided evenly between two subjets, with signal-like jets drawn from normal distributions and
 * background-like jets from exponential ones.
 *
 * <p><b>What is drawn</b>, per jet (GeV, and angles in the (η, φ) plane):
 *
 * <ul>
 *   <li>jet pT uniform in [0.9, 1.1] × {@code jet_pt}, the same for both classes;
 *   <li>the softer subjet's momentum fraction z_s: signal normal(0.30, 0.08) truncated to [0.15,
 *       0.5]; background 0.05 + exponential(mean 0.10), redrawn above 0.5;
 *   <li>the subjet separation: signal, solved so that the jet's invariant mass equals a target
 *       drawn from normal({@code signal_mass}, {@code signal_mass_width}) truncated to ±3σ (the
 *       signal mass distribution is that normal exactly); background 0.10 + exponential(mean 0.15),
 *       redrawn above 0.9 × {@code radius};
 *   <li>each subjet has {@code particles}/2 particles. Momentum fractions within a subjet: signal
 *       weights normal(1, 0.8) truncated to [0.02, 4] (democratic), background exponential(1)
 *       (hierarchical), normalised to the subjet pT. Angle θ to the subjet axis: signal
 *       normal(0.05, 0.025) truncated to [0, 0.2], background exponential(mean 0.05) redrawn above
 *       0.3 (same mean, different shape); azimuth around the subjet axis uniform.
 * </ul>
 *
 * The subjets sit on a line through the jet axis, their pT-weighted centre on it; with {@code
 * rotate} (default) the line is the φ axis with the softer subjet at negative Δφ, as seed 004's
 * preprocessing puts the lower-pT subjet at (0, −1); otherwise its direction is uniform. The jet
 * axis is then moved to the pT-weighted centroid of the particles, and jets with a particle beyond
 * ΔR = {@code radius} of it are redrawn (so images contain every particle). The axis is placed at η
 * uniform in [−1.5, 1.5], φ uniform; particle lists hold absolute (pT, η, φ).
 *
 * <p><b>Features</b> (the expert, XAUG, variables; computed from the stored particles, with the
 * generator's particle-to-subjet assignment as the subjet clustering): {@code pt} (scalar Σ pT),
 * {@code mass}, {@code subjet_dr} (ΔR between the pT-weighted subjet axes), {@code subjet_z} (the
 * harder subjet's pT fraction, in [0.5, 1]: the "z" of seed 004's profile plots), {@code tau21}
 * (τ2/τ1 with τ1 about the jet axis and τ2 about the two subjet axes: N-subjettiness with fixed
 * axes) and {@code subjet_ptd} (each subjet's pT dispersion sqrt(Σ pT²)/Σ pT over its own
 * particles, averaged with the subjets' pT as weights: the momentum sharing within the subjets).
 * Multiplicity is not a feature: it is always {@code particles}. Auxiliary observables: {@code
 * jet_eta}, {@code jet_phi} (the axis).
 *
 * <p><b>Truth to rediscover.</b> All the difference between the classes is in the subjet kinematics
 * (mass, z, ΔR) and in the shape of the within-subjet momentum sharing and angles, which {@code
 * subjet_ptd} and {@code tau21} summarise: a network given both the particles (or images) and the
 * XAUG variables should draw most of its relevance from the XAUG block, and the XAUG variables
 * alone should nearly match the low-level network. Signal images have their energy in two spots on
 * the φ axis (seed 004: more relevance along the φ axis in signal images); background images a hard
 * core with a soft, wider companion. The seed gives no numbers: all values above are this module's
 * choice; {@code signal_mass} defaults to 90 GeV (a Z, as in the seed's Pythia ZZ sample).
 */
public final class XaugJets implements ToyGenerator {
  public static final String NAME = "xaug-jets";

  private static final List<ToyOption> OPTIONS =
      List.of(
          ToyOption.events(10_000),
          ToyOption.seed(),
          ToyOption.signalFraction(),
          ToyOption.integer(
              "particles",
              20,
              "Particles per jet, split evenly between the two subjets; even, 2 to 200."),
          ToyOption.number(
              "signal_mass", 90.0, "Centre of the signal jet-mass distribution, GeV; 10 to 500."),
          ToyOption.number(
              "signal_mass_width",
              5.0,
              "Standard deviation of the signal jet mass, GeV (truncated at 3 sigma); 0 to"
                  + " signal_mass/4."),
          ToyOption.number(
              "jet_pt", 500.0, "Centre of the jet pT range [0.9, 1.1] x jet_pt, GeV; 50 to 5000."),
          ToyOption.number(
              "radius",
              0.8,
              "Jet radius R: every particle lies within Delta R <= R of the axis, and images span"
                  + " [-R, R] in Delta eta and Delta phi; 0.2 to 1.5."),
          ToyOption.integer("image_size", 32, "Image height and width in pixels; 4 to 256."),
          ToyOption.bool("with_images", true, "Produce the N x 1 x H x W jet images."),
          ToyOption.bool(
              "rotate",
              true,
              "Align the subjets with the phi axis, softer subjet at negative Delta phi (seed 004's"
                  + " preprocessing); false: random orientation."));

  /** The options of {@code xaug-jets}; see the class documentation for their meaning. */
  public record Options(
      int events,
      long seed,
      double signalFraction,
      int particles,
      double signalMass,
      double signalMassWidth,
      double jetPt,
      double radius,
      int imageSize,
      boolean withImages,
      boolean rotate) {
    public Options {
      Checks.events(NAME, events);
      Checks.signalFraction(NAME, signalFraction);
      Checks.range(NAME, "particles", particles, 2, 200);
      if (particles % 2 != 0) {
        throw Checks.error(NAME, "particles", "must be even (two equal subjets), got " + particles);
      }
      Checks.range(NAME, "signal_mass", signalMass, 10, 500);
      Checks.range(NAME, "signal_mass_width", signalMassWidth, 0, signalMass / 4);
      Checks.range(NAME, "jet_pt", jetPt, 50, 5000);
      Checks.range(NAME, "radius", radius, 0.2, 1.5);
      Checks.range(NAME, "image_size", imageSize, 4, 256);
      // A symmetric decay of the heaviest signal at the lowest pT opens by about 2m/pT; its subjets
      // (and their spread) must fit inside the jet, or nearly every signal jet would be redrawn.
      double opening = 2 * (signalMass + 3 * signalMassWidth) / (0.9 * jetPt);
      if (opening > 0.9 * radius) {
        throw Checks.error(
            NAME,
            "signal_mass",
            "is too large for jet_pt "
                + jetPt
                + " and radius "
                + radius
                + ": signal decays open by"
                + " about 2(signal_mass + 3 signal_mass_width)/(0.9 jet_pt) = "
                + opening
                + ", more than 0.9 radius; raise jet_pt or radius, or lower signal_mass");
      }
      Checks.fits(NAME, events, 3L * particles, "particle lists", "particles");
      if (withImages)
        Checks.fits(NAME, events, (long) imageSize * imageSize, "images", "image_size");
    }

    /**
     * 10,000 events, seed 1, balanced, 20 particles, 90 ± 5 GeV signal at 500 GeV, R = 0.8, 32×32.
     */
    public static Options defaults() {
      return new Options(10_000, 1, 0.5, 20, 90, 5, 500, 0.8, 32, true, true);
    }

    public Options withEvents(int events) {
      return new Options(
          events,
          seed,
          signalFraction,
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withParticles(int particles) {
      return new Options(
          events,
          seed,
          signalFraction,
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          mass,
          width,
          jetPt,
          radius,
          imageSize,
          withImages,
          rotate);
    }

    public Options withJetPt(double jetPt) {
      return new Options(
          events,
          seed,
          signalFraction,
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
          particles,
          signalMass,
          signalMassWidth,
          jetPt,
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
      m.put("particles", Integer.toString(particles));
      m.put("signal_mass", Double.toString(signalMass));
      m.put("signal_mass_width", Double.toString(signalMassWidth));
      m.put("jet_pt", Double.toString(jetPt));
      m.put("radius", Double.toString(radius));
      m.put("image_size", Integer.toString(imageSize));
      m.put("with_images", Boolean.toString(withImages));
      m.put("rotate", Boolean.toString(rotate));
      return m;
    }
  }

  /** The XAUG feature names, in column order. */
  public static final List<String> FEATURES =
      List.of("pt", "mass", "subjet_dr", "subjet_z", "tau21", "subjet_ptd");

  private static final int MAX_TRIES = 10_000;

  /** The generator; it holds no state, so one instance serves any number of calls. */
  public XaugJets() {}

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
    return "one jet of 20 particles in two subjets, normal (signal) vs exponential (background)"
        + " z and theta, with particle lists, images and XAUG variables (seed 004's toy model)";
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
        r.getInt("particles"),
        r.getDouble("signal_mass"),
        r.getDouble("signal_mass_width"),
        r.getDouble("jet_pt"),
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
    JetStore store = new JetStore(n, o.particles());
    JetBuilder jet = new JetBuilder();
    double[] w = new double[o.particles() / 2];
    for (int e = 0; e < n; e++) {
      // One independent stream per jet, split off in order: a jet's draws (rejections included)
      // never shift the next jet's.
      SplittableRandom r = rng.split();
      buildJet(r, labels[e] == 1, o, jet, w);
      store.put(e, jet, Draw.uniform(r, -1.5, 1.5), Draw.uniform(r, -StrictMath.PI, StrictMath.PI));
    }
    float[] features = new float[n * FEATURES.size()];
    for (int e = 0; e < n; e++) xaug(store, e, features, e * FEATURES.size());
    double[] weights = new double[n];
    Arrays.fill(weights, 1.0);
    Map<String, float[]> observables = new LinkedHashMap<>();
    observables.put("jet_eta", store.axisEta);
    observables.put("jet_phi", store.axisPhi);
    return new ToyDataSet(
        NAME,
        version(),
        o.asMap(),
        "Signal: two subjets from a decay of mass "
            + o.signalMass()
            + " +- "
            + o.signalMassWidth()
            + " GeV with normally distributed momentum sharing, democratic particle momenta and"
            + " narrow, normally distributed angles; background: exponential sharing, separation,"
            + " particle momenta and angles. The XAUG variables (mass, subjet_z, subjet_dr, tau21,"
            + " subjet_ptd) summarise the difference: LRP on a network fed particles or images plus"
            + " XAUG variables should give the XAUG block most relevance; pt carries none by"
            + " itself."
            + (o.rotate() ? " Subjets lie on the phi axis (softer at negative Delta phi)." : ""),
        FEATURES,
        features,
        labels,
        weights,
        observables,
        store.particleLists(),
        o.withImages() ? store.images(o.imageSize(), o.radius()) : null);
  }

  private static void buildJet(
      SplittableRandom r, boolean signal, Options o, JetBuilder jet, double[] w) {
    int half = o.particles() / 2;
    double radius = o.radius();
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      jet.clear();
      double ptJet = Draw.uniform(r, 0.9, 1.1) * o.jetPt();
      double zSoft =
          signal
              ? Draw.truncatedNormal(r, 0.30, 0.08, 0.15, 0.5)
              : Draw.truncatedExponential(r, 0.05, 0.10, 0.5);
      double targetMass =
          signal
              ? Draw.truncatedNormal(
                  r,
                  o.signalMass(),
                  o.signalMassWidth(),
                  o.signalMass() - 3 * o.signalMassWidth(),
                  o.signalMass() + 3 * o.signalMassWidth())
              : 0;
      double separation = signal ? 0 : Draw.truncatedExponential(r, 0.10, 0.15, 0.9 * radius);
      double ux = 0; // with rotate: exactly the +φ direction
      double uy = 1;
      if (!o.rotate()) {
        double angle = Draw.angle(r);
        ux = StrictMath.cos(angle);
        uy = StrictMath.sin(angle);
      }
      // Harder subjet at +z_s·d·u, softer at −(1 − z_s)·d·u: their pT-weighted centre is the
      // origin.
      for (int s = 0; s < 2; s++) {
        double ptSub = (s == 0 ? 1 - zSoft : zSoft) * ptJet;
        double along = s == 0 ? zSoft : -(1 - zSoft);
        for (int i = 0; i < half; i++) {
          w[i] = signal ? Draw.truncatedNormal(r, 1.0, 0.8, 0.02, 4.0) : Draw.exponential(r, 1.0);
        }
        JetBuilder.shares(w, half, ptSub);
        for (int i = 0; i < half; i++) {
          double theta =
              signal
                  ? Draw.truncatedNormal(r, 0.05, 0.025, 0, 0.2)
                  : Draw.truncatedExponential(r, 0, 0.05, 0.3);
          double a = Draw.angle(r);
          jet.add(
              w[i],
              theta * StrictMath.cos(a),
              theta * StrictMath.sin(a),
              along * ux,
              along * uy,
              s);
        }
      }
      if (signal) {
        if (!jet.solveSeparation(targetMass, 2 * radius)) continue;
      } else {
        jet.place(separation);
      }
      jet.recenter();
      if (jet.maxRadius() <= radius) return;
    }
    throw new GlassboxException(
        "toy data set '"
            + NAME
            + "': could not fit a jet inside radius "
            + radius
            + " in "
            + MAX_TRIES
            + " tries; raise 'radius' or 'jet_pt', or lower 'signal_mass'.");
  }

  /** The XAUG variables of stored jet e, from the stored float particles. */
  private static void xaug(JetStore s, int e, float[] out, int o) {
    int n = s.counts[e];
    double[] sumPt = new double[2];
    double[] sumPt2 = new double[2];
    double[] cx = new double[2];
    double[] cy = new double[2];
    for (int k = 0; k < n; k++) {
      int g = s.group(e, k);
      double p = s.pt(e, k);
      sumPt[g] += p;
      sumPt2[g] += p * p;
      cx[g] += p * s.deta(e, k);
      cy[g] += p * s.dphi(e, k);
    }
    for (int g = 0; g < 2; g++) {
      cx[g] /= sumPt[g];
      cy[g] /= sumPt[g];
    }
    double tau1 = 0;
    double tau2 = 0;
    for (int k = 0; k < n; k++) {
      double p = s.pt(e, k);
      double x = s.deta(e, k);
      double y = s.dphi(e, k);
      tau1 += p * StrictMath.hypot(x, y);
      tau2 +=
          p
              * StrictMath.min(
                  StrictMath.hypot(x - cx[0], y - cy[0]), StrictMath.hypot(x - cx[1], y - cy[1]));
    }
    double pt = s.ptSum(e);
    out[o] = (float) pt;
    out[o + 1] = (float) s.mass(e);
    out[o + 2] = (float) StrictMath.hypot(cx[0] - cx[1], cy[0] - cy[1]);
    out[o + 3] = (float) (StrictMath.max(sumPt[0], sumPt[1]) / pt);
    out[o + 4] = (float) (tau2 / tau1);
    // pT-weighted mean of the subjets' own dispersions sqrt(Σ pT²)/Σ pT: the within-subjet
    // sharing, free of the sharing between the subjets (which subjet_z measures).
    out[o + 5] = (float) ((StrictMath.sqrt(sumPt2[0]) + StrictMath.sqrt(sumPt2[1])) / pt);
  }
}
