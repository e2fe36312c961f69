package org.glassbox.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.engine.derive.BackwardBuilder;
import org.glassbox.engine.derive.GradientRules;
import org.glassbox.engine.derive.Seed;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ShapeProbe;
import org.junit.jupiter.api.Test;

/**
 * The trainer against references that share nothing with it: a float64 forward pass and loss written
 * here, central finite differences of that loss, and the closed-form Bayes-optimal AUC of two
 * Gaussian classes.
 */
class TrainerTest {

  /** Two unit Gaussians at ±(μ, μ): the Bayes-optimal score is linear, its AUC Φ(|Δ| / √2) = Φ(μ·√2·√2 / √2). */
  record Gaussians(FloatTensor x, int[] labels) {
    static Gaussians draw(int n, double mu, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      float[] x = new float[2 * n];
      int[] labels = new int[n];
      for (int e = 0; e < n; e++) {
        labels[e] = e % 2;
        double shift = labels[e] == 1 ? mu : -mu;
        x[2 * e] = (float) (shift + gaussian(r));
        x[2 * e + 1] = (float) (shift + gaussian(r));
      }
      return new Gaussians(FloatTensor.of(x, n, 2), labels);
    }
  }

  static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** AUC by brute force over all signal × background pairs, ties ½. */
  static double auc(float[] score, int[] labels) {
    List<Float> s = new ArrayList<>();
    List<Float> b = new ArrayList<>();
    for (int e = 0; e < score.length; e++) (labels[e] == 1 ? s : b).add(score[e]);
    double sum = 0;
    for (float a : s) for (float c : b) sum += a > c ? 1 : a == c ? 0.5 : 0;
    return sum / ((double) s.size() * b.size());
  }

  static float[] predict(ModelProto model, FloatTensor x) {
    try (OnnxModel m = OnnxModel.of(model, "trained", ExecutionOptions.defaults())) {
      return m.evaluate(x, List.of(NetworkGraphs.OUTPUT)).get(0).data();
    }
  }

  @Test
  void reachesTheBayesOptimalAucOfTwoGaussians() {
    double mu = 0.5;
    // Δ = 2μ·√2 between the means; the optimal linear score has AUC Φ(Δ / √2) = Φ(2μ).
    double bayes = new NormalDistribution().cumulativeProbability(2 * mu);
    Gaussians train = Gaussians.draw(20_000, mu, 1);
    Gaussians test = Gaussians.draw(4_000, mu, 2);
    Trainer trainer = new Trainer(new Network(2, new int[] {16}, Network.Activation.RELU),
        new TrainingOptions(20, 256, 3e-3, 0.2, 4, 5, 0), ExecutionOptions.defaults());
    Trainer.Result r = trainer.train("gaussians", train.x(), train.labels(), null, Progress.NONE);
    double auc = auc(predict(r.model(), test.x()), test.labels());
    // The test set's own AUC of the optimal score x0 + x1 is the fair yardstick (same sampling noise).
    float[] optimal = new float[test.labels().length];
    for (int e = 0; e < optimal.length; e++) optimal[e] = test.x().data()[2 * e] + test.x().data()[2 * e + 1];
    double best = auc(optimal, test.labels());
    assertEquals(bayes, best, 0.02, "the test sample itself");
    assertEquals(best, auc, 0.01, "trained AUC " + auc + " vs Bayes-optimal " + best);
  }

  @Test
  void lossGradientEqualsFiniteDifferencesOfAnIndependentFloat64Loss() {
    Network net = new Network(3, new int[] {4, 3}, Network.Activation.TANH);
    SplittableRandom r = new SplittableRandom(3);
    List<long[]> shapes = NetworkGraphs.parameterShapes(net);
    List<float[]> theta = new ArrayList<>();
    for (long[] s : shapes) {
      float[] t = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
      for (int i = 0; i < t.length; i++) t[i] = (float) (r.nextDouble() - 0.5);
      theta.add(t);
    }
    int n = 5;
    float[] x = new float[n * 3];
    float[] y = new float[n];
    float[] cot = new float[n];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    for (int e = 0; e < n; e++) {
      y[e] = e % 2;
      cot[e] = (float) (0.1 + r.nextDouble());
    }
    float[] mean = {0.1f, -0.2f, 0.05f};
    float[] scale = {0.9f, 1.1f, 0.7f};
    ModelProto training = NetworkGraphs.training(net, mean, scale, theta);
    List<FloatTensor> grads = engineLossGradient(net, training, FloatTensor.of(x, n, 3), y, cot, theta);
    assertMatchesFiniteDifferences(NetworkGraphs.parameterNames(net), theta, grads,
        th -> weightedLoss(net, th, x, y, cot, mean, scale), 1e-4);
  }

  /** Σ_e cot_e · BCE(sigmoid(z_e), y_e) with the MLP written out in double precision. */
  static double weightedLoss(Network net, double[][] th, float[] x, float[] y, float[] cot, float[] mean, float[] scale) {
    int[] w = net.widths();
    double total = 0;
    for (int e = 0; e < y.length; e++) {
      double[] h = new double[w[0]];
      for (int j = 0; j < w[0]; j++) h[j] = (x[e * w[0] + j] - mean[j]) / scale[j];
      for (int k = 1; k < w.length; k++) {
        double[] wk = th[2 * (k - 1)];
        double[] bk = th[2 * (k - 1) + 1];
        double[] next = new double[w[k]];
        for (int o = 0; o < w[k]; o++) {
          double s = bk[o];
          for (int i = 0; i < w[k - 1]; i++) s += h[i] * wk[i * w[k] + o];
          next[o] = k == w.length - 1 ? s : Math.tanh(s);
        }
        h = next;
      }
      double p = 1 / (1 + Math.exp(-h[0]));
      total += cot[e] * -(y[e] * Math.log(p) + (1 - y[e]) * Math.log(1 - p));
    }
    return total;
  }

  @Test
  void exportedModelComputesTheNetworkItsWeightsDescribe() {
    Gaussians g = Gaussians.draw(2_000, 0.5, 4);
    Network net = new Network(2, new int[] {8, 8}, Network.Activation.TANH);
    Trainer.Result r = new Trainer(net, new TrainingOptions(3, 64, 1e-2, 0.25, 2, 9, 0), ExecutionOptions.defaults())
        .train("check", g.x(), g.labels(), null, Progress.NONE);
    Map<String, float[]> init = new HashMap<>();
    for (TensorProto t : r.model().getGraph().getInitializerList()) {
      float[] v = new float[t.getRawData().size() / 4];
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      init.put(t.getName(), v);
    }
    List<String> names = NetworkGraphs.parameterNames(net);
    double[][] th = new double[names.size()][];
    for (int p = 0; p < th.length; p++) {
      float[] v = init.get(names.get(p));
      th[p] = new double[v.length];
      for (int i = 0; i < v.length; i++) th[p][i] = v[i];
    }
    float[] p = predict(r.model(), g.x());
    // The exported file (standardisation folded into layer 1), run by ORT, gives the trainer's own predictions.
    for (int e = 0; e < p.length; e++) assertEquals(1 / (1 + Math.exp(-r.logits()[e])), p[e], 1e-5, "event " + e);
    assertTrue(r.model().getGraph().getNodeList().stream().noneMatch(nd -> nd.getOpType().equals("Div")),
        "standardisation is folded into the first layer");
    for (int e = 0; e < 50; e++) {
      float[] xe = {g.x().data()[2 * e], g.x().data()[2 * e + 1]};
      // The loss of one event with label 1 is −log p: recover p from it.
      // The exported file has the standardisation folded into its first layer: a plain MLP.
      double expected = Math.exp(-weightedLoss(net, th, xe, new float[] {1}, new float[] {1}, new float[] {0, 0},
          new float[] {1, 1}));
      assertEquals(expected, p[e], 2e-6, "event " + e);
    }
    // Early stopping keeps the epoch with the lowest validation loss.
    double min = Double.POSITIVE_INFINITY;
    int arg = 0;
    for (Trainer.Epoch ep : r.history()) {
      if (ep.validationLoss() < min) {
        min = ep.validationLoss();
        arg = ep.epoch();
      }
    }
    assertEquals(arg, r.bestEpoch());
  }

  @Test
  void sameSeedGivesTheSameModelAndCheckpointsAreTaken() {
    Gaussians g = Gaussians.draw(1_000, 0.5, 5);
    Network net = new Network(2, new int[] {4}, Network.Activation.LEAKY_RELU);
    TrainingOptions o = new TrainingOptions(2, 100, 1e-2, 0.2, 2, 11, 4);
    Trainer.Result a = new Trainer(net, o, ExecutionOptions.defaults()).train("a", g.x(), g.labels(), null, Progress.NONE);
    Trainer.Result b = new Trainer(net, o, ExecutionOptions.defaults()).train("a", g.x(), g.labels(), null, Progress.NONE);
    assertArrayEquals(a.model().toByteArray(), b.model().toByteArray());
    // 800 training events in batches of 100: 8 steps per epoch, a checkpoint every 4.
    assertEquals(a.history().size() * 2, a.checkpoints().size());
    assertEquals(4, a.checkpoints().get(0).step());
  }

  @Test
  void oneClassIsRefusedWithAMessage() {
    FloatTensor x = FloatTensor.of(new float[20], 10, 2);
    GlassboxException e = assertThrows(GlassboxException.class, () -> new Trainer(new Network(2, new int[] {2},
        Network.Activation.RELU), TrainingOptions.defaults(), ExecutionOptions.defaults()).train("t", x, new int[10], null,
        Progress.NONE));
    assertTrue(e.getMessage().contains("training needs both classes"), e.getMessage());
  }

  /** Images 1 x 8 x 8: signal when the left half is brighter than the right (a linear rule a CNN learns quickly). */
  static FloatTensor halves(int n, int[] labels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 64];
    for (int e = 0; e < n; e++) {
      double left = 0;
      double right = 0;
      for (int p = 0; p < 64; p++) {
        float v = (float) r.nextDouble();
        x[e * 64 + p] = v;
        if (p % 8 < 4) left += v;
        else right += v;
      }
      labels[e] = left > right ? 1 : 0;
    }
    return FloatTensor.of(x, n, 1, 8, 8);
  }

  @Test
  void cnnLearnsAnImageRuleAndItsExportGivesTheTrainersOwnPredictions() {
    int[] labels = new int[4000];
    FloatTensor x = halves(4000, labels, 21);
    Network net = new Network(new long[] {1, 8, 8}, List.of(new Network.ConvBlock(4, 3)), new int[] {8},
        Network.Activation.RELU);
    Trainer.Result r = new Trainer(net, new TrainingOptions(8, 64, 3e-3, 0.2, 3, 2, 0), ExecutionOptions.defaults())
        .train("cnn", x, labels, null, Progress.NONE);
    float[] p = predict(r.model(), x);
    for (int e = 0; e < p.length; e++) assertEquals(1 / (1 + Math.exp(-r.logits()[e])), p[e], 1e-5, "event " + e);
    int[] testLabels = new int[2000];
    FloatTensor test = halves(2000, testLabels, 22);
    double auc = auc(predict(r.model(), test), testLabels);
    // Max-pooling blurs the rule; well above chance is what this checks (the gradient itself is checked by FD).
    assertTrue(auc > 0.85, "AUC " + auc);
  }

  @Test
  void cnnLossGradientEqualsFiniteDifferencesOfAnIndependentFloat64Loss() {
    Network net = new Network(new long[] {1, 6, 6}, List.of(new Network.ConvBlock(2, 3)), new int[] {3},
        Network.Activation.TANH);
    SplittableRandom r = new SplittableRandom(8);
    List<long[]> shapes = NetworkGraphs.parameterShapes(net);
    List<float[]> theta = new ArrayList<>();
    for (long[] s : shapes) {
      long size = 1;
      for (long d : s) size *= d;
      float[] t = new float[(int) size];
      for (int i = 0; i < t.length; i++) t[i] = (float) (r.nextDouble() - 0.5);
      theta.add(t);
    }
    int n = 3;
    float[] x = new float[n * 36];
    float[] y = {1, 0, 1};
    float[] cot = {0.3f, 0.5f, 0.2f};
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    float[] scale = {0.8f};
    ModelProto training = NetworkGraphs.training(net, new float[] {0}, scale, theta);
    List<FloatTensor> grads = engineLossGradient(net, training, FloatTensor.of(x, n, 1, 6, 6), y, cot, theta);
    assertMatchesFiniteDifferences(NetworkGraphs.parameterNames(net), theta, grads,
        th -> cnnLoss(th, x, y, cot, scale[0]), 2e-4);
  }

  /**
   * Σ_e cot_e · BCE for the network 1x6x6 → conv 2x3x3 (pad 1) → tanh → max-pool 2 → flatten 18 → 3 tanh → 1,
   * written out in double precision.
   */
  static double cnnLoss(double[][] th, float[] x, float[] y, float[] cot, float scale) {
    double total = 0;
    for (int e = 0; e < y.length; e++) {
      double[] act = new double[2 * 36];
      for (int m = 0; m < 2; m++) {
        for (int i = 0; i < 6; i++) {
          for (int j = 0; j < 6; j++) {
            double s = th[1][m];
            for (int a = 0; a < 3; a++) {
              for (int b = 0; b < 3; b++) {
                int ii = i + a - 1;
                int jj = j + b - 1;
                if (ii < 0 || ii >= 6 || jj < 0 || jj >= 6) continue;
                s += th[0][m * 9 + a * 3 + b] * x[e * 36 + ii * 6 + jj] / scale;
              }
            }
            act[m * 36 + i * 6 + j] = Math.tanh(s);
          }
        }
      }
      double[] pooled = new double[18];
      for (int m = 0; m < 2; m++) {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            double v = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) v = Math.max(v, act[m * 36 + (2 * i + a) * 6 + 2 * j + b]);
            pooled[m * 9 + i * 3 + j] = v;
          }
        }
      }
      double[] hidden = new double[3];
      for (int o = 0; o < 3; o++) {
        double s = th[3][o];
        for (int i = 0; i < 18; i++) s += pooled[i] * th[2][i * 3 + o];
        hidden[o] = Math.tanh(s);
      }
      double z = th[5][0];
      for (int i = 0; i < 3; i++) z += hidden[i] * th[4][i];
      double p = 1 / (1 + Math.exp(-z));
      total += cot[e] * -(y[e] * Math.log(p) + (1 - y[e]) * Math.log(1 - p));
    }
    return total;
  }
  /** Σ_e cot_e ∂L_e/∂θ for every parameter, from the trainer's derived graph run in ONNX Runtime. */
  static List<FloatTensor> engineLossGradient(Network net, ModelProto training, FloatTensor x, float[] y, float[] cot,
      List<float[]> theta) {
    List<String> names = NetworkGraphs.parameterNames(net);
    List<long[]> shapes = NetworkGraphs.parameterShapes(net);
    BackwardBuilder.Derived d = BackwardBuilder.derive(training, ShapeProbe.probe(training), GradientRules.standard(),
        new BackwardBuilder.Request(NetworkGraphs.LOSS, new Seed.Input("w"), names, List.of(NetworkGraphs.LOSS)));
    Map<String, FloatTensor> feeds = new HashMap<>();
    feeds.put("x", x);
    feeds.put("label", FloatTensor.of(y, y.length, 1));
    feeds.put("w", FloatTensor.of(cot, cot.length, 1));
    for (int p = 0; p < names.size(); p++) feeds.put(names.get(p), new FloatTensor(theta.get(p), shapes.get(p)));
    try (CompiledGraph g = new CompiledGraph(NetworkGraphs.parametersAsInputs(d.model(), names).toByteArray(),
        ExecutionOptions.defaults(), "test")) {
      return g.run(feeds, d.gradientOutputs());
    }
  }

  /** Each parameter's gradient against central differences (step 1e-6) of a float64 loss, relative tolerance tol. */
  static void assertMatchesFiniteDifferences(List<String> names, List<float[]> theta, List<FloatTensor> grads,
      java.util.function.ToDoubleFunction<double[][]> loss, double tol) {
    double[][] th = new double[theta.size()][];
    for (int p = 0; p < th.length; p++) {
      th[p] = new double[theta.get(p).length];
      for (int i = 0; i < th[p].length; i++) th[p][i] = theta.get(p)[i];
    }
    double h = 1e-6;
    for (int p = 0; p < th.length; p++) {
      for (int i = 0; i < th[p].length; i++) {
        double keep = th[p][i];
        th[p][i] = keep + h;
        double up = loss.applyAsDouble(th);
        th[p][i] = keep - h;
        double down = loss.applyAsDouble(th);
        th[p][i] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, grads.get(p).data()[i], tol * Math.max(1, Math.abs(fd)), names.get(p) + "[" + i + "]");
      }
    }
  }
}
