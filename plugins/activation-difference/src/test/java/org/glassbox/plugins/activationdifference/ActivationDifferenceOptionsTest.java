package org.glassbox.plugins.activationdifference;

import org.glassbox.testing.EngineModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad options and bad data fail before any work, naming the option and what to do. */
class ActivationDifferenceOptionsTest {
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

  private static OptionException optionError(Map<String, Object> options) {
    return assertThrows(OptionException.class,
        () -> mlp.run(new ActivationDifferenceMethod(), "output", data, options, 1));
  }

  @Test
  void samplesMustBePositive() {
    OptionException e = optionError(Map.of("samples", 0));
    assertEquals("samples", e.option());
    assertTrue(e.getMessage().contains("1 to 10000, got 0"), e.getMessage());
    e = optionError(Map.of("samples", 10_001));
    assertTrue(e.getMessage().contains("got 10001"), e.getMessage());
  }

  @Test
  void layerLabelNeedsLayer() {
    OptionException e = optionError(Map.of("layer_label", "L1"));
    assertEquals("layer_label", e.option());
    assertTrue(e.getMessage().contains("set 'layer' too"), e.getMessage());
  }

  @Test
  void anUnknownLayerIsNamed() {
    OptionException e = optionError(Map.of("layer", "h9"));
    assertEquals("layer", e.option());
    assertTrue(e.getMessage().contains("'h9'") && e.getMessage().contains("no such tensor"), e.getMessage());
  }

  @Test
  void theNeuronMustComeAfterTheLayer() {
    GlassboxException e = assertThrows(GlassboxException.class,
        () -> mlp.run(new ActivationDifferenceMethod(), "h1[0]", data, Map.of("layer", "h2"), 1));
    assertTrue(e.getMessage().contains("h1[0]") && e.getMessage().contains("must come after the layer"), e.getMessage());
  }

  @Test
  void weightsMustLeaveTwoEventsAndAPositiveTotal() {
    double[] w = new double[data.events()];
    w[3] = 1;
    var one = new EngineModel.Events(data.inputs(), data.featureNames(), w, Optional.empty());
    GlassboxException e = assertThrows(GlassboxException.class,
        () -> mlp.run(new ActivationDifferenceMethod(), "output", one, Map.of(), 1));
    assertTrue(e.getMessage().contains("at least two events with non-zero weight"), e.getMessage());

    double[] negative = new double[data.events()];
    Arrays.fill(negative, -1);
    var neg = new EngineModel.Events(data.inputs(), data.featureNames(), negative, Optional.empty());
    e = assertThrows(GlassboxException.class,
        () -> mlp.run(new ActivationDifferenceMethod(), "output", neg, Map.of(), 1));
    assertTrue(e.getMessage().contains("sum to -1000") && e.getMessage().contains("unweighted: true"), e.getMessage());
  }
}
