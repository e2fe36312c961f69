package org.glassbox.plugins.lrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.api.attribution.Relevance;
import org.junit.jupiter.api.Test;

/**
 * The plugin's own part of LRP: the summary (in a fixed order), the note when the flat rule meets a
 * dense first layer, and the checks of layer_rules. The propagation itself is the engine's (its
 * tests run ONNX models); here a two-layer dense network in closed form stands in for it, with the
 * engine's choice of rule for the first layer (a layer_rules override of L1, else the composite's
 * first-layer rule, else its dense rule) and LRP-ε on the second.
 */
class LrpMethodTest {
  /** z = Σ_j v_j relu(Σ_i W_ij x_i + b_j), three inputs, two hidden neurons. */
  static final double[][] W = {{1.0, -0.5}, {0.3, 0.8}, {-0.2, 0.1}};
  static final double[] B = {0.1, -0.2};
  static final double[] V = {1.5, -0.7};

  /** The closed-form network behind {@link ModelAccess}, recording the composite it was asked for. */
  static final class Dense implements ModelAccess {
    LrpComposite composite;

    @Override
    public String name() {
      return "dense";
    }

    @Override
    public Relevance relevance(Neuron neuron, FloatTensor inputs, LrpComposite c, boolean atPreActivation) {
      composite = c;
      LrpRule first = c.layers().containsKey(1) ? c.layers().get(1) : c.first().orElse(c.dense());
      int n = inputs.events();
      int f = inputs.eventSize();
      float[] rel = new float[n * f];
      float[] start = new float[n];
      for (int e = 0; e < n; e++) {
        double[] a = new double[2];
        double z = 0;
        for (int j = 0; j < 2; j++) {
          double h = B[j];
          for (int i = 0; i < f; i++) h += W[i][j] * inputs.data()[e * f + i];
          a[j] = Math.max(0, h);
          z += V[j] * a[j];
        }
        start[e] = (float) z;
        double[] rh = new double[2];
        for (int j = 0; j < 2; j++) rh[j] = z == 0 ? 0 : a[j] * V[j] * z / (z + 1e-6 * Math.signum(z));
        for (int j = 0; j < 2; j++) {
          double h = B[j];
          double wsq = 0;
          for (int i = 0; i < f; i++) {
            h += W[i][j] * inputs.data()[e * f + i];
            wsq += W[i][j] * W[i][j];
          }
          for (int i = 0; i < f; i++) {
            double x = inputs.data()[e * f + i];
            double share;
            if (first instanceof LrpRule.Flat) share = 1.0 / f;
            else if (first instanceof LrpRule.WSquare) share = W[i][j] * W[i][j] / wsq;
            else share = x * W[i][j] / (h + 1e-6 * (h >= 0 ? 1 : -1));
            rel[e * f + i] += (float) (share * rh[j]);
          }
        }
      }
      return new Relevance(FloatTensor.of(rel, n, f), start, "z", List.of());
    }

    @Override
    public FloatTensor value(Neuron neuron, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ModelAccess cutAt(String layerTensor) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatTensor activations(String tensor, FloatTensor inputs) {
      throw new UnsupportedOperationException();
    }
  }

  record Events(FloatTensor inputs, List<String> featureNames, double[] weights, Optional<int[]> labels, BitSet fed)
      implements EventData {
    @Override
    public BitSet fixed() {
      return (BitSet) fed.clone();
    }
  }

  static Events events(BitSet fixed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    int n = 200;
    float[] x = new float[n * 3];
    for (int k = 0; k < x.length; k++) x[k] = (float) r.nextDouble(-1, 1);
    double[] w = new double[n];
    for (int e = 0; e < n; e++) w[e] = 0.5 + r.nextDouble();
    return new Events(FloatTensor.of(x, n, 3), List.of("x", "y", "noise"), w, Optional.empty(), fixed);
  }

  static Attribution run(Dense model, EventData data, Map<String, Object> options) {
    LrpMethod method = new LrpMethod();
    Map<String, Object> values = new LinkedHashMap<>(Options.defaults(method.options()).asMap());
    for (var e : options.entrySet()) {
      if (!values.containsKey(e.getKey())) throw new IllegalArgumentException("no option " + e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    Options o = new Options(values);
    Neuron neuron = new Neuron("output", "z", 0, 1);
    return method.attribute(new AttributionContext() {
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
        return o;
      }

      @Override
      public long seed() {
        return 1;
      }
    });
  }

  static final List<String> SUMMARY = List.of("start relevance R_start", "input relevance (sum R)",
      "conservation gap (sum R - R_start)", "relative conservation gap");

  @Test
  void summaryIsInOneOrderWithTheConservationNumbers() {
    Events d = events(new BitSet());
    Attribution a = run(new Dense(), d, Map.of("composite", "epsilon"));
    // Map.of's order changes from one JVM to the next; results.json must not (README: byte-identical).
    assertEquals(SUMMARY, new ArrayList<>(a.summary().keySet()));
    // Recomputed from the per-event relevance: weighted means of R_start, Σ R, Σ R − R_start, |gap / R_start|.
    float[] rel = a.perEvent().orElseThrow().data();
    Relevance r = new Dense().relevance(null, d.inputs(), Composites.named("epsilon", 1e-6, 0.25, 0, 1, List.of()), true);
    double sw = 0;
    double[] want = new double[4];
    for (int e = 0; e < d.events(); e++) {
      double sum = rel[e * 3] + rel[e * 3 + 1] + rel[e * 3 + 2];
      double start = r.start()[e];
      sw += d.weights()[e];
      want[0] += d.weights()[e] * start;
      want[1] += d.weights()[e] * (float) sum;
      want[2] += d.weights()[e] * (float) (sum - start);
      want[3] += d.weights()[e] * (start == 0 ? 0 : (float) Math.abs((sum - start) / start));
    }
    for (int k = 0; k < 4; k++) {
      assertEquals(want[k] / sw, a.summary().get(SUMMARY.get(k)).mean()[0], 1e-6 * (1 + Math.abs(want[k] / sw)), SUMMARY.get(k));
    }
    // The gap here is the biases' and ε's share: not zero, and ΣR = R_start + gap.
    assertNotEquals(0, a.summary().get(SUMMARY.get(2)).mean()[0], 1e-3);
    assertEquals(a.summary().get(SUMMARY.get(0)).mean()[0] + a.summary().get(SUMMARY.get(2)).mean()[0],
        a.summary().get(SUMMARY.get(1)).mean()[0], 1e-6);
  }

  @Test
  void theDefaultFlatFirstRuleOnADenseLayerSaysItsRankingIsEmpty() {
    Events d = events(new BitSet());
    Dense model = new Dense();
    Attribution a = run(model, d, Map.of());
    assertEquals("epsilon-plus-flat", model.composite.name(), "the default stays the written convention");
    double[] s = a.values();
    assertEquals(s[0], s[1], 1e-12);
    assertEquals(s[0], s[2], 1e-12);
    assertEquals(1.0, a.summary().get(LrpMethod.FLAT_FIRST_DENSE).mean()[0], 1e-12);
    assertTrue(LrpMethod.FLAT_FIRST_DENSE.startsWith("note: flat rule on the first (dense) layer: every input gets the same"
        + " relevance"), LrpMethod.FLAT_FIRST_DENSE);
    // The note follows the rule that reaches the first layer, not the composite's name.
    assertEquals(1.0, run(new Dense(), d, Map.of("composite", "epsilon", "layer_rules", List.of("L1: flat")))
        .summary().get(LrpMethod.FLAT_FIRST_DENSE).mean()[0], 1e-12);
    assertEquals(1.0, run(new Dense(), d, Map.of("composite", "flat")).summary().get(LrpMethod.FLAT_FIRST_DENSE)
        .mean()[0], 1e-12);
    for (Map<String, Object> o : List.<Map<String, Object>>of(Map.of("composite", "epsilon"),
        Map.of("composite", "epsilon-gamma-box", "low", -1.0, "high", 1.0), Map.of("layer_rules", List.of("L1: epsilon")))) {
      Attribution b = run(new Dense(), d, o);
      assertFalse(b.summary().containsKey(LrpMethod.FLAT_FIRST_DENSE), o.toString());
      assertNotEquals(b.values()[0], b.values()[2], 1e-3, o.toString());
    }
  }

  @Test
  void wSquareOnADenseFirstLayerStillRanksInputs() {
    // R_i = Σ_j w_ij² R_j / Σ_i' w_i'j²: input-dependent, so no note and different scores.
    Attribution a = run(new Dense(), events(new BitSet()), Map.of("composite", "epsilon", "layer_rules", List.of("L1: wsquare")));
    assertFalse(a.summary().containsKey(LrpMethod.FLAT_FIRST_DENSE));
    assertNotEquals(a.values()[0], a.values()[2], 1e-3);
  }

  @Test
  void tiesAreJudgedOnAttributedInputsOnly() {
    float[] rel = {1, 1, 5, 2, 2, -3, 0, 0, 0};
    BitSet fed = new BitSet();
    fed.set(2);
    assertTrue(LrpMethod.everyInputTied(rel, 3, 3, fed), "the fed input's relevance does not count");
    assertFalse(LrpMethod.everyInputTied(rel, 3, 3, new BitSet()));
    assertFalse(LrpMethod.everyInputTied(new float[] {1, 2, 3, 3, 3, 3}, 2, 3, new BitSet()), "one event that differs");
    assertFalse(LrpMethod.everyInputTied(new float[9], 3, 3, new BitSet()), "no relevance at all says nothing");
    float[] deadEvent = {2, 2, 2, 0, 0, 0};
    assertTrue(LrpMethod.everyInputTied(deadEvent, 2, 3, new BitSet()), "an event without relevance does not count");
  }

  @Test
  void theFirstLayersRuleIsTheOverrideThenTheFirstRuleThenTheDenseRule() {
    assertEquals(new LrpRule.Flat(), LrpMethod.firstRule(Composites.named("epsilon-plus-flat", 1e-6, 0.25, 0, 1, List.of())));
    assertEquals(new LrpRule.Epsilon(1e-6), LrpMethod.firstRule(Composites.named("epsilon-plus-flat", 1e-6, 0.25, 0, 1,
        List.of("L1: epsilon"))));
    assertEquals(new LrpRule.Flat(), LrpMethod.firstRule(Composites.named("flat", 1e-6, 0.25, 0, 1, List.of())));
    assertEquals(new LrpRule.Epsilon(1e-6), LrpMethod.firstRule(Composites.named("epsilon-alpha2-beta1", 1e-6, 0.25, 0, 1,
        List.of("L2: flat"))));
  }

  @Test
  void layerRulesAreCheckedAndKeptInLayerOrder() {
    var e = assertThrows(OptionException.class, () -> Composites.named("epsilon", 1e-6, 0.25, 0, 1, List.of("L0: flat")));
    assertEquals("layer_rules", e.option());
    assertTrue(e.getMessage().contains("L1"), e.getMessage());
    e = assertThrows(OptionException.class, () -> Composites.named("epsilon", 1e-6, 0.25, 0, 1, List.of("L2: flat",
        "L2: zplus")));
    assertEquals("layer_rules", e.option());
    assertTrue(e.getMessage().contains("L2"), e.getMessage());
    e = assertThrows(OptionException.class, () -> Composites.named("epsilon", 1e-6, 0.25, 0, 1, List.of("L1: sideways")));
    assertEquals("layer_rules", e.option());
    LrpComposite c = Composites.named("epsilon", 1e-6, 0.25, 0, 1, List.of("L3: zplus", "L1=flat"));
    assertEquals(List.of(1, 3), List.copyOf(new java.util.TreeMap<>(c.layers()).keySet()));
    assertEquals(new LrpRule.Flat(), c.layers().get(1));
    assertEquals(new LrpRule.ZPlus(), c.layers().get(3));
  }
}
