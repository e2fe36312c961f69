package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.Progress;
import org.glassbox.api.surrogate.Surrogate;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bump.onnx: z = sigmoid(10 − 40·x²) of inputs (x, y, noise), uniform in [−1, 1]³. At threshold
 * z = 1/2 the population is the band |x| ≤ 1/2: the caveman variable must be built on x, reproduce
 * z, and beat the linear baseline, which is blind to an even function (correlation ~0).
 */
class CavemanTest {
  static EngineModel bump;
  static Fixtures.Events data;

  @BeforeAll
  static void setUp() {
    bump = EngineModel.load("bump.onnx");
    data = Fixtures.uniform(4000, List.of("x", "y", "noise"), 21);
  }

  @AfterAll
  static void tearDown() {
    bump.close();
  }

  static CavemanMethod.Result run(EngineModel model, Fixtures.Events events, Map<String, Object> options) {
    Map<String, Object> o = new HashMap<>(Map.of("threshold", 0.5, "threshold_scale", "value"));
    o.putAll(options);
    return CavemanMethod.run(model, model.neuron("output"), events, Fixtures.options(CavemanMethod.SPECS, o), 1,
        Progress.NONE);
  }

  @SuppressWarnings("unchecked")
  static List<String> inputs(Map<String, Object> row) {
    return (List<String>) row.get("inputs");
  }

  @Test
  void bumpIsRebuiltFromXWithHighCorrelation() {
    CavemanMethod.Result r = run(bump, data, Map.of());
    Surrogate s = r.surrogate();
    double correlation = s.fidelity().get("correlation");
    assertTrue(correlation > 0.95, "correlation " + correlation + ": " + s.formula());
    assertTrue(Math.abs(s.fidelity().get("linear_correlation")) < 0.1, s.fidelity().toString());
    assertTrue(s.fidelity().get("caveman_1d_correlation") > 0.9, s.fidelity().toString());
    assertFalse(s.fidelity().containsKey("auc"), "no labels, no AUC");
    assertEquals(r.population().reachedCount(), s.fidelity().get("population_points"));
    assertEquals(1000.0, s.fidelity().get("population_starts"));
    // The leading term is an interior island in x alone, even in x (no odd part to speak of); every
    // term that matters involves x.
    Map<String, Object> top = s.table().get(0);
    assertEquals(List.of("x"), inputs(top));
    assertEquals("interior", top.get("kind"));
    assertTrue(s.terms().size() <= 5 && s.terms().size() == s.table().size());
    double lead = Math.abs((Double) top.get("standardised_coefficient"));
    for (Map<String, Object> row : s.table()) {
      if (Math.abs((Double) row.get("standardised_coefficient")) > 0.1 * lead) {
        assertTrue(inputs(row).contains("x"), row.toString());
      }
    }
    assertTrue(s.formula().startsWith("output ~ ") && s.formula().contains("x^2"), s.formula());
    assertTrue(s.terms().get(0).contains("sigmoid(") && s.terms().get(0).contains("x^2"), s.terms().get(0));
    // The population is the band: every point has z >= 1/2, i.e. |x| <= 1/2.
    GradientAscent.Result p = r.population();
    for (int k = 0; k < p.size(); k++) {
      if (p.reached()[k]) assertTrue(Math.abs(p.ends()[3 * k]) <= 0.5 + 1e-6, "point " + k);
    }
    // The caveman variable is its formula: intercept + coefficients x terms, evaluated anew here.
    for (int e = 0; e < 50; e++) {
      double v = r.fit().intercept();
      for (int k = 0; k < r.fit().selected().length; k++) {
        v += r.fit().coefficients()[k] * r.candidates().get(r.fit().selected()[k]).term()
            .at(data.inputs().data(), 3 * e, p.box());
      }
      assertEquals(v, r.caveman()[e], 1e-12);
    }
  }

  @Test
  void anIslandTouchingTheBoundaryGivesAnInteriorAndABoundaryTerm() {
    // Box [0, 1]^2, step 0.01. An island: 300 points uniform in [0.8, 1) x [0.4, 0.6] plus 150 pushed
    // onto the wall x = 1 (y in [0.45, 0.55]); and a separate interior island around (0.2, 0.2).
    Box box = new Box(new double[] {0, 0}, new double[] {1, 1});
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    double[][] points = new double[600][];
    for (int k = 0; k < 600; k++) {
      if (k < 300) points[k] = new double[] {0.8 + 0.2 * random.nextDouble(), 0.4 + 0.2 * random.nextDouble()};
      else if (k < 450) points[k] = new double[] {1, 0.45 + 0.1 * random.nextDouble()};
      else points[k] = new double[] {0.2 + 0.03 * random.nextGaussian(), 0.2 + 0.03 * random.nextGaussian()};
    }
    int onWall = 0;
    for (double[] p : points) if (p[0] >= 0.99 || p[1] >= 0.99 || p[0] <= 0.01 || p[1] <= 0.01) onWall++;
    CavemanMethod.Settings settings = CavemanMethod.Settings.from(Fixtures.options(CavemanMethod.SPECS, Map.of()));
    List<CavemanMethod.Candidate> islands = CavemanMethod.islands(points, new int[] {0, 1}, box, 0.01, settings, 6,
        2000, 0.5, new java.util.SplittableRandom(1));
    assertEquals(3, islands.size(), "two interior islands and one on the boundary");
    List<CavemanMethod.Candidate> boundary = islands.stream().filter(c -> !c.term().interior()).toList();
    assertEquals(1, boundary.size());
    // Boundary tuples (within a step of a bound) and interior tuples are clustered apart: the boundary
    // island holds the 150 wall points and most of the 20-odd band points within a step of the wall
    // (DBSCAN may call a stray one noise), the interior islands at most the others.
    int wallIsland = boundary.get(0).points();
    assertTrue(wallIsland <= onWall && wallIsland >= onWall - 5, wallIsland + " of " + onWall);
    int interior = islands.stream().filter(c -> c.term().interior()).mapToInt(c -> c.points()).sum();
    assertTrue(interior <= 600 - onWall && interior >= 600 - onWall - 10, interior + " of " + (600 - onWall));
    // Interior terms: sigmoid(quadratic), ~1 on their island, ~0 far from it.
    for (CavemanMethod.Candidate c : islands) {
      if (!c.term().interior()) continue;
      boolean edge = c.points() > 200;
      double inside = edge ? c.term().atV(new double[] {0.8, 0}) : c.term().atV(new double[] {-0.6, -0.6});
      double far = c.term().atV(new double[] {edge ? -0.8 : 0.8, edge ? -0.8 : 0.8});
      assertTrue(inside > 0.8 && far < 0.1, inside + " inside, " + far + " far");
      assertEquals(6, c.term().exponents().length);
    }
    // The boundary term: multilinear (1, x, y, xy), larger on the wall than on the opposite side.
    Term wall = boundary.get(0).term();
    assertEquals(4, wall.exponents().length);
    assertTrue(wall.atV(new double[] {1, 0}) > wall.atV(new double[] {-1, 0}) + 0.05);
  }

  @Test
  void labelledDataGetsBothAucs() {
    int n = data.events();
    int[] labels = new int[n];
    for (int e = 0; e < n; e++) labels[e] = Math.abs(data.inputs().data()[3 * e]) < 0.5 ? 1 : 0;
    Fixtures.Events labelled = new Fixtures.Events(data.inputs(), data.featureNames(), data.weights(),
        Optional.of(labels));
    Surrogate s = run(bump, labelled, Map.of("starts", 500L)).surrogate();
    assertTrue(s.fidelity().get("neuron_auc") > 0.999, s.fidelity().toString());
    assertTrue(s.fidelity().get("auc") > 0.97, s.fidelity().toString());
    assertTrue(s.fidelity().get("linear_auc") < 0.6, s.fidelity().toString());
    assertEquals(List.of("correlation", "auc", "neuron_auc", "linear_correlation", "linear_auc",
        "caveman_1d_correlation", "caveman_1d_auc", "population_points", "population_starts", "candidate_terms"),
        List.copyOf(s.fidelity().keySet()));
  }

  @Test
  void topInputsByActivationDifferenceAndExplicitInputsRestrictTheTerms() {
    // z does not depend on y and noise at all: their activation difference is 0, so top_inputs: 1 keeps x.
    for (Map<String, Object> o : List.<Map<String, Object>>of(Map.of("top_inputs", 1L, "starts", 500L),
        Map.of("inputs", List.of("x"), "starts", 500L))) {
      CavemanMethod.Result r = run(bump, data, o);
      assertEquals(1, r.kept().size(), "one input, one 1-D histogram: " + o);
      assertTrue(r.candidates().stream().allMatch(c -> Arrays.equals(c.inputs(), new int[] {0})), o.toString());
      assertTrue(r.surrogate().fidelity().get("correlation") > 0.95, r.surrogate().fidelity().toString());
    }
  }

  @Test
  void histogramsKeepsTheMostDependentCombinationsOfEachDimension() {
    CavemanMethod.Result r = run(bump, data, Map.of("histograms", 1L, "starts", 300L));
    assertEquals(3, r.kept().size(), "one per dimension");
    // 1-D: the population's x departs from uniform (KL ~ log 2), y and noise do not.
    assertEquals(List.of(0), Arrays.stream(r.kept().get(0)).boxed().toList());
    assertEquals(2, r.kept().get(1).length);
    assertEquals(3, r.kept().get(2).length);
    CavemanMethod.Result one = run(bump, data, Map.of("dimensions", 1L, "starts", 300L));
    assertEquals(3, one.kept().size());
    assertTrue(one.kept().stream().allMatch(c -> c.length == 1));
  }

  @Test
  void linearNeuronHasAPerfectLinearBaseline() {
    try (EngineModel sum = EngineModel.load("linear_sum.onnx")) {
      Fixtures.Events xy = Fixtures.uniform(2000, List.of("x", "y"), 22);
      Surrogate s = run(sum, xy, Map.of("starts", 400L)).surrogate();
      assertEquals(1.0, s.fidelity().get("linear_correlation"), 1e-9);
      assertTrue(s.fidelity().get("correlation") > 0.8, s.fidelity().toString());
    }
  }

  @Test
  void productSignCavemanUsesXAndYTogether() {
    try (EngineModel m = EngineModel.load(Fixtures.productSignModel())) {
      Fixtures.Events events = Fixtures.productSign();
      Surrogate s = CavemanMethod.run(m, m.neuron("output"), events,
          Fixtures.options(CavemanMethod.SPECS, Map.of()), 1, Progress.NONE).surrogate();
      assertTrue(s.fidelity().get("correlation") > 0.85, s.fidelity().toString());
      assertTrue(s.fidelity().get("auc") > 0.97, s.fidelity().toString());
      assertTrue(s.fidelity().get("neuron_auc") > 0.99, s.fidelity().toString());
      // A linear function, or 1-D islands, cannot tell x*y > 0 from x*y < 0.
      assertTrue(s.fidelity().get("linear_auc") < 0.7, s.fidelity().toString());
      assertTrue(s.fidelity().get("caveman_1d_auc") < 0.7, s.fidelity().toString());
      for (int k = 0; k < 2; k++) {
        List<String> in = inputs(s.table().get(k));
        assertTrue(in.contains("x") && in.contains("y"), s.table().get(k).toString());
      }
    }
  }
}
