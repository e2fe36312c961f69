package org.glassbox.plugins.efp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.observables.ObservableProvider;
import org.glassbox.api.observables.ParticleData;
import org.junit.jupiter.api.Test;

/** The observable provider: values against brute force, field mapping, options, names, discovery. */
class EfpObservablesTest {
  private static final EfpObservables EFP = new EfpObservables();
  private static final int MAX_PARTICLES = 6;
  /** Real particles per event; event 1 is empty, event 3 has a zero-pT particle inside its count. */
  private static final int[] COUNTS = {4, 0, 3, 5, 2, 6};

  static Options options(Object... keyValues) {
    Map<String, Object> v = new LinkedHashMap<>(Options.defaults(EFP.options()).asMap());
    for (int i = 0; i < keyValues.length; i += 2) {
      v.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Options(v);
  }

  /**
   * Random jets as [event][particle][pt, eta, phi], every padding slot (past the count) filled with
   * junk that must be ignored, and one zero-pT particle (with junk angles) inside event 3's count.
   */
  static float[][][] randomJets(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][][] jets = new float[COUNTS.length][MAX_PARTICLES][3];
    for (int e = 0; e < COUNTS.length; e++) {
      for (int a = 0; a < MAX_PARTICLES; a++) {
        if (a < COUNTS[e]) {
          jets[e][a][0] = (float) (1 + 50 * r.nextDouble());
          jets[e][a][1] = (float) (r.nextDouble() * 1.6 - 0.8);
          jets[e][a][2] = (float) (r.nextDouble() * 6.2 - 3.1); // across φ = ±π too
        } else {
          jets[e][a] = new float[] {Float.NaN, 1e6f, -7f};
        }
      }
    }
    jets[3][1] = new float[] {0f, Float.NaN, 99f};
    return jets;
  }

  /** The jets as ParticleData with the given field order (a permutation of pt, eta, phi). */
  static ParticleData particles(float[][][] jets, List<String> fields, List<String> order) {
    int width = fields.size();
    float[] data = new float[jets.length * MAX_PARTICLES * width];
    for (int e = 0; e < jets.length; e++) {
      for (int a = 0; a < MAX_PARTICLES; a++) {
        for (int f = 0; f < 3; f++) {
          int at = fields.indexOf(order.get(f));
          data[(e * MAX_PARTICLES + a) * width + at] = jets[e][a][f];
        }
      }
    }
    return new ParticleData(fields, jets.length, MAX_PARTICLES, data, COUNTS.clone());
  }

  static ParticleData standard(float[][][] jets) {
    List<String> f = List.of("pt", "eta", "phi");
    return particles(jets, f, f);
  }

  @Test
  void valuesMatchBruteForceUpToDegreeThree() {
    float[][][] jets = randomJets(31);
    Options o = options("max_degree", 3L, "kappa", List.of(0.5, 1.0), "beta", List.of(0.5, 2.0), "threads", 2L);
    Map<String, double[]> out = EFP.compute(standard(jets), o, Progress.NONE);
    EfpLibrary lib = EfpLibrary.create(3, List.of(0.5, 1.0), List.of(0.5, 2.0), Measure.HADRONIC);
    assertEquals(lib.columnNames(), new ArrayList<>(out.keySet()));
    for (EfpColumn c : lib.columns()) {
      double[] values = out.get(c.name());
      assertEquals(COUNTS.length, values.length);
      for (int e = 0; e < COUNTS.length; e++) {
        List<double[]> real = new ArrayList<>();
        for (int a = 0; a < COUNTS[e]; a++) {
          if (jets[e][a][0] > 0) {
            real.add(new double[] {jets[e][a][0], jets[e][a][1], jets[e][a][2]});
          }
        }
        double expected = 0;
        if (!real.isEmpty()) {
          double[] pt = real.stream().mapToDouble(p -> p[0]).toArray();
          double[] y = real.stream().mapToDouble(p -> p[1]).toArray();
          double[] phi = real.stream().mapToDouble(p -> p[2]).toArray();
          expected = BruteForce.efp(c.graph().vertices(), c.graph().edges(), BruteForce.z(pt, c.kappa()),
              BruteForce.hadronicTheta(y, phi, c.beta()));
        }
        EfpValuesTest.assertClose(expected, values[e], c.name() + " " + c.description() + " event " + e);
      }
    }
    // One thread gives the same numbers.
    Map<String, double[]> single = EFP.compute(standard(jets), options("max_degree", 3L, "kappa", List.of(0.5, 1.0),
        "beta", List.of(0.5, 2.0), "threads", 1L), Progress.NONE);
    for (String name : out.keySet()) {
      assertArrayEquals(out.get(name), single.get(name), 0, name);
    }
  }

  @Test
  void fieldOrderAndNamesDoNotMatter() {
    float[][][] jets = randomJets(32);
    Map<String, double[]> reference = EFP.compute(standard(jets), options("max_degree", 4L), Progress.NONE);
    ParticleData permuted = particles(jets, List.of("phi", "pt", "eta"), List.of("pt", "eta", "phi"));
    Map<String, double[]> same = EFP.compute(permuted, options("max_degree", 4L), Progress.NONE);
    ParticleData renamed = particles(jets, List.of("charge", "part_phi", "part_eta", "part_pt"),
        List.of("part_pt", "part_eta", "part_phi"));
    Map<String, double[]> mapped = EFP.compute(renamed, options("max_degree", 4L, "pt", "part_pt", "eta", "part_eta", "phi",
        "part_phi"), Progress.NONE);
    assertEquals(new ArrayList<>(reference.keySet()), new ArrayList<>(same.keySet()));
    assertEquals(new ArrayList<>(reference.keySet()), new ArrayList<>(mapped.keySet()));
    for (String name : reference.keySet()) {
      assertArrayEquals(reference.get(name), same.get(name), 0, name);
      assertArrayEquals(reference.get(name), mapped.get(name), 0, name);
    }
  }

  @Test
  void eeReadsFourVectors() {
    SplittableRandom r = new SplittableRandom(33);
    int events = 3;
    int max = 4;
    int[] counts = {4, 2, 3};
    List<String> fields = List.of("pz", "E", "px", "py");
    float[] data = new float[events * max * 4];
    double[][] e = new double[events][];
    double[][] px = new double[events][];
    double[][] py = new double[events][];
    double[][] pz = new double[events][];
    for (int ev = 0; ev < events; ev++) {
      e[ev] = new double[counts[ev]];
      px[ev] = new double[counts[ev]];
      py[ev] = new double[counts[ev]];
      pz[ev] = new double[counts[ev]];
      for (int a = 0; a < counts[ev]; a++) {
        float x = (float) (r.nextDouble() * 10 - 5);
        float y = (float) (r.nextDouble() * 10 - 5);
        float z = (float) (r.nextDouble() * 10 - 5);
        float en = (float) Math.sqrt(x * x + y * y + z * z + (a % 2) * 0.3);
        int at = (ev * max + a) * 4;
        data[at] = z;
        data[at + 1] = en;
        data[at + 2] = x;
        data[at + 3] = y;
        e[ev][a] = en;
        px[ev][a] = x;
        py[ev][a] = y;
        pz[ev][a] = z;
      }
    }
    ParticleData p = new ParticleData(fields, events, max, data, counts);
    Map<String, double[]> out = EFP.compute(p, options("measure", "ee", "max_degree", 3L, "energy", "E"), Progress.NONE);
    EfpLibrary lib = EfpLibrary.create(3, List.of(1.0), List.of(0.5, 1.0, 2.0), Measure.EE);
    double[][] expected = lib.compute(JetBatch.fourVectors(e, px, py, pz));
    assertEquals(lib.columnNames(), new ArrayList<>(out.keySet()));
    for (EfpColumn c : lib.columns()) {
      for (int ev = 0; ev < events; ev++) {
        assertEquals(expected[ev][c.index()], out.get(c.name())[ev], 0, c.name());
      }
    }
    // The ee measure on (pt, eta, phi) data names what it lacks.
    OptionException x = assertThrows(OptionException.class,
        () -> EFP.compute(standard(randomJets(1)), options("measure", "ee"), Progress.NONE));
    assertTrue(x.getMessage().contains("'e' (option energy)"), x.getMessage());
    assertTrue(x.getMessage().contains("'px'") && x.getMessage().contains("'pz'"), x.getMessage());
    assertTrue(x.getMessage().contains("pt, eta, phi"), x.getMessage());
  }

  @Test
  void badOptionsNameTheOption() {
    ParticleData p = standard(randomJets(2));
    assertBad(p, "max_degree", "max_degree", 0L);
    assertBad(p, "max_degree", "max_degree", (long) EfpLibraryOptions.MAX_DEGREE + 1);
    assertBad(p, "kappa", "kappa", List.of());
    assertBad(p, "kappa", "kappa", List.of(1.0, Double.NaN));
    assertBad(p, "kappa", "kappa", List.of(1.0, 1.0));
    assertBad(p, "beta", "beta", List.of(0.0));
    assertBad(p, "beta", "beta", List.of(1.0, -2.0));
    assertBad(p, "threads", "threads", -1L);
    assertBad(p, "measure", "measure", "pp");
    OptionException unknown = assertBad(p, "pt", "pt", "pT");
    assertTrue(unknown.getMessage().contains("'pT'") && unknown.getMessage().contains("pt, eta, phi"),
        unknown.getMessage());
    assertBad(p, "phi", "phi", "eta");
    // describe() validates too.
    assertThrows(OptionException.class, () -> EFP.describe("efp_d1_k1_b1_g1", options("beta", List.of(0.0))));
  }

  private static OptionException assertBad(ParticleData p, String option, Object... keyValues) {
    OptionException x = assertThrows(OptionException.class, () -> EFP.compute(p, options(keyValues), Progress.NONE));
    assertEquals(option, x.option());
    assertTrue(x.getMessage().contains(option), x.getMessage());
    return x;
  }

  @Test
  void badDataNamesTheEvent() {
    float[][][] jets = randomJets(3);
    jets[4][1][0] = -2f;
    GlassboxException x = assertThrows(GlassboxException.class,
        () -> EFP.compute(standard(jets), options("max_degree", 2L), Progress.NONE));
    assertTrue(x.getMessage().contains("event 4, particle 1") && x.getMessage().contains("pt"), x.getMessage());
  }

  @Test
  void namesAreUniqueAndDescribed() {
    Options defaults = Options.defaults(EFP.options());
    Map<String, double[]> out = EFP.compute(standard(randomJets(4)), defaults, Progress.NONE);
    assertEquals(102 * 3, out.size());
    assertEquals(out.size(), new HashSet<>(out.keySet()).size());
    assertTrue(out.containsKey("efp_d3_k1_b1_g7"));
    for (String name : out.keySet()) {
      assertTrue(name.matches("efp_d[0-9]_k[0-9a-z]+_b[0-9a-z]+_g[0-9]+"), name);
      assertFalse(EFP.describe(name, defaults).isEmpty(), name);
    }
    assertEquals("", EFP.describe("nonsense", defaults));
    Options primes = options("prime_only", true, "kappa", List.of(-1.0, 0.5), "beta", List.of(1.0));
    Map<String, double[]> prime = EFP.compute(standard(randomJets(4)), primes, Progress.NONE);
    assertEquals(54 * 2, prime.size());
    assertTrue(prime.containsKey("efp_d2_km1_b1_g3") && prime.containsKey("efp_d2_k0p5_b1_g3"), prime.keySet().toString());
    EfpLibrary lib = EfpLibrary.create(5, List.of(1.0), List.of(1.0), Measure.HADRONIC);
    for (EfpColumn c : lib.columns()) {
      String d = EFP.describe(c.name(), options("beta", List.of(1.0)));
      assertTrue(d.contains(c.graph().description()) && d.contains("κ=1.0") && d.contains("β=1.0"), d);
      if (!c.graph().prime()) {
        assertTrue(d.contains("composite"), d);
        assertEquals("", EFP.describe(c.name(), options("beta", List.of(1.0), "prime_only", true)));
      }
    }
  }

  @Test
  void progressCountsEventsAndCancels() {
    int events = 300;
    float[] data = new float[events * 2 * 3];
    int[] counts = new int[events];
    for (int e = 0; e < events; e++) {
      counts[e] = 2;
      data[e * 6] = 1;
      data[e * 6 + 3] = 2;
      data[e * 6 + 4] = 0.1f;
    }
    ParticleData p = new ParticleData(List.of("pt", "eta", "phi"), events, 2, data, counts);
    List<Long> steps = new ArrayList<>();
    long[] total = {-1};
    Progress recording = new Progress() {
      @Override
      public void start(String task, long n) {
        total[0] = n;
      }

      @Override
      public void step(long done) {
        steps.add(done);
      }

      @Override
      public void checkCancelled() {}
    };
    Map<String, double[]> out = EFP.compute(p, options("max_degree", 2L, "threads", 1L), recording);
    assertEquals(events, total[0]);
    assertTrue(steps.size() > 1, steps.toString());
    assertEquals(events, steps.get(steps.size() - 1));
    double[] d1 = out.get("efp_d1_k1_b2_g1"); // Σ z_a z_b Δ² = 2 · (1/3)(2/3) · 0.1² (φ = 0 for both)
    assertEquals(2 * (1.0 / 3) * (2.0 / 3) * (double) 0.1f * 0.1f, d1[events - 1], 1e-8);
    class Cancelled extends RuntimeException {}
    Progress cancelling = new Progress() {
      @Override
      public void start(String task, long n) {}

      @Override
      public void step(long done) {}

      @Override
      public void checkCancelled() {
        throw new Cancelled();
      }
    };
    assertThrows(Cancelled.class, () -> EFP.compute(p, options("max_degree", 2L), cancelling));
  }

  @Test
  void declaredAndDiscovered() throws IOException {
    List<String> names = EFP.options().stream().map(OptionSpec::name).toList();
    assertEquals(List.of("max_degree", "kappa", "beta", "measure", "prime_only", "threads", "pt", "eta", "phi", "energy",
        "px", "py", "pz"), names);
    assertEquals("efp", EFP.id());
    assertFalse(EFP.description().isEmpty());
    assertFalse(EFP.conventions().isEmpty());
    // Class path: META-INF/services (the tests run on the class path).
    assertTrue(ServiceLoader.load(ObservableProvider.class).stream().anyMatch(pr -> pr.type() == EfpObservables.class));
    // Module path: module-info provides it.
    Path classes;
    try {
      classes = Path.of(EfpObservables.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor md = ModuleDescriptor.read(in);
      assertTrue(md.provides().stream().anyMatch(pr -> pr.service().equals(ObservableProvider.class.getName())
          && pr.providers().equals(List.of(EfpObservables.class.getName()))), md.provides().toString());
    }
    try (InputStream in = EfpObservables.class.getResourceAsStream("/META-INF/services/" + ObservableProvider.class.getName())) {
      assertEquals(EfpObservables.class.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
    assertTrue(Arrays.stream(EfpObservables.class.getConstructors()).anyMatch(c -> c.getParameterCount() == 0));
  }
}
