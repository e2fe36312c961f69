package org.glassbox.benchmarks;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.glassbox.api.NeuronId;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;

/**
 * Issue 2's speed goals, as ratios measured in this process: gradient time / forward time of the
 * same model and batch, and per-event Hessians per second.
 *
 * <p>Issue 9's taggers (graph network, transformer, LSTM over particle lists) are loaded from the
 * engine's test fixtures, {@code engine/src/test/resources/fixtures} relative to the working
 * directory (the repository root), or the folder named by {@code -Dglassbox.fixtures=...}.
 *
 * <p>Run: {@code ./glassbox-bench engine [models-folder]} (default examples/models).
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  public static void main(String[] args) {
    Path models = Path.of(args.length > 0 ? args[0] : "examples/models");
    int threads = Integer.getInteger("glassbox.threads", 0);
    System.out.printf("Glassbox engine benchmark (%d cores, intra-op threads %s)%n",
        Runtime.getRuntime().availableProcessors(), threads == 0 ? "auto" : threads);
    gradientRatio(models.resolve("seed000_mlp.onnx"), 100_000, threads, "seed 000 MLP, 19 inputs, 11 hidden layers");
    gradientRatio(models.resolve("jet_cnn32.onnx"), 2_000, threads, "jet-image CNN, 1x32x32");
    lrpRatio(models.resolve("jet_cnn32.onnx"), 2_000, threads, "jet-image CNN, 1x32x32, epsilon-plus-flat");
    hessianRate(models.resolve("mlp30_tanh.onnx"), 20_000, threads, "30-input MLP 64-64-64, tanh");
    hessianRate(models.resolve("mlp30_relu.onnx"), 20_000, threads, "30-input MLP 64-64-64, ReLU");
    Path fixtures = Path.of(System.getProperty("glassbox.fixtures", "engine/src/test/resources/fixtures"));
    taggerRatio(fixtures.resolve("taggers/edgeconv.onnx"), 256, threads, "EdgeConv tagger, kNN k=4, 16x3, opset 13", 3);
    taggerRatio(fixtures.resolve("taggers/edgeconv_opset17.onnx"), 256, threads, "EdgeConv tagger, kNN k=4, 16x3, opset 17", 3);
    taggerRatio(fixtures.resolve("taggers/transformer.onnx"), 256, threads, "transformer tagger, 2 layers, 16x3", 3);
    taggerRatio(fixtures.resolve("recurrent/lstm_tagger.onnx"), 256, threads, "LSTM tagger, 6x3 particles", 4);
  }

  /**
   * Zero-padded particle lists [batch, P, F] with features (pt, eta, phi): event i has 1..P
   * particles with pt in (0.1, 2], eta in [-2.5, 2.5], phi in [-pi, pi]; the rest is zero.
   */
  static FloatTensor particles(long[] eventShape, int events, long seed) {
    int p = (int) eventShape[0];
    int f = (int) eventShape[1];
    float[] v = new float[events * p * f];
    SplittableRandom r = new SplittableRandom(seed);
    for (int e = 0; e < events; e++) {
      int n = 1 + r.nextInt(p);
      for (int j = 0; j < n; j++) {
        int o = (e * p + j) * f;
        for (int k = 0; k < f; k++) {
          v[o + k] = (float) (k == 0 ? 0.1 + 1.9 * r.nextDouble() : k == 1 ? 5 * r.nextDouble() - 2.5
              : Math.PI * (2 * r.nextDouble() - 1));
        }
      }
    }
    return new FloatTensor(v, new long[] {events, p, f});
  }

  /** Gradient/forward of one of issue 9's particle-list taggers (test fixtures), in the style above. */
  static void taggerRatio(Path file, int batch, int threads, String label, double goal) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      System.out.printf("gradient/forward  %-45s skipped: %s not found (run from the repository root)%n", label, file);
      return;
    }
    ExecutionOptions opts = new ExecutionOptions(threads, batch);
    try (OnnxModel model = OnnxModel.load(file, opts)) {
      FloatTensor x = particles(model.input().eventShape(), batch, 4);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(-1));
      Derivatives d = Derivatives.of(model);
      double[] t = Timing.interleavedMedians(20, 101, () -> model.evaluate(x), () -> d.gradient(z, x));
      System.out.printf("gradient/forward  %-45s batch %,7d: forward %8.2f ms, gradient %8.2f ms, ratio %.2f (goal <= %.0f)%n",
          label, batch, t[0] * 1e3, t[1] * 1e3, t[1] / t[0], goal);
    }
  }

  static FloatTensor uniform(long[] eventShape, int events, long seed) {
    int per = 1;
    for (long d : eventShape) per *= (int) d;
    float[] v = new float[events * per];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
    long[] shape = new long[eventShape.length + 1];
    shape[0] = events;
    System.arraycopy(eventShape, 0, shape, 1, eventShape.length);
    return new FloatTensor(v, shape);
  }

  static void gradientRatio(Path file, int batch, int threads, String label) {
    ExecutionOptions opts = new ExecutionOptions(threads, batch);
    try (OnnxModel model = OnnxModel.load(file, opts)) {
      FloatTensor x = uniform(model.input().eventShape(), batch, 1);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(-1));
      Derivatives d = Derivatives.of(model);
      double[] t = Timing.interleavedMedians(3, 9, () -> model.evaluate(x), () -> d.gradient(z, x));
      double fwd = t[0];
      double grad = t[1];
      System.out.printf("gradient/forward  %-45s batch %,7d: forward %8.2f ms, gradient %8.2f ms, ratio %.2f (goal <= 2.5)%n",
          label, batch, fwd * 1e3, grad * 1e3, grad / fwd);
    }
  }

  static void lrpRatio(Path file, int batch, int threads, String label) {
    ExecutionOptions opts = new ExecutionOptions(threads, batch);
    var composite = new org.glassbox.api.attribution.LrpComposite("epsilon-plus-flat",
        new org.glassbox.api.attribution.LrpRule.Epsilon(1e-6), new org.glassbox.api.attribution.LrpRule.ZPlus(),
        java.util.Optional.of(new org.glassbox.api.attribution.LrpRule.Flat()), java.util.Map.of());
    try (OnnxModel model = OnnxModel.load(file, opts)) {
      FloatTensor x = uniform(model.input().eventShape(), batch, 3);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(-1));
      Derivatives d = Derivatives.of(model);
      double[] t = Timing.interleavedMedians(3, 9, () -> model.evaluate(x), () -> d.relevance(z, composite, true, x));
      System.out.printf("LRP/forward       %-45s batch %,7d: forward %8.2f ms, LRP      %8.2f ms, ratio %.2f (goal <= 3)%n",
          label, batch, t[0] * 1e3, t[1] * 1e3, t[1] / t[0]);
    }
  }

  static void hessianRate(Path file, int events, int threads, String label) {
    ExecutionOptions opts = new ExecutionOptions(threads, 65_536);
    try (OnnxModel model = OnnxModel.load(file, opts)) {
      FloatTensor x = uniform(model.input().eventShape(), events, 2);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(-1));
      Derivatives d = Derivatives.of(model);
      double fwd = Timing.medianSeconds(2, 5, () -> model.evaluate(x));
      double hess = Timing.medianSeconds(1, 3, () -> d.hessian(z, x));
      System.out.printf("per-event Hessian %-45s %,7d events: %8.2f ms = %,10.0f events/s (goal >= 20,000); %.1f x forward%n",
          label, events, hess * 1e3, events / hess, hess / fwd);
    }
  }
}
