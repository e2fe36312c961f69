package org.glassbox.benchmarks;

import java.util.Arrays;

/** Median wall-clock time of a task after warm-up runs. */
final class Timing {
  private Timing() {}

  static double medianSeconds(int warmup, int runs, Runnable task) {
    for (int i = 0; i < warmup; i++) task.run();
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      task.run();
      t[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  /**
   * Median times of two tasks run alternately, so that a noisy neighbour slows both alike and the
   * ratio of the medians stays meaningful.
   */
  static double[] interleavedMedians(int warmup, int runs, Runnable a, Runnable b) {
    for (int i = 0; i < warmup; i++) {
      a.run();
      b.run();
    }
    double[] ta = new double[runs];
    double[] tb = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      a.run();
      ta[i] = (System.nanoTime() - s) / 1e9;
      s = System.nanoTime();
      b.run();
      tb[i] = (System.nanoTime() - s) / 1e9;
    }
    Arrays.sort(ta);
    Arrays.sort(tb);
    return new double[] {ta[runs / 2], tb[runs / 2]};
  }
}
