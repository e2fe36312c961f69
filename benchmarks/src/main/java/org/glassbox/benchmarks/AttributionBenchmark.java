package org.glassbox.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.Neuron;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.testing.EngineModel;
import org.glassbox.plugins.activationdifference.ActivationDifferenceMethod;
import org.glassbox.plugins.taylor.TaylorMethod;

/**
 * Speed goals of the attribution plugins, measured in one process:
 *
 * <ul>
 *   <li>activation difference over the 19 inputs of seed 000's MLP, S = 1: its time divided by 19
 *       forward passes of the same events (goal ≤ 1.5; the method itself needs F·S·N + N rows);
 *   <li>Taylor coefficients to order 2 on the 30-input tanh MLP: events per second (gradient and
 *       per-event Hessian, 495 coefficients per event), next to the engine's bare Hessian rate.
 * </ul>
 *
 * <p>Run: {@code ./glassbox-bench attribution [models-folder [ad-events [taylor-events]]]} (defaults
 * examples/models, 20,000 and 100,000).
 */
public final class AttributionBenchmark {
  private AttributionBenchmark() {}

  public static void main(String[] args) {
    Path models = Path.of(args.length > 0 ? args[0] : "examples/models");
    int adEvents = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 20_000;
    int taylorEvents = args.length > 2 ? Integer.parseInt(args[2].replace("_", "")) : 100_000;
    int threads = Integer.getInteger("glassbox.threads", 0);
    Runtime rt = Runtime.getRuntime();
    System.out.printf("Glassbox attribution benchmark (%d cores, intra-op threads %s, max heap %.1f GiB)%n",
        rt.availableProcessors(), threads == 0 ? "auto" : threads, rt.maxMemory() / 1073741824.0);
    activationDifference(models.resolve("seed000_mlp.onnx"), adEvents, threads);
    taylor(models.resolve("mlp30_tanh.onnx"), taylorEvents, threads);
  }

  static void activationDifference(Path file, int events, int threads) {
    try (EngineModel model = EngineModel.of(OnnxModel.load(file, new ExecutionOptions(threads, 65_536)))) {
      FloatTensor x = EngineBenchmark.uniform(model.onnx().input().eventShape(), events, 5);
      int f = x.eventSize();
      EventData data = data(x);
      AttributionMethod method = new ActivationDifferenceMethod();
      Attribution[] result = new Attribution[1];
      double[] t = Timing.interleavedMedians(3, 7, () -> {
        for (int i = 0; i < f; i++) model.onnx().evaluate(x);
      }, () -> result[0] = run(method, model, data, Map.of("samples", 1)));
      System.out.printf("activation difference  seed 000 MLP, %d inputs, %,d events, samples 1: %8.1f ms;"
              + " %d forward passes %8.1f ms; ratio %.2f (goal <= 1.5)%n",
          f, events, t[1] * 1e3, f, t[0] * 1e3, t[1] / t[0]);
      double[] v = result[0].values();
      int best = 0;
      for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
      System.out.printf("    (largest AD %s = %.4f +- %.4f, sigma_z %.3g)%n", result[0].features().get(best), v[best],
          result[0].errors()[best], result[0].summary().get("sigma_z").mean()[0]);
    }
  }

  static void taylor(Path file, int events, int threads) {
    try (EngineModel model = EngineModel.of(OnnxModel.load(file, new ExecutionOptions(threads, 65_536)))) {
      FloatTensor x = EngineBenchmark.uniform(model.onnx().input().eventShape(), events, 6);
      int f = x.eventSize();
      EventData data = data(x);
      AttributionMethod method = new TaylorMethod();
      Attribution[] result = new Attribution[1];
      // The engine alone on the same events, in blocks of the size the method uses (32 Mi floats),
      // run alternately with the method so that a noisy neighbour slows both alike.
      int block = Math.max(1, (1 << 23) / (f * f));
      Neuron z = model.neuron("output");
      double[] times = Timing.interleavedMedians(1, 5, () -> {
        for (int from = 0; from < events; from += block) {
          FloatTensor part = x.slice(from, Math.min(events, from + block));
          model.gradient(z, part);
          model.hessian(z, part);
        }
      }, () -> result[0] = run(method, model, data, Map.of("order", 2)));
      double bare = times[0];
      double t = times[1];
      System.out.printf("Taylor order 2         30-input tanh MLP, %,d events, %d features: %8.1f ms = %,10.0f events/s;"
              + " gradient + Hessian alone %,10.0f events/s (Taylor / engine %.2f)%n",
          events, result[0].features().size(), t * 1e3, events / t, events / bare, t / bare);
    }
  }

  private static EventData data(FloatTensor x) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < x.eventSize(); i++) names.add("x" + i);
    double[] w = new double[x.events()];
    Arrays.fill(w, 1);
    return new EventData() {
      @Override
      public FloatTensor inputs() {
        return x;
      }

      @Override
      public List<String> featureNames() {
        return names;
      }

      @Override
      public double[] weights() {
        return w;
      }

      @Override
      public Optional<int[]> labels() {
        return Optional.empty();
      }
    };
  }

  private static Attribution run(AttributionMethod method, EngineModel model, EventData data, Map<String, Object> options) {
    return model.run(method, "output", data, options, 1);
  }
}
