package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionException;
import org.glassbox.api.Progress;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.testing.EngineModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad options are refused before any work, naming the option and what to write instead. */
class OptionsTest {
  static EngineModel model;
  static Fixtures.Events data;
  static Neuron z;

  @BeforeAll
  static void setUp() {
    model = EngineModel.load("linear_sum.onnx");
    data = Fixtures.uniform(200, List.of("x", "y"), 1);
    z = model.neuron("output");
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  static OptionException ascent(Map<String, Object> options) {
    Fixtures.Counting counting = new Fixtures.Counting(model);
    OptionException e = assertThrows(OptionException.class, () -> new GradientAscentMethod().maximize(
        Fixtures.maximization(counting, z, data, Fixtures.options(AscentSettings.SPECS, options), 0)));
    assertEquals(0, counting.gradientBatches.size(), "refused before any gradient");
    return e;
  }

  static void assertMessage(OptionException e, String option, String... words) {
    assertEquals(option, e.option());
    for (String w : words) assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' lacks '" + w + "'");
  }

  @Test
  void gradientAscentOptions() {
    assertMessage(ascent(Map.of("starts", 0L)), "starts", "from 1", "got 0");
    assertMessage(ascent(Map.of("steps", -1L)), "steps", "0 or more", "got -1");
    assertMessage(ascent(Map.of("step", 0.0)), "step", "above 0", "at most 1");
    assertMessage(ascent(Map.of("step", 1.5)), "step", "got 1.5");
    assertMessage(ascent(Map.of("threshold", 1.2)), "threshold", "quantile from 0 to 1", "threshold_scale: value");
    assertMessage(ascent(Map.of("mahalanobis", -1.0)), "mahalanobis", "0 (off) or more");
    assertMessage(ascent(Map.of("box_low", List.of(0.0, 0.0, 0.0))), "box_low", "3 values", "one per feature (2)");
    assertMessage(ascent(Map.of("box_low", List.of(1.0), "box_high", List.of(0.0))), "box_low",
        "must not exceed box_high");
    assertMessage(ascent(Map.of("box_high", List.of(Double.NaN))), "box_high", "finite numbers");
    // Box bounds written as integers are numbers too.
    assertEquals(1000, new GradientAscentMethod().maximize(Fixtures.maximization(model, z, data,
        Fixtures.options(AscentSettings.SPECS, Map.of("box_low", List.of(-1), "box_high", List.of(1L))), 0)).starts());
    // A value threshold outside [0, 1] is fine.
    assertEquals(1000, new GradientAscentMethod().maximize(Fixtures.maximization(model, z, data,
        Fixtures.options(AscentSettings.SPECS, Map.of("threshold", 1.2, "threshold_scale", "value")), 0)).starts());
  }

  static OptionException cluster(ClusteringMethod method, Map<String, Object> options) {
    double[][] p = {{0, 0}, {1, 1}, {2, 2}};
    return assertThrows(OptionException.class, () -> method.cluster(
        Fixtures.clustering(p, Fixtures.options(method.options(), options), 0)));
  }

  @Test
  void clusteringOptions() {
    assertMessage(cluster(new DbscanMethod(), Map.of("eps", -0.1)), "eps", "0 (rule of thumb) or more");
    assertMessage(cluster(new DbscanMethod(), Map.of("min_pts", 0L)), "min_pts", "at least 1", "got 0");
    assertMessage(cluster(new KMeansMethod(), Map.of("k", 0L)), "k", "at least 1");
    assertMessage(cluster(new KMeansMethod(), Map.of("k", 4L)), "k", "k = 4", "population has 3");
    assertMessage(cluster(new KMeansMethod(), Map.of("max_iterations", 0L)), "max_iterations", "at least 1");
  }

  static OptionException caveman(Map<String, Object> options) {
    return assertThrows(OptionException.class, () -> new CavemanMethod().fit(Fixtures.surrogate(model, z, data,
        Fixtures.options(CavemanMethod.SPECS, options), 0)));
  }

  @Test
  void cavemanOptions() {
    assertMessage(caveman(Map.of("dimensions", 4L)), "dimensions", "1, 2 or 3", "got 4");
    assertMessage(caveman(Map.of("bins", 1L)), "bins", "from 2 to 1000");
    assertMessage(caveman(Map.of("terms", 0L)), "terms", "at least 1");
    assertMessage(caveman(Map.of("histograms", 0L)), "histograms", "at least 1");
    assertMessage(caveman(Map.of("top_inputs", -2L)), "top_inputs", "0 (all)");
    assertMessage(caveman(Map.of("eps", 3.0)), "eps", "box units");
    assertMessage(caveman(Map.of("fit_events", 5L)), "fit_events", "at least 10");
    assertMessage(caveman(Map.of("inputs", List.of("x", "pt"))), "inputs", "no input named 'pt'", "[x, y]");
    assertMessage(caveman(Map.of("starts", 0L)), "starts", "from 1");
  }

  @Test
  void tooSmallAPopulationSaysWhatToChange() {
    // Threshold 3 is above max(x + y) = 2: no start can reach it.
    GlassboxException e = assertThrows(GlassboxException.class, () -> CavemanMethod.run(model, z, data,
        Fixtures.options(CavemanMethod.SPECS, Map.of("threshold", 3.0, "threshold_scale", "value", "starts", 50L,
            "steps", 20L)), 0, Progress.NONE));
    assertTrue(e.getMessage().contains("only 0 of 50 starts reached the threshold 3.0")
        && e.getMessage().contains("Lower the threshold"), e.getMessage());
  }
}
