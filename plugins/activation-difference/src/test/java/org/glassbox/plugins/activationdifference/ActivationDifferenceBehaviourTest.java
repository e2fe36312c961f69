package org.glassbox.plugins.activationdifference;

import org.glassbox.testing.EngineModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.Relevance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Weights, seeds, per-event values and the split of the work into model calls, on mlp.onnx. */
class ActivationDifferenceBehaviourTest {
  static EngineModel mlp;
  static EngineModel.Events data;

  @BeforeAll
  static void setUp() {
    mlp = EngineModel.load("mlp.onnx");
    data = EngineModel.csv("mlp_data.csv", "weight");
  }

  @AfterAll
  static void tearDown() {
    mlp.close();
  }

  private static Attribution run(Map<String, Object> options, long seed) {
    return mlp.run(new ActivationDifferenceMethod(), "output", data, options, seed);
  }

  @Test
  void perEventValuesHaveShapeEventsByFeaturesAndTheirWeightedMeanIsTheScore() {
    Attribution a = run(Map.of("per_event", true, "samples", 2), 11);
    FloatTensor pe = a.perEvent().orElseThrow();
    assertArrayEquals(new long[] {1000, 4}, pe.shape());
    double[] w = data.weights();
    double sw = Arrays.stream(w).sum();
    double[] v = a.values();
    for (int i = 0; i < 4; i++) {
      double s = 0;
      for (int e = 0; e < 1000; e++) s += w[e] * pe.data()[4 * e + i];
      assertEquals(s / sw, v[i], 1e-6 * v[i], "feature " + i);
    }
    assertEquals(List.of("x0", "x1", "x2", "x3"), a.features());
    assertTrue(run(Map.of(), 11).perEvent().isEmpty(), "per-event values only when asked for");
  }

  @Test
  void weightsEnterSigmaTheMeansAndTheDraws() {
    Attribution weighted = run(Map.of("per_event", true), 5);
    Attribution unweighted = run(Map.of("per_event", true, "unweighted", true), 5);
    float[] z = mlp.value(mlp.neuron("output"), data.inputs()).data();
    double[] w = data.weights();
    assertEquals(sigma(z, w), weighted.summary().get("sigma_z").mean()[0], 1e-6);
    double[] ones = new double[w.length];
    Arrays.fill(ones, 1);
    assertEquals(sigma(z, ones), unweighted.summary().get("sigma_z").mean()[0], 1e-6);
    assertTrue(Math.abs(sigma(z, w) - sigma(z, ones)) > 1e-4, "the fixture's weights change sigma_z");

    // Unweighted: the plain mean of the per-event values.
    float[] pe = unweighted.perEvent().orElseThrow().data();
    for (int i = 0; i < 4; i++) {
      double s = 0;
      for (int e = 0; e < 1000; e++) s += pe[4 * e + i];
      assertEquals(s / 1000, unweighted.values()[i], 1e-6 * unweighted.values()[i]);
    }
    assertFalse(Arrays.equals(weighted.values(), unweighted.values()));

    // 'unweighted' ignores the weights everywhere: identical to the same events with weights 1.
    var plain = new EngineModel.Events(data.inputs(), data.featureNames(), ones, Optional.empty());
    Attribution ones1 = mlp.run(new ActivationDifferenceMethod(), "output", plain, Map.of("per_event", true), 5);
    assertArrayEquals(ones1.values(), unweighted.values());
    assertArrayEquals(ones1.perEvent().orElseThrow().data(), pe);

    // The two estimate different quantities but of similar size (weights in [0.5, 1.5]).
    for (int i = 0; i < 4; i++) assertEquals(unweighted.values()[i], weighted.values()[i], 0.2 * unweighted.values()[i]);
  }

  @Test
  void theSameSeedGivesTheSameResultAndOtherSeedsAgreeWithinErrors() {
    Map<String, Object> options = Map.of("per_event", true, "samples", 2);
    Attribution a = run(options, 123);
    Attribution b = run(options, 123);
    assertArrayEquals(a.values(), b.values());
    assertArrayEquals(a.errors(), b.errors());
    assertArrayEquals(a.perEvent().orElseThrow().data(), b.perEvent().orElseThrow().data());

    Attribution c = run(options, 124);
    assertFalse(Arrays.equals(a.perEvent().orElseThrow().data(), c.perEvent().orElseThrow().data()));
    for (int i = 0; i < 4; i++) {
      assertTrue(a.values()[i] != c.values()[i], "feature " + i + " differs between seeds");
      double tolerance = 4 * Math.hypot(a.errors()[i], c.errors()[i]);
      assertEquals(a.values()[i], c.values()[i], tolerance, "feature " + i);
    }
  }

  @Test
  void splittingTheRowsIntoManyCallsChangesNothing() {
    Map<String, Object> options = Map.of("per_event", true, "samples", 2);
    Attribution whole = run(options, 77);
    // S·F = 8 rows per event: 50 rows per call gives blocks of 6 events; 7 rows per call splits
    // every event over two calls; 3 over three.
    for (int maxRows : new int[] {50, 7, 3}) {
      Counting counting = new Counting(mlp);
      Attribution split = mlp.run(new ActivationDifferenceMethod(maxRows), counting, "output", data, options, 77);
      // The first call is z of the 1,000 events; then replacement rows, at most maxRows per call.
      List<Integer> rows = counting.rows;
      assertEquals(1000, rows.get(0));
      assertEquals(1000 * 8, rows.stream().skip(1).mapToInt(Integer::intValue).sum());
      assertTrue(rows.size() - 1 >= 1000 * 8 / maxRows, maxRows + " rows per call: " + rows.size() + " calls");
      assertTrue(rows.stream().skip(1).allMatch(r -> r <= maxRows), "rows per call " + rows);
      float[] p = whole.perEvent().orElseThrow().data();
      float[] q = split.perEvent().orElseThrow().data();
      for (int k = 0; k < p.length; k++) assertEquals(p[k], q[k], 1e-6f * Math.max(1, Math.abs(p[k])), "entry " + k);
      for (int i = 0; i < 4; i++) assertEquals(whole.values()[i], split.values()[i], 1e-6 * whole.values()[i]);
    }
  }

  static double sigma(float[] z, double[] w) {
    double sw = 0;
    double swz = 0;
    for (int e = 0; e < z.length; e++) {
      sw += w[e];
      swz += w[e] * z[e];
    }
    double m = swz / sw;
    double v = 0;
    for (int e = 0; e < z.length; e++) v += w[e] * (z[e] - m) * (z[e] - m);
    return Math.sqrt(v / sw);
  }

  /** Records the rows of every model call. */
  static final class Counting implements ModelAccess {
    private final ModelAccess inner;
    final List<Integer> rows = new java.util.ArrayList<>();

    Counting(ModelAccess inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public FloatTensor value(Neuron neuron, FloatTensor inputs) {
      rows.add(inputs.events());
      return inner.value(neuron, inputs);
    }

    @Override
    public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
      return inner.gradient(neuron, inputs);
    }

    @Override
    public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
      return inner.hessian(neuron, inputs);
    }

    @Override
    public ModelAccess cutAt(String layerTensor) {
      return inner.cutAt(layerTensor);
    }

    @Override
    public Relevance relevance(Neuron neuron, FloatTensor inputs, LrpComposite composite, boolean atPreActivation) {
      return inner.relevance(neuron, inputs, composite, atPreActivation);
    }

    @Override
    public FloatTensor activations(String tensor, FloatTensor inputs) {
      return inner.activations(tensor, inputs);
    }
  }

  @Test
  void inputsFedAsTheyAreScoreZeroAndLeaveTheOthersDrawsUnchanged() {
    java.util.BitSet held = new java.util.BitSet();
    held.set(1);
    org.glassbox.api.EventData withHeld = EngineModel.withFixed(data, held);
    Map<String, Object> options = Map.of("per_event", true, "samples", 2);
    Attribution all = run(options, 7);
    Attribution some = mlp.run(new ActivationDifferenceMethod(), "output", withHeld, options, 7);
    float[] a = all.perEvent().orElseThrow().data();
    float[] b = some.perEvent().orElseThrow().data();
    assertTrue(all.values()[1] > 0, "input 1 matters when it is replaced");
    for (int e = 0; e < 1000; e++) {
      for (int i = 0; i < 4; i++) assertEquals(i == 1 ? 0f : a[4 * e + i], b[4 * e + i], "event " + e + " input " + i);
    }
  }
}
