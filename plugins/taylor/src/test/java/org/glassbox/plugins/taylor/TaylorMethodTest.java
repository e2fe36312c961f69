package org.glassbox.plugins.taylor;

import org.glassbox.testing.EngineModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.Relevance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * polynomial.onnx (make_fixtures.py): z = 3·x0 + x0·x1 − ½·x1² + 2·x1·x2 + x0·x2² − x2, whose
 * derivatives are closed forms:
 *
 * <pre>
 * t0 = 3 + x1 + x2²,   t1 = x0 − x1 + 2·x2,   t2 = 2·x1 + 2·x0·x2 − 1
 * t00 = 0, t01 = 1, t02 = 2·x2, t11 = −1, t12 = 2, t22 = 2·x0
 * </pre>
 *
 * <p>With METHODS.md §5's factors the coefficients are c_i = t_i, c_ij = t_ij (i &lt; j) and
 * c_ii = t_ii / 2, in the feature order x0, x1, x2, x0^2, x0*x1, x0*x2, x1^2, x1*x2, x2^2.
 */
class TaylorMethodTest {
  static final int N = 2_000;
  static EngineModel model;
  static EngineModel.Events data;

  @BeforeAll
  static void setUp() {
    model = EngineModel.load("polynomial.onnx");
    SplittableRandom r = new SplittableRandom(31);
    float[] x = new float[N * 3];
    double[] w = new double[N];
    for (int e = 0; e < N; e++) {
      x[3 * e] = (float) (4 * r.nextDouble() - 2);
      x[3 * e + 1] = (float) (3 * r.nextGaussian());
      x[3 * e + 2] = (float) (0.5 + r.nextGaussian());
      w[e] = 0.2 + 2 * r.nextDouble();
    }
    data = new EngineModel.Events(FloatTensor.of(x, N, 3), List.of("a", "b", "c"), w, Optional.empty());
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  /** The closed-form coefficients of event e, in feature order, in double. */
  static double[] coefficients(int e) {
    float[] x = data.inputs().data();
    double x0 = x[3 * e];
    double x1 = x[3 * e + 1];
    double x2 = x[3 * e + 2];
    return new double[] {
      3 + x1 + x2 * x2, x0 - x1 + 2 * x2, 2 * x1 + 2 * x0 * x2 - 1, // first order
      0, 1, 2 * x2, // x0^2 = t00/2, x0*x1, x0*x2
      -0.5, 2, // x1^2 = t11/2, x1*x2
      x0 // x2^2 = t22/2
    };
  }

  @Test
  void secondOrderCoefficientsAreTheClosedForms() {
    Attribution a = model.run(new TaylorMethod(), "output", data, Map.of("per_event", true), 0);
    assertEquals(List.of("a", "b", "c", "a^2", "a*b", "a*c", "b^2", "b*c", "c^2"), a.features());
    assertEquals(List.of(List.of(0), List.of(1), List.of(2), List.of(0), List.of(0, 1), List.of(0, 2), List.of(1),
        List.of(1, 2), List.of(2)), a.inputsOf().stream().map(v -> java.util.Arrays.stream(v).boxed().toList()).toList());
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {N, 9}, pe.shape());
    double[] w = data.weights();
    double[] sum = new double[9];
    double sw = 0;
    for (int e = 0; e < N; e++) {
      double[] c = coefficients(e);
      for (int k = 0; k < 9; k++) {
        float got = pe.data()[9 * e + k];
        assertEquals(c[k], got, 1e-4 + 1e-5 * Math.abs(c[k]), "event " + e + " feature " + a.features().get(k));
        sum[k] += w[e] * Math.abs(c[k]);
      }
      sw += w[e];
    }
    double[] v = a.values();
    for (int k = 0; k < 9; k++) assertEquals(sum[k] / sw, v[k], 1e-5 * (1 + sum[k] / sw), a.features().get(k));
    // Constant coefficients have mean exactly that constant and no spread.
    assertEquals(0.0, v[3]);
    assertEquals(1.0, v[4], 1e-6);
    assertEquals(0.5, v[6], 1e-6);
    assertEquals(0.0, a.errors()[4], 1e-6);
  }

  @Test
  void firstOrderIsTheGradient() {
    Attribution a = model.run(new TaylorMethod(), "output", data, Map.of("order", 1, "per_event", true), 0);
    assertEquals(List.of("a", "b", "c"), a.features());
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {N, 3}, pe.shape());
    for (int e = 0; e < N; e++) {
      double[] c = coefficients(e);
      for (int i = 0; i < 3; i++) assertEquals(c[i], pe.data()[3 * e + i], 1e-4 + 1e-5 * Math.abs(c[i]));
    }
    // And the first three features of order 2 are the same numbers.
    Attribution two = model.run(new TaylorMethod(), "output", data, Map.of("per_event", true), 0);
    for (int e = 0; e < N; e++) {
      for (int i = 0; i < 3; i++) assertEquals(pe.data()[3 * e + i], two.perEvent().orElseThrow().data()[9 * e + i]);
    }
    for (int i = 0; i < 3; i++) assertEquals(a.values()[i], two.values()[i]);
  }

  @Test
  void perEventShapeIsFPlusFFPlusOneHalfAndTheHessianMapsToTheUpperTriangle() {
    // 30 inputs: 30 + 465 = 495 features (seed 003's Higgs application). A stand-in model with a
    // known, deliberately asymmetric "Hessian" h_ij = 100·i + j + e checks where each entry goes:
    // c_ii = h_ii / 2 and c_ij = (h_ij + h_ji) / 2 for i < j, in the order of Monomials.
    int f = 30;
    int n = 3;
    FloatTensor x = FloatTensor.of(new float[n * f], n, f);
    ModelAccess known = new KnownDerivatives();
    Attribution a = run(known, x, new double[] {1, 1, 1}, Map.of("per_event", true));
    assertEquals(495, a.features().size());
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {n, 495}, pe.shape());
    assertEquals("x0", a.features().get(0));
    assertEquals("x0^2", a.features().get(30));
    assertEquals("x0*x1", a.features().get(31));
    assertEquals("x29^2", a.features().get(494));
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < f; i++) assertEquals(10f * i - e, pe.data()[495 * e + i]);
      int k = 30;
      for (int i = 0; i < f; i++) {
        for (int j = i; j < f; j++) {
          double expect = i == j ? (100.0 * i + i + e) / 2 : ((100.0 * i + j + e) + (100.0 * j + i + e)) / 2;
          assertEquals(expect, pe.data()[495 * e + k], 1e-4, "event " + e + " " + a.features().get(k));
          k++;
        }
      }
    }
    // 5 % of 495 features is ceil(24.75) = 25.
    assertEquals(25.0, a.summary().get("top features").mean()[0], 1e-12);
  }

  /** Runs the method on any model access with the neuron "output". */
  static Attribution run(ModelAccess model, FloatTensor x, double[] w, Map<String, Object> options) {
    Map<String, Object> values = new java.util.LinkedHashMap<>(Options.defaults(new TaylorMethod().options()).asMap());
    values.putAll(options);
    Options opts = new Options(values);
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < x.eventSize(); i++) names.add("x" + i);
    EventData data = new EngineModel.Events(x, names, w, Optional.empty());
    Neuron neuron = new Neuron("output", "z", 0, 1);
    return new TaylorMethod().attribute(new AttributionContext() {
      @Override
      public ModelAccess model() {
        return model;
      }

      @Override
      public Neuron neuron() {
        return neuron;
      }

      @Override
      public EventData data() {
        return data;
      }

      @Override
      public Options options() {
        return opts;
      }

      @Override
      public long seed() {
        return 0;
      }
    });
  }

  /** Gradient g_i = 10·i − e and "Hessian" h_ij = 100·i + j + e for event e, whatever the inputs. */
  static final class KnownDerivatives implements ModelAccess {
    @Override
    public String name() {
      return "known";
    }

    @Override
    public FloatTensor value(Neuron neuron, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
      int n = inputs.events();
      int f = inputs.eventSize();
      float[] g = new float[n * f];
      for (int e = 0; e < n; e++) for (int i = 0; i < f; i++) g[e * f + i] = 10f * i - e;
      return FloatTensor.of(g, n, f);
    }

    @Override
    public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
      int n = inputs.events();
      int f = inputs.eventSize();
      float[] h = new float[n * f * f];
      for (int e = 0; e < n; e++) {
        for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) h[(e * f + i) * f + j] = 100f * i + j + e;
      }
      return FloatTensor.of(h, n, f, f);
    }

    @Override
    public ModelAccess cutAt(String layerTensor) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Relevance relevance(Neuron neuron, FloatTensor inputs, LrpComposite composite, boolean atPreActivation) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatTensor activations(String tensor, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void standardisedScaleMultipliesBySigmas() {
    Attribution raw = model.run(new TaylorMethod(), "output", data, Map.of("per_event", true), 0);
    Attribution std = model.run(new TaylorMethod(), "output", data, Map.of("per_event", true, "scale", "standardised"),
        0);
    // Weighted standard deviations of the inputs, computed here.
    float[] x = data.inputs().data();
    double[] w = data.weights();
    double[] s = new double[3];
    for (int i = 0; i < 3; i++) {
      double sw = 0;
      double m = 0;
      for (int e = 0; e < N; e++) {
        sw += w[e];
        m += w[e] * x[3 * e + i];
      }
      m /= sw;
      double v = 0;
      for (int e = 0; e < N; e++) v += w[e] * (x[3 * e + i] - m) * (x[3 * e + i] - m);
      s[i] = Math.sqrt(v / sw);
      assertEquals(s[i], std.summary().get("scale " + List.of("a", "b", "c").get(i)).mean()[0], 1e-6 * s[i]);
    }
    assertTrue(raw.summary().keySet().stream().noneMatch(k -> k.startsWith("scale ")));
    double[] factor = {s[0], s[1], s[2], s[0] * s[0], s[0] * s[1], s[0] * s[2], s[1] * s[1], s[1] * s[2], s[2] * s[2]};
    float[] pr = raw.perEvent().orElseThrow().data();
    float[] ps = std.perEvent().orElseThrow().data();
    for (int e = 0; e < N; e++) {
      for (int k = 0; k < 9; k++) assertEquals(pr[9 * e + k] * factor[k], ps[9 * e + k], 1e-5 * (1 + Math.abs(ps[9 * e + k])));
    }
    for (int k = 0; k < 9; k++) assertEquals(raw.values()[k] * factor[k], std.values()[k], 1e-5 * (1 + std.values()[k]));
    assertTrue(std.scoreName().contains("standardised"));
  }

  @Test
  void unweightedIgnoresTheWeights() {
    Attribution a = model.run(new TaylorMethod(), "output", data, Map.of("unweighted", true), 0);
    double[] sum = new double[9];
    for (int e = 0; e < N; e++) {
      double[] c = coefficients(e);
      for (int k = 0; k < 9; k++) sum[k] += Math.abs(c[k]);
    }
    for (int k = 0; k < 9; k++) assertEquals(sum[k] / N, a.values()[k], 1e-5 * (1 + sum[k] / N));
  }

  @Test
  void selectionTakesTheVariablesOfTheTopCeilPercentFeatures() {
    assertEquals(25, TaylorMethod.topCount(5, 495));
    assertEquals(5, TaylorMethod.topCount(5, 100));
    assertEquals(7, TaylorMethod.topCount(7, 100));
    assertEquals(1, TaylorMethod.topCount(5, 20));
    assertEquals(2, TaylorMethod.topCount(5, 21));
    assertEquals(1, TaylorMethod.topCount(0.001, 9));
    assertEquals(9, TaylorMethod.topCount(100, 9));

    // 30 variables, 495 features: the top 25 scores are chosen so that they involve exactly the
    // variables {0, 3, 7, 8, 12}; everything else scores lower.
    Monomials m = Monomials.of(30, 2);
    double[] scores = new double[495];
    for (int k = 0; k < 495; k++) scores[k] = 1e-3 * ((k * 37) % 101) / 101.0;
    List<int[]> vars = m.variablesOf();
    java.util.Set<Integer> wanted = java.util.Set.of(0, 3, 7, 8, 12);
    int placed = 0;
    for (int k = 0; k < 495 && placed < 25; k++) {
      boolean inside = true;
      for (int v : vars.get(k)) inside &= wanted.contains(v);
      if (inside) scores[k] = 10 + placed++;
    }
    assertEquals(20, placed, "5 first-order features and 15 pairs and squares of the 5 variables");
    // Ranks 21 to 25: the first-order features of x20 ... x24; rank 26 (x25) is just out.
    scores[20] = 5; // x20
    scores[21] = 5; // x21
    scores[22] = 5; // x22
    scores[23] = 5; // x23
    scores[24] = 4.5; // x24: rank 25, the last one in
    scores[25] = 4.4; // x25: rank 26, just out
    boolean[] selected = TaylorMethod.select(scores, m, 5);
    for (int v = 0; v < 30; v++) {
      boolean expect = wanted.contains(v) || (v >= 20 && v <= 24);
      assertEquals(expect, selected[v], "variable " + v);
    }
    // A pair feature selects both its variables.
    double[] pair = new double[495];
    int k17x29 = 30 + indexOfPair(17, 29, 30);
    assertEquals("x17*x29", m.names(names(30)).get(k17x29));
    pair[k17x29] = 1;
    boolean[] one = TaylorMethod.select(pair, m, 0.1);
    for (int v = 0; v < 30; v++) assertEquals(v == 17 || v == 29, one[v], "variable " + v);
  }

  private static int indexOfPair(int i, int j, int f) {
    int k = 0;
    for (int a = 0; a < f; a++) for (int b = a; b < f; b++) {
      if (a == i && b == j) return k;
      k++;
    }
    throw new IllegalArgumentException();
  }

  private static List<String> names(int f) {
    List<String> n = new java.util.ArrayList<>();
    for (int i = 0; i < f; i++) n.add("x" + i);
    return n;
  }

  @Test
  void theSummaryFlagsTheSelectedVariables() {
    // 9 features, 20 % -> ceil(1.8) = 2 top features, ranked by the weighted mean |c| of the closed
    // forms: those of a and c (about 4.6 and 5), ahead of b (about 3) and every second-order term.
    Attribution a = model.run(new TaylorMethod(), "output", data, Map.of("select_percent", 20), 0);
    assertEquals(2.0, a.summary().get("top features").mean()[0], 1e-12);
    double[] v = new double[9];
    for (int e = 0; e < N; e++) {
      double[] c = coefficients(e);
      for (int k = 0; k < 9; k++) v[k] += data.weights()[e] * Math.abs(c[k]);
    }
    Integer[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    java.util.Arrays.sort(order, (p, q) -> Double.compare(v[q], v[p]));
    boolean[] expect = new boolean[3];
    for (int r = 0; r < 2; r++) for (int var : a.inputsOf().get(order[r])) expect[var] = true;
    int count = 0;
    for (int i = 0; i < 3; i++) {
      assertEquals(expect[i] ? 1.0 : 0.0, a.summary().get("selected " + List.of("a", "b", "c").get(i)).mean()[0], 1e-12);
      if (expect[i]) count++;
    }
    assertEquals(count, a.summary().get("selected variables").mean()[0], 1e-12);
    assertArrayEquals(new boolean[] {true, false, true}, expect, "the fixture's data make a and c lead");
  }

  @Test
  void badOptionsAreNamed() {
    OptionException e = assertThrows(OptionException.class,
        () -> model.run(new TaylorMethod(), "output", data, Map.of("order", 3), 0));
    assertEquals("order", e.option());
    assertTrue(e.getMessage().contains("order is 1 or 2, got 3") && e.getMessage().contains("third derivatives"),
        e.getMessage());
    e = assertThrows(OptionException.class, () -> model.run(new TaylorMethod(), "output", data, Map.of("order", 0), 0));
    assertTrue(e.getMessage().contains("got 0."), e.getMessage());
    e = assertThrows(OptionException.class,
        () -> model.run(new TaylorMethod(), "output", data, Map.of("select_percent", 0.0), 0));
    assertEquals("select_percent", e.option());
    assertTrue(e.getMessage().contains("above 0 and at most 100, got 0.0"), e.getMessage());
    e = assertThrows(OptionException.class,
        () -> model.run(new TaylorMethod(), "output", data, Map.of("select_percent", 101.0), 0));
    assertTrue(e.getMessage().contains("got 101.0"), e.getMessage());
  }
}
