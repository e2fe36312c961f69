package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.api.Test;

/**
 * Conv → ReLU → max-pool, whose backward pass recomputes the convolution space-to-depth: where a window
 * holds several equal maxima (an empty image region, where the convolution gives its bias everywhere) only
 * the first in row-major order receives the gradient, as in ONNX Runtime and PyTorch. Checked against a
 * direct computation in double precision.
 */
class ConvReluPoolTiesTest {
  private static final int S = 6;
  private static final int M = 3;

  @Test
  void firstMaximumOfATiedWindowTakesTheGradient() {
    double[] w = new double[M * 9];
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < w.length; i++) w[i] = r.nextDouble() * 2 - 1;
    double[] bias = {0.5, 0.25, -0.125};
    TinyGraph b = new TinyGraph(S * S, 13, 1);
    String img = b.reshape("x", 0, 1, S, S);
    String conv = b.node("Conv", new String[] {img, b.floats(w, M, 1, 3, 3), b.floats(bias, M)},
        Attr.ints("kernel_shape", 3, 3), Attr.ints("pads", 1, 1, 1, 1));
    String pooled = b.node("MaxPool", b.node("Relu", conv), Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2));
    String y = b.node("Flatten", pooled, Attr.i("axis", 1));
    float[] x = new float[3 * S * S];
    // Event 0: empty (every window tied); event 1: one lit pixel; event 2: random.
    x[S * S + 2 * S + 3] = 1.5f;
    for (int i = 2 * S * S; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
    FloatTensor in = FloatTensor.of(x, 3, S * S);
    try (OnnxModel model = OnnxModel.of(b.model(y), "ties", ExecutionOptions.defaults().withThreads(1))) {
      Derivatives d = Derivatives.of(model);
      int h = S / 2;
      for (int k = 0; k < M * h * h; k++) {
        FloatTensor g = d.gradient(model.resolve(new NeuronId.Output(k)), in);
        for (int e = 0; e < 3; e++) {
          double[] want = expected(x, e, w, bias, k);
          for (int p = 0; p < S * S; p++) {
            assertEquals(want[p], g.data()[e * S * S + p], 1e-5, "event " + e + ", output " + k + ", pixel " + p);
          }
        }
      }
    }
  }

  /** d pooled[k] / d x for one event: the window's first maximum of ReLU(conv), if positive, times W. */
  private static double[] expected(float[] x, int e, double[] w, double[] bias, int k) {
    int h = S / 2;
    int m = k / (h * h);
    int oi = k / h % h;
    int oj = k % h;
    double best = Double.NEGATIVE_INFINITY;
    int bi = -1;
    int bj = -1;
    for (int di = 0; di < 2; di++) {
      for (int dj = 0; dj < 2; dj++) {
        int ci = 2 * oi + di;
        int cj = 2 * oj + dj;
        double c = bias[m];
        for (int u = 0; u < 3; u++) {
          for (int t = 0; t < 3; t++) {
            int xi = ci + u - 1;
            int xj = cj + t - 1;
            if (xi >= 0 && xi < S && xj >= 0 && xj < S) c += w[m * 9 + u * 3 + t] * x[e * S * S + xi * S + xj];
          }
        }
        double a = Math.max(c, 0);
        if (a > best) {
          best = a;
          bi = ci;
          bj = cj;
        }
      }
    }
    double[] g = new double[S * S];
    if (best <= 0) return g;
    for (int u = 0; u < 3; u++) {
      for (int t = 0; t < 3; t++) {
        int xi = bi + u - 1;
        int xj = bj + t - 1;
        if (xi >= 0 && xi < S && xj >= 0 && xj < S) g[xi * S + xj] += w[m * 9 + u * 3 + t];
      }
    }
    return g;
  }
}
