package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.OptionType;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.observables.ObservableProvider;
import org.glassbox.api.observables.ParticleData;

/**
 * Energy flow polynomials as observables (id {@code efp}): one column per multigraph with at most
 * {@code max_degree} edges and per (κ, β) of the grid, named as {@link EfpLibrary} names them
 * ({@code efp_d3_k1_b1_g7}) and in its order (κ-major, then β, then graph).
 *
 * <p>Hadronic events are read from the fields named by the options {@code pt}, {@code eta},
 * {@code phi}; e⁺e⁻ events ({@code measure: ee}) from four-vectors in the fields named by
 * {@code energy}, {@code px}, {@code py}, {@code pz}, as {@link JetBatch} takes them. Particles past
 * an event's count are ignored, and so are particles with zero pT (or E) within it.
 */
public final class EfpObservables implements ObservableProvider {
  /** Jets per progress step and thread: a chunk is split over the threads by the library. */
  private static final int JETS_PER_THREAD_PER_CHUNK = 64;
  /** At most this many progress steps, so that huge data sets are cut in few large chunks. */
  private static final int MAX_CHUNKS = 200;

  private static final List<String> HADRONIC_FIELDS = List.of("pt", "eta", "phi");
  private static final List<String> EE_FIELDS = List.of("energy", "px", "py", "pz");

  /** The library of the last options seen (building the graph catalogue is not free at d ≥ 7). */
  private volatile Cached cached;

  private record Cached(EfpLibraryOptions key, EfpLibrary library, Map<String, EfpColumn> byName) {}

  /** Options after validation. {@code fieldOptions} names the options that say which fields to read. */
  private record Settings(EfpLibraryOptions library, boolean primeOnly, int threads, List<String> fieldOptions,
      List<String> fieldNames) {}

  @Override
  public String id() {
    return "efp";
  }

  @Override
  public String description() {
    return "energy flow polynomials of each event's particles, one column per multigraph and (κ, β) (METHODS.md §8, seed 002)";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.integer("max_degree", 5, "largest number of edges d of the graphs (1.." + EfpLibraryOptions.MAX_DEGREE
            + "); all graphs with d ≤ max_degree are included, the one-vertex d = 0 graph too: d ≤ 5 gives 102 graphs"
            + " (54 prime), d ≤ 7 1000 (490 prime), d ≤ 8 3389 (1673 prime)"),
        new OptionSpec("kappa", OptionType.NUMBER_LIST, List.of(1.0),
            "energy exponents κ, z_a = (x_a / Σ_b x_b)^κ (finite, distinct; only κ = 1 is IRC-safe)", List.of()),
        new OptionSpec("beta", OptionType.NUMBER_LIST, List.of(0.5, 1.0, 2.0),
            "angular exponents β, θ_ab = distance_ab^β (> 0, distinct)", List.of()),
        OptionSpec.choice("measure", "hadronic", "hadronic: x = pT, distance² = Δy² + Δφ² (fields pt, eta, phi);"
            + " ee: x = E, distance² = |2 p_a·p_b / (E_a E_b)| from four-vectors (fields energy, px, py, pz)", "hadronic", "ee"),
        OptionSpec.bool("prime_only", false, "keep only the prime (connected) graphs; otherwise composite graphs are"
            + " included too, computed as products of their prime factors"),
        OptionSpec.integer("threads", 0, "threads to compute with; 0 = all cores"),
        OptionSpec.text("pt", "pt", "field holding each particle's transverse momentum (hadronic; 0 = padding)"),
        OptionSpec.text("eta", "eta", "field holding each particle's rapidity or pseudorapidity (hadronic)"),
        OptionSpec.text("phi", "phi", "field holding each particle's azimuth in radians, any range (hadronic)"),
        OptionSpec.text("energy", "e", "field holding each particle's energy E (measure ee; 0 = padding)"),
        OptionSpec.text("px", "px", "field holding each particle's momentum x component (measure ee)"),
        OptionSpec.text("py", "py", "field holding each particle's momentum y component (measure ee)"),
        OptionSpec.text("pz", "pz", "field holding each particle's momentum z component (measure ee)"));
  }

  @Override
  public String conventions() {
    return "z_a = (x_a / Σ_b x_b)^κ with x = pT (hadronic) or E (ee), METHODS.md's form (EnergyFlow's normed z = x^κ / Σ x^κ"
        + " agrees at κ = 1 only). Hadronic: θ_ab = (Δy² + Δφ²)^(β/2), Δφ wrapped to (−π, π], y rapidity or pseudorapidity"
        + " as the data holds it. ee: θ_ab = |2 p_a·p_b / (E_a E_b)|^(β/2) with the Minkowski product, EnergyFlow's 'ee'"
        + " measure (diagonal 2m²/E² kept, 0 for massless particles). Particles with zero pT (E), or past the event's"
        + " count, are padding. The one-vertex graph (d = 0, EFP = Σ z_a: 1 at κ = 1, the multiplicity at κ = 0) is"
        + " included, once per β. Columns: efp_d<d>_k<κ>_b<β>_g<graph>, '.' written 'p' and '-' written 'm';"
        + " κ-major, then β, then graph. Only κ = 1 columns are IRC-safe.";
  }

  @Override
  public Map<String, double[]> compute(ParticleData particles, Options options, Progress progress) {
    Settings s = settings(options);
    int[] fields = fieldIndices(particles, s);
    Cached lib = library(s.library());
    List<EfpColumn> kept = kept(lib.library(), s.primeOnly());
    int events = particles.events();
    double[][] out = new double[kept.size()][events];
    int chunk = Math.max(s.threads() * JETS_PER_THREAD_PER_CHUNK, (events + MAX_CHUNKS - 1) / MAX_CHUNKS);
    chunk = Math.max(chunk, 1);
    progress.start("energy flow polynomials (" + kept.size() + " columns)", events);
    progress.checkCancelled();
    for (int from = 0; from < events; from += chunk) {
      int to = Math.min(events, from + chunk);
      JetBatch batch = batch(particles, from, to, fields, s);
      double[][] values = lib.library().compute(batch, Math.max(1, Math.min(s.threads(), to - from)));
      for (int c = 0; c < kept.size(); c++) {
        int index = kept.get(c).index();
        double[] column = out[c];
        for (int j = from; j < to; j++) {
          column[j] = values[j - from][index];
        }
      }
      progress.step(to);
      progress.checkCancelled();
    }
    Map<String, double[]> result = new LinkedHashMap<>();
    for (int c = 0; c < kept.size(); c++) {
      result.put(kept.get(c).name(), out[c]);
    }
    return result;
  }

  /**
   * E.g. {@code EFP (0,1)(0,1)(1,2) κ=1.0 β=0.5: 3 vertices, 3 edges, prime, O(M^3)}; "" for a name
   * that is not one of the columns these options give.
   */
  @Override
  public String describe(String column, Options options) {
    Settings s = settings(options);
    Cached lib = library(s.library());
    EfpColumn c = lib.byName().get(column);
    if (c == null || (s.primeOnly() && !c.graph().prime())) {
      return "";
    }
    EfpGraph g = c.graph();
    StringBuilder sb = new StringBuilder("EFP ").append(c.description()).append(": ")
        .append(g.vertices()).append(g.vertices() == 1 ? " vertex, " : " vertices, ")
        .append(g.degree()).append(g.degree() == 1 ? " edge, " : " edges, ");
    if (g.prime()) {
      sb.append("prime, O(M^").append(g.chi()).append(')');
    } else {
      sb.append("composite = ");
      for (int i = 0; i < g.primeFactors().size(); i++) {
        sb.append(i == 0 ? "" : " × ").append(EfpColumn.nameOf(lib.library().graphs().get(g.primeFactors().get(i)),
            c.kappa(), c.beta()));
      }
    }
    return sb.toString();
  }

  /** The library's columns, or its prime ones. */
  private static List<EfpColumn> kept(EfpLibrary lib, boolean primeOnly) {
    if (!primeOnly) {
      return lib.columns();
    }
    List<EfpColumn> out = new ArrayList<>();
    for (EfpColumn c : lib.columns()) {
      if (c.graph().prime()) {
        out.add(c);
      }
    }
    return out;
  }

  private Cached library(EfpLibraryOptions o) {
    Cached c = cached;
    if (c != null && c.key().equals(o)) {
      return c;
    }
    EfpLibrary lib = EfpLibrary.create(o);
    Map<String, EfpColumn> byName = new HashMap<>();
    for (EfpColumn col : lib.columns()) {
      byName.put(col.name(), col);
    }
    c = new Cached(o, lib, Map.copyOf(byName));
    cached = c;
    return c;
  }

  private static Settings settings(Options o) {
    long degree = o.integer("max_degree");
    if (degree < 1 || degree > EfpLibraryOptions.MAX_DEGREE) {
      throw new OptionException("max_degree", "max_degree must be between 1 and " + EfpLibraryOptions.MAX_DEGREE + ", got "
          + degree + ".");
    }
    List<Double> kappas = numbers(o, "kappa", false);
    List<Double> betas = numbers(o, "beta", true);
    String m = o.string("measure");
    Measure measure = switch (m == null ? "" : m) {
      case "hadronic" -> Measure.HADRONIC;
      case "ee" -> Measure.EE;
      default -> throw new OptionException("measure", "measure must be hadronic or ee, got '" + m + "'.");
    };
    long threads = o.integer("threads");
    if (threads < 0) {
      throw new OptionException("threads", "threads must be 0 (all cores) or more, got " + threads + ".");
    }
    int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : (int) Math.min(threads, 1024);
    List<String> fieldOptions = measure == Measure.HADRONIC ? HADRONIC_FIELDS : EE_FIELDS;
    List<String> fieldNames = new ArrayList<>();
    for (String opt : fieldOptions) {
      String name = o.string(opt);
      if (name == null || name.isBlank()) {
        throw new OptionException(opt, opt + " must name a particle field.");
      }
      fieldNames.add(name);
    }
    return new Settings(new EfpLibraryOptions((int) degree, kappas, betas, measure), o.bool("prime_only"), t, fieldOptions,
        List.copyOf(fieldNames));
  }

  /** A list-of-numbers option, checked as {@link EfpLibraryOptions} would, but naming the option. */
  private static List<Double> numbers(Options o, String name, boolean positive) {
    List<?> raw = o.numbers(name);
    if (raw == null || raw.isEmpty()) {
      throw new OptionException(name, name + " must list at least one number.");
    }
    List<Double> out = new ArrayList<>();
    Set<Double> seen = new LinkedHashSet<>();
    for (Object v : raw) {
      if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new OptionException(name, name + " must be finite numbers, got " + v + ".");
      }
      double x = n.doubleValue() == 0 ? 0.0 : n.doubleValue(); // -0.0 and 0.0 are one κ
      if (positive && x <= 0) {
        throw new OptionException(name, name + " must be > 0, got " + x + ".");
      }
      if (!seen.add(x)) {
        throw new OptionException(name, name + " lists " + x + " twice.");
      }
      out.add(x);
    }
    return List.copyOf(out);
  }

  /** The data's index of each field the measure reads; an OptionException names the missing ones. */
  private static int[] fieldIndices(ParticleData p, Settings s) {
    int[] idx = new int[s.fieldNames().size()];
    List<String> missing = new ArrayList<>();
    List<String> missingOptions = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      idx[i] = p.field(s.fieldNames().get(i));
      if (idx[i] < 0) {
        missing.add("'" + s.fieldNames().get(i) + "' (option " + s.fieldOptions().get(i) + ")");
        missingOptions.add(s.fieldOptions().get(i));
      }
    }
    if (!missing.isEmpty()) {
      String measure = s.library().measure() == Measure.HADRONIC ? "the hadronic measure" : "measure ee (four-vectors)";
      throw new OptionException(missingOptions.get(0), measure + " needs field" + (missing.size() == 1 ? " " : "s ")
          + String.join(", ", missing) + ", which the particle data lacks; its fields are: " + String.join(", ", p.fields())
          + ". Set " + String.join(", ", missingOptions) + " to the field names.");
    }
    for (int i = 0; i < idx.length; i++) {
      for (int k = 0; k < i; k++) {
        if (idx[i] == idx[k]) {
          throw new OptionException(s.fieldOptions().get(i), s.fieldOptions().get(k) + " and " + s.fieldOptions().get(i)
              + " both name the field '" + s.fieldNames().get(i) + "'.");
        }
      }
    }
    return idx;
  }

  /**
   * Events [from, to) as a JetBatch: the first count particles of each, checked here so that
   * messages give the event's own index and the field's name.
   */
  private static JetBatch batch(ParticleData p, int from, int to, int[] fields, Settings s) {
    int n = to - from;
    int nf = fields.length;
    int width = p.fields().size();
    float[] data = p.data();
    double[][][] cols = new double[nf][n][];
    for (int j = 0; j < n; j++) {
      int event = from + j;
      int count = p.counts()[event];
      if (count < 0 || count > p.maxParticles()) {
        throw new GlassboxException("event " + event + ": particle count " + count + " is outside 0.." + p.maxParticles());
      }
      for (int c = 0; c < nf; c++) {
        cols[c][j] = new double[count];
      }
      int base = event * p.maxParticles() * width;
      for (int a = 0; a < count; a++) {
        int row = base + a * width;
        double x = data[row + fields[0]];
        if (!(x >= 0) || Double.isInfinite(x)) {
          throw new GlassboxException("event " + event + ", particle " + a + ": " + s.fieldOptions().get(0) + " (field '"
              + s.fieldNames().get(0) + "') must be finite and ≥ 0, got " + x);
        }
        cols[0][j][a] = x;
        for (int c = 1; c < nf; c++) {
          double v = data[row + fields[c]];
          if (x > 0 && !Double.isFinite(v)) {
            throw new GlassboxException("event " + event + ", particle " + a + ": " + s.fieldOptions().get(c) + " (field '"
                + s.fieldNames().get(c) + "') is " + v);
          }
          cols[c][j][a] = x > 0 ? v : 0; // padding inside the count may hold anything
        }
      }
    }
    return s.library().measure() == Measure.HADRONIC
        ? JetBatch.hadronic(cols[0], cols[1], cols[2], null)
        : JetBatch.fourVectors(cols[0], cols[1], cols[2], cols[3], null);
  }
}
