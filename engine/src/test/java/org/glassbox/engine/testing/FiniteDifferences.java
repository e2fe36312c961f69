package org.glassbox.engine.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.util.Map;
import org.glassbox.engine.model.Precision;

/**
 * The naive reference kept on purpose: central finite differences of a graph run in float64 by
 * ONNX Runtime (the graph is converted with {@link Precision#toDouble}). Independent of the
 * derivative builder: only forward kernels are used.
 */
public final class FiniteDifferences implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String input;
  private final boolean isDouble;

  private FiniteDifferences(OrtSession session, boolean isDouble) throws OrtException {
    this.session = session;
    this.isDouble = isDouble;
    this.input = session.getInputNames().iterator().next();
  }

  /** A float64 runner for the model, or null if ONNX Runtime has no float64 kernel for one of its operators. */
  public static FiniteDifferences inDouble(ModelProto model) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setIntraOpNumThreads(1);
      return new FiniteDifferences(env.createSession(Precision.toDouble(model).toByteArray(), so), true);
    } catch (OrtException e) {
      return null;
    }
  }

  /** A float32 runner: the fallback for operators without float64 kernels (use a larger step). */
  public static FiniteDifferences inFloat(ModelProto model) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setIntraOpNumThreads(1);
      return new FiniteDifferences(env.createSession(model.toByteArray(), so), false);
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean isDouble() {
    return isDouble;
  }

  /** Runs the first output for events x[n][f] in float64. */
  public double[] run(double[] x, int events) {
    int f = x.length / events;
    if (!isDouble) {
      float[] xf = new float[x.length];
      for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
      try (OnnxTensor t = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(xf), new long[] {events, f});
          OrtSession.Result r = session.run(Map.of(input, t))) {
        java.nio.FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
        double[] out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
    }
    try (OnnxTensor t = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), new long[] {events, f});
        OrtSession.Result r = session.run(Map.of(input, t))) {
      DoubleBuffer b = ((OnnxTensor) r.get(0)).getDoubleBuffer();
      double[] out = new double[b.remaining()];
      b.get(out);
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Jacobian of output element {@code k} (per event) with respect to every input feature, by
   * central differences: result[n][j] for events n, of shape events x (per-event output size...)
   * flattened as [n][outIndex][f] when k < 0 (all outputs).
   */
  public double[] jacobian(double[] x, int events, double h) {
    int f = x.length / events;
    double[] base = run(x, events);
    int m = base.length / events;
    double[] jac = new double[events * m * f];
    for (int j = 0; j < f; j++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      for (int n = 0; n < events; n++) {
        plus[n * f + j] += h;
        minus[n * f + j] -= h;
      }
      double[] yp = run(plus, events);
      double[] ym = run(minus, events);
      for (int n = 0; n < events; n++) {
        for (int o = 0; o < m; o++) jac[(n * m + o) * f + j] = (yp[n * m + o] - ym[n * m + o]) / (2 * h);
      }
    }
    return jac;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
