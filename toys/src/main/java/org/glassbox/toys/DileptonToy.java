package org.glassbox.toys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.toys.Kinematics.P4;

/**
 * {@code dilepton-toy}: stop-pair production against tt̄ in the dilepton channel, reduced to seed
 * 000's 19 network inputs (§2.1), from a small parton-level event generator.
 *
 * <p><b>What is drawn.</b> Background: tt̄ (m_t = 172.5 GeV), t → bW, W → ℓν. Signal: t̃t̃* with
 * {@code stop_mass}, {@code neutralino_mass}; t̃ → tχ̃ (two-body, when the mass gap exceeds m_t) or
 * t̃ → bWχ̃ (three-body, flat phase space, when it only exceeds m_W + m_b); then as in the
 * background. Every decay is isotropic in its parent's rest frame (no spin correlations: the spin
 * effects of seed 000's stealth point are <em>not</em> modelled), W masses fixed at 80.4 GeV. The
 * pair's momentum in its centre-of-mass frame is gamma(2, 0.15 m + 30 GeV) in an isotropic
 * direction; the pair recoils against an ISR jet of pT exponential (mean 40 GeV, η normal(0, 1.5))
 * and is boosted along the beam by a rapidity normal(0, 0.8). Jets are the b quarks and the ISR
 * parton, massless, with pT smeared by a 10 % Gaussian; leptons are exact. The missing momentum is
 * minus the vector sum of the measured visible momenta (seed 000's definition), so it is the
 * invisible momentum plus jet mismeasurement.
 *
 * <p><b>Selection</b> (after seed 000's generator cuts and the CMS preselection it cites): leptons
 * pT &gt; 25 and 20 GeV, |η| &lt; 2.4, m_ℓℓ &gt; 20 GeV; jet candidates pT &gt; 30 GeV, |η| &lt;
 * 2.4, at least two and at least one b-tagged (b quarks tagged with probability 0.7, the ISR jet
 * mistagged with 0.05); p_T^miss &gt; 80 GeV; cos Δφ(p_T^miss, leading jet) &lt; 0.80 and &lt; 0.96
 * for the second jet. Rejected events are redrawn; the acceptance per class is kept for weights.
 * The two jets given to the network are the b-tagged candidates by falling pT, then untagged ones;
 * they are paired with the leptons by the pairing that minimises the larger ℓj invariant mass, j1
 * going with ℓ1 (seed 000 §2.1).
 *
 * <p><b>Features</b> (seed 000's 19 inputs, unscaled): {@code log_pt_miss}, {@code log_pt_l1},
 * {@code log_pt_l2}, {@code log_pt_j1}, {@code log_pt_j2} (natural log of pT in GeV: the seed's
 * p_T^miss, p_T^ℓ1, ...); {@code eta_l1} = |η^ℓ1| and {@code eta_l2}, {@code eta_j1}, {@code
 * eta_j2} multiplied by the sign of η^ℓ1; {@code phi_l1}, {@code phi_l2}, {@code phi_j1}, {@code
 * phi_j2} = |Δφ| to p_T^miss in [0, π] and {@code phi_s_l1} ... {@code phi_s_j2} = +1 when that Δφ
 * is counter-clockwise (≥ 0), −1 otherwise (the seed's φ_s); {@code b_j1}, {@code b_j2} = +1
 * b-tagged, −1 not. Auxiliary observables: {@code pt_miss} (GeV), {@code mt2_ll} (seed 000 eq. 4),
 * {@code pt_isr} (eq. 6), {@code m_ll}, {@code dphi_ll} (|Δφ| between the leptons).
 *
 * <p><b>Truth to rediscover</b> (seed 000 §3–5). At the default uncompressed point (750, 1): the
 * neutralinos give signal much larger missing pT, and since each neutralino recoils against its own
 * top's decay products, the leptons point azimuthally away from the missing momentum, whereas in
 * tt̄ each neutrino follows its lepton; m_T2^ℓℓ exceeds the W endpoint only in signal. A network
 * should select high {@code log_pt_miss} with large {@code phi_l1}, {@code phi_l2}; its neurons
 * should share information with {@code mt2_ll}. At a compressed point such as (350, 200) the
 * missing pT comes with ISR, which a network can exploit ({@code pt_isr}).
 *
 * <p><b>Weights.</b> {@code unit} (default): all 1. {@code luminosity}: expected events in {@code
 * luminosity} fb⁻¹ at 13 TeV, σ × BR(ℓℓ) × L × acceptance / N per class, with σ(tt̄) = 832 pb,
 * BR(both W → eν or μν) = 0.216², and an approximate NLO+NLL stop-pair cross section interpolated
 * log-linearly in mass (64.5 pb at 200 GeV, 0.0670 pb at 700 GeV, 0.00615 pb at 1 TeV): good enough
 * for AMS demonstrations, not for physics.
 *
 * <p>Points just above the three-body threshold (e.g. (150, 60)) have a small acceptance and take
 * tens of seconds per few thousand events; the defaults generate 10,000 events in about 3 s.
 */
public final class DileptonToy implements ToyGenerator {
  public static final String NAME = "dilepton-toy";

  /** The 19 input names, in seed 000's order of §2.1. */
  public static final List<String> FEATURES =
      List.of(
          "log_pt_miss",
          "log_pt_l1",
          "log_pt_l2",
          "log_pt_j1",
          "log_pt_j2",
          "eta_l1",
          "eta_l2",
          "eta_j1",
          "eta_j2",
          "phi_l1",
          "phi_l2",
          "phi_j1",
          "phi_j2",
          "phi_s_l1",
          "phi_s_l2",
          "phi_s_j1",
          "phi_s_j2",
          "b_j1",
          "b_j2");

  static final double M_TOP = 172.5;
  static final double M_W = 80.4;
  static final double M_B = 4.8;
  private static final double SIGMA_TTBAR_PB = 832;
  private static final double BR_DILEPTON = 0.216 * 0.216;
  private static final int MAX_TRIES = 1_000_000;

  /** Approximate 13 TeV stop-pair cross sections (GeV → pb), interpolated log-linearly. */
  private static double[][] stopCrossSections() {
    // A fresh array per call (one per generate()): no shared mutable state.
    return new double[][] {
      {200, 64.5},
      {300, 8.52},
      {400, 1.83},
      {500, 0.518},
      {600, 0.175},
      {700, 0.0670},
      {800, 0.0283},
      {900, 0.0128},
      {1000, 0.00615},
      {1100, 0.00307},
      {1200, 0.00159},
      {1300, 0.000850},
      {1400, 0.000465},
      {1500, 0.000259}
    };
  }

  /** How events are weighted. */
  public enum Weights {
    UNIT,
    LUMINOSITY;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final List<ToyOption> OPTIONS =
      List.of(
          ToyOption.events(10_000),
          ToyOption.seed(),
          ToyOption.signalFraction(),
          ToyOption.number(
              "stop_mass", 750.0, "Stop mass, GeV; 150 to 1500 (seed 000: 750, 350, 185)."),
          ToyOption.number(
              "neutralino_mass",
              1.0,
              "Neutralino mass, GeV; from 0 to stop_mass - 86.2 (m_W + m_b + 1: the four-body"
                  + " region is not modelled). Seed 000: 1, 200, 5."),
          ToyOption.choice(
              "weights",
              "unit",
              "unit: every weight 1; luminosity: expected events in 'luminosity' fb^-1 (for AMS).",
              "unit",
              "luminosity"),
          ToyOption.number(
              "luminosity",
              35.9,
              "Integrated luminosity in fb^-1 for weights: luminosity; (0, 10000]. Seed 000:"
                  + " 35.9."));

  /** The options of {@code dilepton-toy}; see the class documentation for their meaning. */
  public record Options(
      int events,
      long seed,
      double signalFraction,
      double stopMass,
      double neutralinoMass,
      Weights weights,
      double luminosity) {
    public Options {
      Checks.events(NAME, events);
      Checks.signalFraction(NAME, signalFraction);
      Checks.range(NAME, "stop_mass", stopMass, 150, 1500);
      if (!(neutralinoMass >= 0 && stopMass - neutralinoMass >= M_W + M_B + 1)) {
        throw Checks.error(
            NAME,
            "neutralino_mass",
            "must be at least 0 and at most stop_mass - 86.2 = "
                + (stopMass - M_W - M_B - 1)
                + " GeV (decays below m_W + m_b are four-body, not modelled), got "
                + neutralinoMass);
      }
      if (weights == null) throw Checks.error(NAME, "weights", "must be given");
      if (!(luminosity > 0 && luminosity <= 10_000)) {
        throw Checks.error(NAME, "luminosity", "must be in (0, 10000] fb^-1, got " + luminosity);
      }
    }

    /** 10,000 events, seed 1, balanced, the uncompressed point (750, 1), unit weights. */
    public static Options defaults() {
      return new Options(10_000, 1, 0.5, 750, 1, Weights.UNIT, 35.9);
    }

    public Options withEvents(int events) {
      return new Options(
          events, seed, signalFraction, stopMass, neutralinoMass, weights, luminosity);
    }

    public Options withSeed(long seed) {
      return new Options(
          events, seed, signalFraction, stopMass, neutralinoMass, weights, luminosity);
    }

    public Options withSignalFraction(double f) {
      return new Options(events, seed, f, stopMass, neutralinoMass, weights, luminosity);
    }

    public Options withMasses(double stopMass, double neutralinoMass) {
      return new Options(
          events, seed, signalFraction, stopMass, neutralinoMass, weights, luminosity);
    }

    public Options withWeights(Weights weights, double luminosity) {
      return new Options(
          events, seed, signalFraction, stopMass, neutralinoMass, weights, luminosity);
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("events", Integer.toString(events));
      m.put("seed", Long.toString(seed));
      m.put("signal_fraction", Double.toString(signalFraction));
      m.put("stop_mass", Double.toString(stopMass));
      m.put("neutralino_mass", Double.toString(neutralinoMass));
      m.put("weights", weights.key());
      m.put("luminosity", Double.toString(luminosity));
      return m;
    }
  }

  /** The generator; it holds no state, so one instance serves any number of calls. */
  public DileptonToy() {}

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
    return "stop pairs vs ttbar in the dilepton channel, seed 000's 19 inputs (log pT, eta and phi"
        + " relative to the leading lepton and the missing pT, phi signs, b-tags)";
  }

  @Override
  public List<ToyOption> options() {
    return OPTIONS;
  }

  /** Reads and validates the options from a key/value map. */
  public static Options readOptions(Map<String, ?> options) {
    OptionReader r = new OptionReader(NAME, OPTIONS, options);
    Weights w = Weights.valueOf(r.getChoice("weights").toUpperCase(Locale.ROOT));
    if (w == Weights.UNIT) {
      r.rejectIfGiven("luminosity", "has no effect with weights 'unit'; set weights: luminosity");
    }
    return new Options(
        r.getInt("events"),
        r.getLong("seed"),
        r.getDouble("signal_fraction"),
        r.getDouble("stop_mass"),
        r.getDouble("neutralino_mass"),
        w,
        r.getDouble("luminosity"));
  }

  @Override
  public ToyDataSet generate(Map<String, ?> options) {
    return generate(readOptions(options));
  }

  /** The approximate 13 TeV stop-pair cross section in pb used for luminosity weights. */
  public static double stopPairCrossSection(double stopMass) {
    double[][] t = stopCrossSections();
    int i = 0;
    while (i < t.length - 2 && stopMass > t[i + 1][0]) i++;
    // Log-linear between neighbours; below 200 GeV, the 200–300 GeV slope extrapolated.
    double f = (stopMass - t[i][0]) / (t[i + 1][0] - t[i][0]);
    return StrictMath.exp(
        StrictMath.log(t[i][1]) + f * (StrictMath.log(t[i + 1][1]) - StrictMath.log(t[i][1])));
  }

  public ToyDataSet generate(Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed());
    int n = o.events();
    int[] labels = Draw.shuffledLabels(rng, n, Draw.signalCount(n, o.signalFraction()));
    StopDecay stop = new StopDecay(o.stopMass(), o.neutralinoMass());
    float[] features = new float[n * FEATURES.size()];
    String[] obsNames = {"pt_miss", "mt2_ll", "pt_isr", "m_ll", "dphi_ll"};
    float[][] obs = new float[obsNames.length][n];
    long[] attempts = new long[2];
    double[] row = new double[FEATURES.size()];
    double[] aux = new double[obsNames.length];
    for (int e = 0; e < n; e++) {
      // One independent stream per event, split off in order: rejections never shift other events.
      SplittableRandom r = rng.split();
      int c = labels[e];
      for (int t = 1; ; t++) {
        if (t > MAX_TRIES) {
          throw new GlassboxException(
              "toy data set '"
                  + NAME
                  + "': no event passed the selection in "
                  + MAX_TRIES
                  + " tries at stop_mass "
                  + o.stopMass()
                  + ", neutralino_mass "
                  + o.neutralinoMass());
        }
        if (event(r, c == 1 ? stop : null, row, aux)) {
          attempts[c] += t;
          break;
        }
      }
      for (int f = 0; f < row.length; f++) features[e * row.length + f] = (float) row[f];
      for (int k = 0; k < aux.length; k++) obs[k][e] = (float) aux[k];
    }
    double[] weights = new double[n];
    int nSig = 0;
    for (int l : labels) nSig += l;
    int[] counts = {n - nSig, nSig};
    double[] classWeight = new double[2];
    for (int c = 0; c < 2; c++) {
      if (o.weights() == Weights.UNIT || counts[c] == 0) {
        classWeight[c] = 1;
        continue;
      }
      double sigma = c == 1 ? stopPairCrossSection(o.stopMass()) : SIGMA_TTBAR_PB;
      double acceptance = (double) counts[c] / attempts[c];
      // pb × fb⁻¹ × 1000 = expected events, shared among the generated events of the class.
      classWeight[c] = sigma * BR_DILEPTON * o.luminosity() * 1000 * acceptance / counts[c];
    }
    for (int e = 0; e < n; e++) weights[e] = classWeight[labels[e]];
    Map<String, float[]> observables = new LinkedHashMap<>();
    for (int k = 0; k < obsNames.length; k++) observables.put(obsNames[k], obs[k]);
    Map<String, String> options = o.asMap();
    return new ToyDataSet(
        NAME,
        version(),
        options,
        "Signal stop pairs ("
            + o.stopMass()
            + ", "
            + o.neutralinoMass()
            + ") GeV vs ttbar."
            + " Signal has larger missing pT with the leptons azimuthally away from it (large"
            + " phi_l1, phi_l2), and m_T2(ll) beyond the W endpoint; expect a network to select"
            + " high log_pt_miss with large lepton phi, and neurons with high mutual information"
            + " with mt2_ll; at compressed points the missing pT comes with ISR (pt_isr). No spin"
            + " correlations are modelled.",
        FEATURES,
        features,
        labels,
        weights,
        observables,
        null,
        null);
  }

  /** How each stop decays: t̃ → tχ̃ when allowed, else t̃ → bWχ̃ by flat three-body phase space. */
  private static final class StopDecay {
    final double mStop;
    final double mChi;
    final boolean twoBody;
    final double lo;
    final double hi;
    final double densityMax;

    StopDecay(double mStop, double mChi) {
      this.mStop = mStop;
      this.mChi = mChi;
      this.twoBody = mStop - mChi > M_TOP;
      this.lo = M_W + M_B;
      this.hi = mStop - mChi;
      double max = 0;
      for (int i = 0; i <= 400; i++) max = StrictMath.max(max, density(lo + (hi - lo) * i / 400.0));
      this.densityMax = 1.05 * max;
    }

    /** Three-body phase space in m_bW factorises as p*(t̃ → (bW) χ̃) · p*((bW) → b W) dm_bW. */
    double density(double mbw) {
      return Kinematics.twoBodyMomentum(mStop, mbw, mChi)
          * Kinematics.twoBodyMomentum(mbw, M_B, M_W);
    }

    /** Returns {b, W, χ̃} in the lab. */
    P4[] decay(SplittableRandom r, P4 stop) {
      double mbw = M_TOP;
      if (!twoBody) {
        do {
          mbw = Draw.uniform(r, lo, hi);
        } while (Draw.uniform(r) * densityMax > density(mbw));
      }
      P4[] tc = Kinematics.decay(r, stop, mStop, mbw, mChi);
      P4[] bw = Kinematics.decay(r, tc[0], mbw, M_B, M_W);
      return new P4[] {bw[0], bw[1], tc[1]};
    }
  }

  /**
   * Draws one event; returns false when it fails the selection. On success fills the 19 features
   * and the auxiliary observables.
   */
  private static boolean event(SplittableRandom r, StopDecay stop, double[] row, double[] aux) {
    double m = stop == null ? M_TOP : stop.mStop;
    // Pair production in the partonic centre-of-mass frame, then ISR recoil and a longitudinal
    // boost.
    double pStar = Draw.gammaInteger(r, 2, 0.15 * m + 30);
    double cos = Draw.uniform(r, -1, 1);
    double sin = StrictMath.sqrt(StrictMath.max(0, 1 - cos * cos));
    double a = Draw.angle(r);
    double e1 = StrictMath.sqrt(pStar * pStar + m * m);
    P4 p1 =
        new P4(e1, pStar * sin * StrictMath.cos(a), pStar * sin * StrictMath.sin(a), pStar * cos);
    P4 p2 = new P4(e1, -p1.px(), -p1.py(), -p1.pz());
    double shat = 4 * e1 * e1;
    double ptIsr = Draw.exponential(r, 40);
    double phiIsr = Draw.angle(r);
    double etaIsr = Draw.normal(r, 0, 1.5);
    double ySys = Draw.normal(r, 0, 0.8);
    double mtSys = StrictMath.sqrt(shat + ptIsr * ptIsr);
    P4 sys =
        new P4(
            mtSys * StrictMath.cosh(ySys),
            -ptIsr * StrictMath.cos(phiIsr),
            -ptIsr * StrictMath.sin(phiIsr),
            mtSys * StrictMath.sinh(ySys));
    p1 = p1.boostedBy(sys);
    p2 = p2.boostedBy(sys);

    P4[] leptons = new P4[2];
    P4[] bquarks = new P4[2];
    P4[] parents = {p1, p2};
    for (int k = 0; k < 2; k++) {
      P4 b;
      P4 w;
      if (stop == null) {
        P4[] bw = Kinematics.decay(r, parents[k], M_TOP, M_B, M_W);
        b = bw[0];
        w = bw[1];
      } else {
        P4[] bwx = stop.decay(r, parents[k]);
        b = bwx[0];
        w = bwx[1];
      }
      leptons[k] = Kinematics.decay(r, w, M_W, 0, 0)[0];
      bquarks[k] = b;
    }

    // Measured jets: massless, pT smeared by 10 %; b-tags and mistags drawn for all three.
    List<Jet> jets = new ArrayList<>(3);
    for (int k = 0; k < 2; k++) {
      P4 b = bquarks[k];
      jets.add(new Jet(smear(r, b.pt()), b.eta(), b.phi(), Draw.uniform(r) < 0.7));
    }
    jets.add(new Jet(smear(r, ptIsr), etaIsr, phiIsr, Draw.uniform(r) < 0.05));

    // Missing momentum: minus the measured visible momenta (seed 000 §2.1).
    double mx = 0;
    double my = 0;
    for (P4 l : leptons) {
      mx -= l.px();
      my -= l.py();
    }
    for (Jet j : jets) {
      mx -= j.px();
      my -= j.py();
    }
    double met = StrictMath.hypot(mx, my);
    double phiMet = StrictMath.atan2(my, mx);

    // Selection.
    P4 l1 = leptons[0].pt() >= leptons[1].pt() ? leptons[0] : leptons[1];
    P4 l2 = l1 == leptons[0] ? leptons[1] : leptons[0];
    if (l1.pt() < 25 || l2.pt() < 20) return false;
    if (StrictMath.abs(l1.eta()) > 2.4 || StrictMath.abs(l2.eta()) > 2.4) return false;
    double mll = l1.plus(l2).mass();
    if (mll < 20) return false;
    if (met < 80) return false;
    List<Jet> candidates = new ArrayList<>(3);
    for (Jet j : jets) if (j.pt >= 30 && StrictMath.abs(j.eta) <= 2.4) candidates.add(j);
    if (candidates.size() < 2) return false;
    candidates.sort((x, y) -> Double.compare(y.pt, x.pt));
    boolean anyTag = false;
    for (Jet j : candidates) anyTag |= j.tagged;
    if (!anyTag) return false;
    if (StrictMath.cos(candidates.get(0).phi - phiMet) >= 0.80) return false;
    if (StrictMath.cos(candidates.get(1).phi - phiMet) >= 0.96) return false;

    // The network's two jets: tagged by falling pT, then untagged; pairing by min of max m(ℓj).
    List<Jet> chosen = new ArrayList<>(3);
    for (Jet j : candidates) if (j.tagged) chosen.add(j);
    for (Jet j : candidates) if (!j.tagged) chosen.add(j);
    Jet ja = chosen.get(0);
    Jet jb = chosen.get(1);
    double straight = StrictMath.max(l1.plus(ja.p4()).mass(), l2.plus(jb.p4()).mass());
    double swapped = StrictMath.max(l1.plus(jb.p4()).mass(), l2.plus(ja.p4()).mass());
    Jet j1 = straight <= swapped ? ja : jb;
    Jet j2 = j1 == ja ? jb : ja;

    double etaSign = l1.eta() >= 0 ? 1 : -1;
    row[0] = StrictMath.log(met);
    row[1] = StrictMath.log(l1.pt());
    row[2] = StrictMath.log(l2.pt());
    row[3] = StrictMath.log(j1.pt);
    row[4] = StrictMath.log(j2.pt);
    row[5] = StrictMath.abs(l1.eta());
    row[6] = l2.eta() * etaSign;
    row[7] = j1.eta * etaSign;
    row[8] = j2.eta * etaSign;
    double[] dphi = {
      Draw.wrap(l1.phi() - phiMet), Draw.wrap(l2.phi() - phiMet),
      Draw.wrap(j1.phi - phiMet), Draw.wrap(j2.phi - phiMet)
    };
    for (int k = 0; k < 4; k++) {
      row[9 + k] = StrictMath.abs(dphi[k]);
      row[13 + k] = dphi[k] >= 0 ? 1 : -1;
    }
    row[17] = j1.tagged ? 1 : -1;
    row[18] = j2.tagged ? 1 : -1;

    aux[0] = met;
    aux[1] = Kinematics.mt2(l1.px(), l1.py(), l2.px(), l2.py(), mx, my);
    if (!j1.tagged) {
      aux[2] = j1.pt;
    } else if (!j2.tagged) {
      aux[2] = j2.pt;
    } else {
      aux[2] =
          StrictMath.hypot(
              mx + l1.px() + l2.px() + j1.px() + j2.px(),
              my + l1.py() + l2.py() + j1.py() + j2.py());
    }
    aux[3] = mll;
    aux[4] = StrictMath.abs(Draw.wrap(l1.phi() - l2.phi()));
    return true;
  }

  private static double smear(SplittableRandom r, double pt) {
    return pt * StrictMath.max(0, 1 + 0.1 * Draw.normal(r));
  }

  /** A measured jet (massless). */
  private record Jet(double pt, double eta, double phi, boolean tagged) {
    double px() {
      return pt * StrictMath.cos(phi);
    }

    double py() {
      return pt * StrictMath.sin(phi);
    }

    P4 p4() {
      return P4.ofPtEtaPhiM(pt, eta, phi, 0);
    }
  }
}
