package org.glassbox.plugins.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.attribution.AttributionMethod;
import org.junit.jupiter.api.Test;

/** Option names, defaults and the messages of bad values and of data that cannot serve. */
class GradientOptionsTest {
  static final AnalyticModel.Linear MODEL = new AnalyticModel.Linear(0, 1, 2, 3);
  static final AnalyticModel.Events DATA = IntegratedGradientsTest.data(1, 50, 3);

  static OptionException optionError(AttributionMethod m, Map<String, Object> options) {
    return assertThrows(OptionException.class, () -> MODEL.run(m, DATA, options, 0));
  }

  static Map<String, Object> defaults(AttributionMethod m) {
    Map<String, Object> d = new LinkedHashMap<>();
    for (OptionSpec o : m.options()) d.put(o.name(), o.defaultValue());
    return d;
  }

  @Test
  void integratedGradientsOptions() {
    IntegratedGradientsMethod m = new IntegratedGradientsMethod();
    assertEquals("integrated-gradients", m.id());
    assertEquals(Map.of("baseline", "zeros", "steps", 32L, "rule", "gauss-legendre", "per_event", false), defaults(m));
    assertEquals(List.of("baseline", "steps", "rule", "per_event"), List.copyOf(defaults(m).keySet()));
    assertEquals(List.of("zeros", "mean", "background-mean", "reference"), m.options().get(0).choices());
    assertEquals(List.of("gauss-legendre", "riemann-midpoint"), m.options().get(2).choices());

    OptionException e = optionError(m, Map.of("steps", 0));
    assertEquals("steps", e.option());
    assertEquals("steps is the number of quadrature nodes, 1 to 10000, got 0", e.getMessage());
    e = optionError(m, Map.of("steps", 10_001));
    assertTrue(e.getMessage().endsWith("got 10001"), e.getMessage());
    e = optionError(m, Map.of("rule", "simpson"));
    assertEquals("rule", e.option());
    assertEquals("rule is one of gauss-legendre, riemann-midpoint, got 'simpson'", e.getMessage());
    e = optionError(m, Map.of("baseline", "median"));
    assertEquals("baseline", e.option());
    assertTrue(e.getMessage().contains("zeros, mean, background-mean, reference, got 'median'"), e.getMessage());
    // baseline: reference without a reference array in the data says where to give one.
    e = optionError(m, Map.of("baseline", "reference"));
    assertEquals("baseline", e.option());
    assertTrue(e.getMessage().contains("data.reference"), e.getMessage());
  }

  @Test
  void theBackgroundMeanNeedsLabelsAndBackgroundEvents() {
    IntegratedGradientsMethod m = new IntegratedGradientsMethod();
    AnalyticModel.Events unlabelled = new AnalyticModel.Events(DATA.inputs(), DATA.featureNames(), DATA.weights(),
        java.util.Optional.empty());
    OptionException e = assertThrows(OptionException.class,
        () -> MODEL.run(m, unlabelled, Map.of("baseline", "background-mean"), 0));
    assertEquals("baseline", e.option());
    assertTrue(e.getMessage().contains("this data set has no labels") && e.getMessage().contains("baseline: mean"),
        e.getMessage());
    int[] allSignal = new int[50];
    java.util.Arrays.fill(allSignal, 1);
    AnalyticModel.Events signal = new AnalyticModel.Events(DATA.inputs(), DATA.featureNames(), DATA.weights(),
        java.util.Optional.of(allSignal));
    e = assertThrows(OptionException.class, () -> MODEL.run(m, signal, Map.of("baseline", "background-mean"), 0));
    assertTrue(e.getMessage().contains("needs label-0 (background) events"), e.getMessage());
    // Unlabelled data is fine for the other baselines.
    MODEL.run(m, unlabelled, Map.of("baseline", "mean"), 0);
    double[] zero = new double[50];
    AnalyticModel.Events weightless = new AnalyticModel.Events(DATA.inputs(), DATA.featureNames(), zero,
        java.util.Optional.empty());
    GlassboxException g = assertThrows(GlassboxException.class, () -> MODEL.run(m, weightless, Map.of("baseline", "mean"), 0));
    assertTrue(g.getMessage().contains("weights sum to 0"), g.getMessage());
  }

  @Test
  void smoothGradOptions() {
    SmoothGradMethod m = new SmoothGradMethod();
    assertEquals("smoothgrad", m.id());
    assertEquals(Map.of("samples", 16L, "noise", 0.1, "absolute", false, "per_event", false), defaults(m));
    assertEquals(List.of("samples", "noise", "absolute", "per_event"), List.copyOf(defaults(m).keySet()));
    OptionException e = optionError(m, Map.of("samples", 0));
    assertEquals("samples", e.option());
    assertEquals("samples is the number of noisy copies per event, 1 to 10000, got 0", e.getMessage());
    e = optionError(m, Map.of("noise", -0.1));
    assertEquals("noise", e.option());
    assertTrue(e.getMessage().contains("non-negative") && e.getMessage().endsWith("got -0.1"), e.getMessage());
    e = optionError(m, Map.of("noise", Double.NaN));
    assertTrue(e.getMessage().endsWith("got NaN"), e.getMessage());
    e = optionError(m, Map.of("noise", Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().endsWith("got Infinity"), e.getMessage());
  }

  @Test
  void everyMethodDocumentsItsConventions() {
    for (AttributionMethod m : List.of(new IntegratedGradientsMethod(), new SmoothGradMethod())) {
      assertTrue(m.id().matches("[a-z]+(-[a-z]+)*"), m.id());
      assertTrue(!m.description().isBlank() && !m.conventions().isBlank(), m.id());
    }
  }
}
