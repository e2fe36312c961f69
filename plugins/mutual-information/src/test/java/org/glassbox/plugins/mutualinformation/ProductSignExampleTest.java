package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped product-sign network (examples/product-sign: inputs x, y, noise uniform in [-1, 1],
 * signal where x·y &gt; 0; 3-16-16-1, tanh, sigmoid), evaluated by the engine on fresh events: its
 * neurons and output against observables, as a physicist would compare neurons with m_T2.
 */
class ProductSignExampleTest {
  static final Path MODEL = Path.of("..", "..", "examples", "product-sign", "product_sign.onnx");
  static final int N = 40_000;
  static OnnxModel model;
  static Map<String, double[]> functions = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() {
    model = OnnxModel.load(MODEL, ExecutionOptions.defaults());
    SplittableRandom r = new SplittableRandom(5);
    float[] x = new float[3 * N];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    FloatTensor in = FloatTensor.of(x, N, 3);
    List<String> neurons = List.of("output", "L1N0", "L1N1", "L2N0", "L2N1", "L2N2");
    for (String label : neurons) {
      ResolvedNeuron n = model.resolve(NeuronId.parse(label));
      FloatTensor t = model.evaluate(in, List.of(n.tensor())).get(0);
      double[] v = new double[N];
      for (int e = 0; e < N; e++) v[e] = t.data()[e * t.eventSize() + n.index()];
      functions.put(label, v);
    }
    double[] px = new double[N];
    double[] pxy = new double[N];
    double[] sign = new double[N];
    double[] noise = new double[N];
    for (int e = 0; e < N; e++) {
      px[e] = x[3 * e];
      pxy[e] = (double) x[3 * e] * x[3 * e + 1];
      sign[e] = pxy[e] > 0 ? 1 : 0;
      noise[e] = x[3 * e + 2];
    }
    functions.put("x", px);
    functions.put("x*y", pxy);
    functions.put("sign(x*y)", sign);
    functions.put("noise", noise);
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  @Test
  void theOutputIsAboutXTimesYAndNotAboutNoise() {
    Similarity s = Run.compare(functions, Run.ones(N), Map.of(), 1);
    Similarity base = Run.compare(functions, Run.ones(N), Map.of("matrix", "baseline"), 1);
    double bias = KnownValuesTest.bias(20, 20, N);
    double sd = KnownValuesTest.biasSd(20, 20, N);
    // Measured: output vs x*y 0.48, vs sign(x*y) 0.51, vs x 0.15 (x alone says nothing about the label,
    // but the output's confidence grows with |x|), vs noise 0.0014 = its baseline; the second hidden
    // layer's L2N0 is closer to x*y (0.57) than the first layer's L1N0 (0.32).
    assertTrue(Run.entry(s, "output", "x*y") > 0.4, "output vs x*y " + Run.entry(s, "output", "x*y"));
    assertTrue(Run.entry(s, "output", "sign(x*y)") > 0.4, "output vs sign " + Run.entry(s, "output", "sign(x*y)"));
    assertTrue(Run.entry(s, "output", "x*y") > Run.entry(s, "output", "x") + 0.2);
    assertTrue(Run.entry(s, "L2N0", "x*y") > Run.entry(s, "L1N0", "x*y"));
    assertEquals(bias, Run.entry(base, "output", "noise"), 5 * sd);
    assertEquals(bias, Run.entry(s, "output", "noise"), 5 * sd);
    assertEquals(bias, Run.entry(s, "L1N0", "noise"), 5 * sd);
  }

  @Test
  void networkNeuronsMatchTheBruteForceDefinition() {
    Similarity s = Run.compare(functions, Run.ones(N), Map.of("bins", 12, "baseline", false), 1);
    List<String> names = s.names();
    int[][] bins = new int[names.size()][];
    for (int i = 0; i < names.size(); i++) bins[i] = BruteForce.bins(functions.get(names.get(i)), null, 12);
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        assertEquals(BruteForce.nmi(bins[i], bins[j], null), s.matrix()[i][j], 1e-12, names.get(i) + " " + names.get(j));
      }
    }
  }
}
