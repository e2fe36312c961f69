package org.glassbox.benchmarks;

import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.Progress;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.train.Network;
import org.glassbox.engine.train.Trainer;
import org.glassbox.engine.train.TrainingOptions;

/**
 * Issue 5's training benchmark: the seed 000 MLP (19 inputs; hidden 128-64-32-16-16-8-8-4-4-2-2,
 * LeakyReLU 0.1) trained for one epoch over 200,000 events in batches of 512 with the built-in
 * trainer, printed next to the time of one forward pass over the same events (the exported model).
 *
 * <p>Run: {@code ./glassbox-bench training [events]}.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 200_000;
    int f = 19;
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[n * f];
    int[] labels = new int[n];
    for (int e = 0; e < n; e++) {
      double s = 0;
      for (int j = 0; j < f; j++) {
        x[e * f + j] = (float) (r.nextDouble() * 2 - 1);
        s += (j % 3 == 0 ? 1 : -0.5) * x[e * f + j];
      }
      labels[e] = s + 0.3 * (r.nextDouble() - 0.5) > 0 ? 1 : 0;
    }
    FloatTensor data = FloatTensor.of(x, n, f);
    Network net = new Network(f, new int[] {128, 64, 32, 16, 16, 8, 8, 4, 4, 2, 2}, Network.Activation.LEAKY_RELU);
    ExecutionOptions exec = ExecutionOptions.defaults();
    System.out.printf("Glassbox training benchmark (%d cores): seed 000 MLP (%d parameters), %,d events, batch 512%n",
        Runtime.getRuntime().availableProcessors(), net.parameters(), n);
    // Warm-up: sessions, JIT.
    new Trainer(net, new TrainingOptions(1, 512, 1e-3, 0, 1, 1, 0), exec).train("warm-up", data.slice(0, 20_000), labels,
        null, Progress.NONE);
    double best = Double.MAX_VALUE;
    Trainer.Result result = null;
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      result = new Trainer(net, new TrainingOptions(1, 512, 1e-3, 0, 1, 1, 0), exec).train("bench", data, labels, null,
          Progress.NONE);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    double forward = Double.MAX_VALUE;
    try (OnnxModel m = OnnxModel.of(result.model(), "trained", exec)) {
      m.evaluate(data.slice(0, 1000), List.of("p_signal"));
      for (int rep = 0; rep < 5; rep++) {
        long t0 = System.nanoTime();
        m.evaluate(data, List.of("p_signal"));
        forward = Math.min(forward, (System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.printf("one epoch (%,d Adam steps, plus the final pass that scores every event): %.2f s (best of 3)%n",
        (n + 511) / 512, best);
    System.out.printf("forward pass over the same %,d events: %.3f s -> epoch / forward = %.1f%n", n, forward, best / forward);
    System.out.printf("training loss after one epoch %.4f%n", result.history().get(0).trainingLoss());
  }
}
