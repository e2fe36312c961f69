package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.maximization.Population;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * linear_sum.onnx: z = x + y in the box [-1, 1]², gradient (1, 1). With step 0.01 box units and box
 * width 2, a free step moves (0.02/√2)(1, 1), raising z by 0.02·√2; a step along a wall (x or y
 * pinned at 1) raises z by 0.02/√2. A start below the threshold t travels along the diagonal to the
 * point ((t + x0 − y0)/2, (t − x0 + y0)/2) of the line x + y = t, unless that lies beyond the wall.
 */
class GradientAscentTest {
  static final double FREE = 0.02 * Math.sqrt(2);
  static final double WALL = 0.02 / Math.sqrt(2);
  static final double TOLERANCE = 0.02; // one step, in x units
  static EngineModel model;
  static Fixtures.Events data;
  static Neuron z;

  @BeforeAll
  static void setUp() {
    model = EngineModel.load("linear_sum.onnx");
    data = Fixtures.uniform(2000, List.of("x", "y"), 5);
    z = model.neuron("output");
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  static GradientAscent.Result run(Neuron neuron, Map<String, Object> options, long seed) {
    Map<String, Object> o = new java.util.HashMap<>(Map.of("box_low", List.of(-1.0), "box_high", List.of(1.0)));
    o.putAll(options);
    Options opts = Fixtures.options(AscentSettings.SPECS, o);
    return GradientAscent.run(model, neuron, data, AscentSettings.from(opts), seed, Progress.NONE, null);
  }

  @Test
  void everyPointLiesOnTheThresholdLineWithinOneStepOrWasDrawnAboveIt() {
    double t = 0.5;
    GradientAscent.Result r = run(z, Map.of("threshold", t, "threshold_scale", "value"), 1);
    assertEquals(1000, r.size());
    assertEquals(1000, r.reachedCount(), "z = x + y reaches 0.5 from anywhere in the box within 500 steps");
    int moved = 0;
    for (int k = 0; k < r.size(); k++) {
      float x0 = r.starts()[2 * k];
      float y0 = r.starts()[2 * k + 1];
      float x = r.ends()[2 * k];
      float y = r.ends()[2 * k + 1];
      assertEquals(x + y, r.values()[k], 1e-6, "the reported value is the neuron's");
      assertTrue(Math.abs(x) <= 1 && Math.abs(y) <= 1, "inside the box");
      if (r.stepsTaken()[k] == 0) {
        assertTrue(x0 + y0 >= t, "a start that did not move was drawn above the threshold");
        assertEquals(x0, x);
        assertEquals(y0, y);
      } else {
        moved++;
        assertTrue(x0 + y0 < t);
        assertTrue(x + y >= t && x + y < t + FREE + 1e-5, "start " + k + " ends at z = " + (x + y));
        double xStar = (t + x0 - y0) / 2;
        double yStar = (t - x0 + y0) / 2;
        if (Math.max(xStar, yStar) < 1 - 0.03) {
          // Never touched a wall: the diagonal, one step raising z by 0.02·√2 each time.
          assertEquals(xStar, x, 0.02, "start " + k);
          assertEquals(yStar, y, 0.02, "start " + k);
          int expected = (int) Math.ceil((t - (x0 + y0)) / FREE);
          assertTrue(Math.abs(r.stepsTaken()[k] - expected) <= 1, r.stepsTaken()[k] + " steps vs " + expected);
        }
      }
    }
    assertTrue(moved > 500, moved + " starts moved");
    // About P(x0 + y0 >= 0.5) = 0.5 · 1.5² / 4 = 28 % of the starts are drawn above the line.
    assertEquals(0.28125, 1 - moved / 1000.0, 0.05);
  }

  @Test
  void boundaryFlagsMarkPointsWithinOneStepOfABoundAndTheWallRunners() {
    double t = 0.5;
    GradientAscent.Result r = run(z, Map.of("threshold", t, "threshold_scale", "value"), 2);
    Population p = r.population();
    int runners = 0;
    int interior = 0;
    for (int k = 0; k < r.size(); k++) {
      float x = r.ends()[2 * k];
      float y = r.ends()[2 * k + 1];
      boolean near = Math.max(Math.abs(x), Math.abs(y)) >= 1 - TOLERANCE * (1 + 1e-9);
      assertEquals(near, r.onBoundary()[k], "start " + k + " ends at (" + x + ", " + y + ")");
      if (r.stepsTaken()[k] == 0) continue;
      double x0 = r.starts()[2 * k];
      double y0 = r.starts()[2 * k + 1];
      double reach = Math.max((t + x0 - y0) / 2, (t - x0 + y0) / 2);
      if (reach > 1 + 0.03) {
        runners++;
        assertEquals(1f, Math.max(x, y), "start " + k + " runs into the wall and slides along it");
        assertTrue(r.onBoundary()[k]);
      } else if (reach < 1 - TOLERANCE - 0.03) {
        interior++;
        assertFalse(r.onBoundary()[k], "start " + k);
      }
    }
    assertTrue(runners > 20 && interior > 200, runners + " wall runners, " + interior + " interior");
    // The population carries the same flags for the points that reached the threshold (all, here).
    assertEquals(r.size(), p.onBoundary().length);
    for (int k = 0; k < r.size(); k++) assertEquals(r.onBoundary()[k], p.onBoundary()[k]);
  }

  @Test
  void startsOutOfBudgetAreDiscardedAndCounted() {
    double t = 0.5;
    int steps = 20;
    GradientAscent.Result r = run(z, Map.of("threshold", t, "threshold_scale", "value", "steps", steps), 3);
    int reached = 0;
    int mustFail = 0;
    for (int k = 0; k < r.size(); k++) {
      double gap = t - (r.starts()[2 * k] + r.starts()[2 * k + 1]);
      // Each step raises z by at least 0.02/√2 (along a wall) and at most 0.02·√2 (free).
      if (gap > steps * FREE + 1e-4) {
        assertFalse(r.reached()[k], "start " + k + " is " + gap + " below the threshold");
        mustFail++;
      }
      if (gap <= steps * WALL - 1e-4) assertTrue(r.reached()[k], "start " + k);
      if (r.reached()[k]) reached++;
      assertTrue(r.stepsTaken()[k] <= steps);
    }
    assertTrue(mustFail > 100, mustFail + " starts out of reach");
    Population p = new GradientAscentMethod().maximize(Fixtures.maximization(model, z, data,
        Fixtures.options(AscentSettings.SPECS, Map.of("threshold", t, "threshold_scale", "value", "steps", steps,
            "box_low", List.of(-1.0), "box_high", List.of(1.0))), 3));
    assertEquals(1000, p.starts());
    assertEquals(reached, p.points().events());
    assertEquals(reached, p.values().length);
    assertArrayEquals(new long[] {reached, 2}, p.points().shape());
    assertEquals(List.of("x", "y"), p.features());
    // The method's population is the reached ends, in start order.
    int at = 0;
    for (int k = 0; k < r.size(); k++) {
      if (!r.reached()[k]) continue;
      assertEquals(r.ends()[2 * k], p.points().data()[2 * at]);
      assertEquals(r.ends()[2 * k + 1], p.points().data()[2 * at + 1]);
      at++;
    }
  }

  @Test
  void allStartsAdvanceTogetherOneGradientCallPerStep() {
    Fixtures.Counting counting = new Fixtures.Counting(model);
    Options opts = Fixtures.options(AscentSettings.SPECS, Map.of("box_low", List.of(-1.0), "box_high", List.of(1.0)));
    GradientAscent.Result r = GradientAscent.run(counting, z, data, AscentSettings.from(opts), 4, Progress.NONE, null);
    int longest = Arrays.stream(r.stepsTaken()).max().orElseThrow();
    assertEquals(longest, counting.gradientBatches.size(), "one gradient call per step");
    assertEquals(longest, r.gradientCalls());
    assertTrue(longest < 500 && longest > 10);
    for (int j = 0; j < longest; j++) {
      int climbing = 0;
      for (int s : r.stepsTaken()) if (s > j) climbing++;
      assertEquals(climbing, counting.gradientBatches.get(j), "step " + j + " batches every start still climbing");
    }
    // Values: once over the data (the quantile threshold), then before every step and after the last.
    assertEquals(data.events(), counting.valueBatches.get(0));
    assertEquals(1000, counting.valueBatches.get(1));
    assertEquals(longest + 2, counting.valueBatches.size());
  }

  @Test
  void quantileThresholdIsTheWeightedQuantileOfTheNeuronOverTheData() {
    SplittableRandom random = new SplittableRandom(9);
    double[] w = new double[data.events()];
    for (int e = 0; e < w.length; e++) w[e] = random.nextInt(4); // 0, 1, 2 or 3
    Fixtures.Events weighted = new Fixtures.Events(data.inputs(), data.featureNames(), w, Optional.empty());
    Options opts = Fixtures.options(AscentSettings.SPECS, Map.of("threshold", 0.75, "starts", 10));
    GradientAscent.Result r = GradientAscent.run(model, z, weighted, AscentSettings.from(opts), 1, Progress.NONE, null);
    // Brute force: the smallest data value whose cumulative weight (values sorted) reaches 75 %.
    float[] x = data.inputs().data();
    double[] values = new double[w.length];
    for (int e = 0; e < w.length; e++) values[e] = (float) (x[2 * e] + x[2 * e + 1]);
    double total = Arrays.stream(w).sum();
    double expected = Double.NaN;
    for (double candidate : values) {
      double below = 0;
      for (int e = 0; e < w.length; e++) if (values[e] <= candidate) below += w[e];
      if (below >= 0.75 * total && (Double.isNaN(expected) || candidate < expected)) expected = candidate;
    }
    assertEquals(expected, r.threshold(), 1e-6);
    // And the box is the data's range when not given.
    float[] lo = {Float.MAX_VALUE, Float.MAX_VALUE};
    float[] hi = {-Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int e = 0; e < w.length; e++) {
      for (int i = 0; i < 2; i++) {
        lo[i] = Math.min(lo[i], x[2 * e + i]);
        hi[i] = Math.max(hi[i], x[2 * e + i]);
      }
    }
    assertArrayEquals(new double[] {lo[0], lo[1]}, r.box().low());
    assertArrayEquals(new double[] {hi[0], hi[1]}, r.box().high());
  }

  @Test
  void negativeDirectionDescends() {
    Neuron up = model.neuron("output");
    Neuron down = new Neuron(up.label(), up.tensor(), up.index(), -1);
    GradientAscent.Result r = run(down, Map.of("threshold", -0.5, "threshold_scale", "value"), 6);
    assertEquals(1000, r.reachedCount());
    for (int k = 0; k < r.size(); k++) {
      double end = r.ends()[2 * k] + r.ends()[2 * k + 1];
      if (r.stepsTaken()[k] > 0) assertTrue(end <= -0.5 && end > -0.5 - FREE - 1e-5, "ends at " + end);
      else assertTrue(end <= -0.5);
    }
  }

  @Test
  void dataStartsAreDataEventsAndSeedsReproduce() {
    Set<String> rows = new HashSet<>();
    float[] x = data.inputs().data();
    for (int e = 0; e < data.events(); e++) rows.add(x[2 * e] + "," + x[2 * e + 1]);
    GradientAscent.Result r = run(z, Map.of("init", "data", "box_low", List.of(), "box_high", List.of()), 7);
    for (int k = 0; k < r.size(); k++) {
      assertTrue(rows.contains(r.starts()[2 * k] + "," + r.starts()[2 * k + 1]), "start " + k + " is a data event");
    }
    GradientAscent.Result again = run(z, Map.of("init", "data", "box_low", List.of(), "box_high", List.of()), 7);
    assertArrayEquals(r.ends(), again.ends());
    GradientAscent.Result other = run(z, Map.of("init", "data", "box_low", List.of(), "box_high", List.of()), 8);
    assertFalse(Arrays.equals(r.starts(), other.starts()));
  }

  @Test
  void mahalanobisPenaltyIsTheSquaredDistanceAndPullsThePopulationTowardsTheData() {
    // Correlated Gaussian data: sx = 0.3, sy = 0.1, rho = 0.6, mean (-0.2, 0.1).
    int n = 4000;
    SplittableRandom random = new SplittableRandom(11);
    float[] x = new float[2 * n];
    for (int e = 0; e < n; e++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      x[2 * e] = (float) (-0.2 + 0.3 * a);
      x[2 * e + 1] = (float) (0.1 + 0.1 * (0.6 * a + 0.8 * b));
    }
    Fixtures.Events gauss = new Fixtures.Events(FloatTensor.of(x, n, 2), List.of("x", "y"), Stats.ones(n),
        Optional.empty());
    GradientAscent.Penalty penalty = GradientAscent.Penalty.of(gauss.inputs(), gauss.weights(), 0.7);
    // Closed form: mean and covariance in double, 2x2 inverse by hand.
    double mx = 0;
    double my = 0;
    for (int e = 0; e < n; e++) {
      mx += x[2 * e];
      my += x[2 * e + 1];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int e = 0; e < n; e++) {
      double dx = x[2 * e] - mx;
      double dy = x[2 * e + 1] - my;
      sxx += dx * dx / n;
      syy += dy * dy / n;
      sxy += dx * dy / n;
    }
    double det = sxx * syy - sxy * sxy;
    for (double[] p : new double[][] {{0.3, -0.4}, {-0.9, 0.8}, {0, 0}}) {
      double dx = p[0] - mx;
      double dy = p[1] - my;
      double d2 = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
      assertEquals(d2, penalty.distanceSquared(p, 0), 1e-9 * (1 + d2));
      assertEquals(0.7 * 2 * (syy * dx - sxy * dy) / det, penalty.gradient(p, 0, 0), 1e-9 * (1 + d2));
      assertEquals(0.7 * 2 * (sxx * dy - sxy * dx) / det, penalty.gradient(p, 0, 1), 1e-9 * (1 + d2));
    }
    // Climbing x + y to 0.3 in [-1, 1]^2: with the penalty the population lies closer to the data.
    Map<String, Object> common = Map.of("threshold", 0.3, "threshold_scale", "value", "box_low", List.of(-1.0),
        "box_high", List.of(1.0));
    double[] meanDistance = new double[2];
    int[] reached = new int[2];
    for (int c = 0; c < 2; c++) {
      Map<String, Object> o = new java.util.HashMap<>(common);
      o.put("mahalanobis", c == 0 ? 0.0 : 0.05);
      GradientAscent.Result r = GradientAscent.run(model, z, gauss,
          AscentSettings.from(Fixtures.options(AscentSettings.SPECS, o)), 12, Progress.NONE, null);
      double[] ends = new double[2];
      for (int k = 0; k < r.size(); k++) {
        if (!r.reached()[k] || r.stepsTaken()[k] == 0) continue;
        ends[0] = r.ends()[2 * k];
        ends[1] = r.ends()[2 * k + 1];
        meanDistance[c] += penalty.distanceSquared(ends, 0);
        reached[c]++;
      }
      meanDistance[c] /= reached[c];
    }
    assertTrue(reached[1] > 300, reached[1] + " starts reached the threshold with the penalty");
    assertTrue(meanDistance[1] < 0.7 * meanDistance[0], Arrays.toString(meanDistance));
  }
}
