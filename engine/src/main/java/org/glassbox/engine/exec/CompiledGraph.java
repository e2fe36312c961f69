package org.glassbox.engine.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.FloatTensor;

/**
 * An ONNX graph compiled into an ONNX Runtime session. Owns the session; close it once. Safe for
 * concurrent {@link #run} calls (ONNX Runtime sessions are).
 */
public final class CompiledGraph implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<String> inputNames;
  private final List<String> outputNames;

  public CompiledGraph(byte[] model, ExecutionOptions options, String what) {
    this(model, options, what, OrtSession.SessionOptions.OptLevel.ALL_OPT);
  }

  public CompiledGraph(byte[] model, ExecutionOptions options, String what, OrtSession.SessionOptions.OptLevel level) {
    this.env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(level);
      // Derived graphs leave folded initializers unused by design; ORT's warnings about them would
      // only alarm users. Errors still come through as exceptions.
      so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      if (options.intraOpThreads() > 0) so.setIntraOpNumThreads(options.intraOpThreads());
      // Developer aid: -Dglassbox.ort.profile=/tmp/prefix writes ONNX Runtime's per-node timings.
      String profile = System.getProperty("glassbox.ort.profile");
      // (A distinct prefix per session: sessions created in the same second would overwrite each other's file.)
      if (profile != null) so.enableProfiling(profile + "-" + Long.toHexString(System.nanoTime()));
      this.session = env.createSession(model, so);
      this.inputNames = new ArrayList<>(session.getInputNames());
      this.outputNames = new ArrayList<>(session.getOutputNames());
    } catch (OrtException e) {
      throw new GlassboxException("ONNX Runtime could not load " + what + ": " + e.getMessage(), e);
    }
  }

  public List<String> inputNames() {
    return inputNames;
  }

  public List<String> outputNames() {
    return outputNames;
  }

  /** Runs the graph on float inputs and returns the requested float outputs, in order. */
  public List<FloatTensor> run(Map<String, FloatTensor> inputs, List<String> outputs) {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
      }
      try (OrtSession.Result result = session.run(feeds, new java.util.LinkedHashSet<>(outputs))) {
        List<FloatTensor> out = new ArrayList<>(outputs.size());
        for (String name : outputs) {
          OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
          out.add(toFloat(t));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new GlassboxException("ONNX Runtime failed while running the graph: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /** Shapes and ONNX element types of all outputs for one run; used to learn intermediate shapes. */
  public Map<String, long[]> runForShapes(Map<String, OnnxTensor> feeds, Map<String, Integer> elemTypes) {
    try (OrtSession.Result result = session.run(feeds)) {
      Map<String, long[]> shapes = new HashMap<>();
      for (Map.Entry<String, OnnxValue> e : result) {
        if (e.getValue() instanceof OnnxTensor t) {
          shapes.put(e.getKey(), t.getInfo().getShape());
          elemTypes.put(e.getKey(), onnxType(t.getInfo().onnxType));
        }
      }
      return shapes;
    } catch (OrtException e) {
      throw new GlassboxException("ONNX Runtime failed while probing tensor shapes: " + e.getMessage(), e);
    }
  }

  OrtEnvironment environment() {
    return env;
  }

  /** ONNX Runtime's Java enum numbers element types its own way; map by name to TensorProto codes. */
  private static int onnxType(OnnxTensorType t) {
    String n = t.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
    return switch (n) {
      case "FLOAT" -> 1;
      case "UINT8" -> 2;
      case "INT8" -> 3;
      case "UINT16" -> 4;
      case "INT16" -> 5;
      case "INT32" -> 6;
      case "INT64" -> 7;
      case "STRING" -> 8;
      case "BOOL" -> 9;
      case "FLOAT16" -> 10;
      case "DOUBLE" -> 11;
      case "UINT32" -> 12;
      case "UINT64" -> 13;
      case "BFLOAT16" -> 16;
      default -> 0;
    };
  }

  private static FloatTensor toFloat(OnnxTensor t) throws OrtException {
    long[] shape = t.getInfo().getShape();
    FloatBuffer fb = t.getFloatBuffer();
    if (fb == null) throw new GlassboxException("expected a float32 output, got " + t.getInfo().type);
    float[] data = new float[fb.remaining()];
    fb.get(data);
    return new FloatTensor(data, shape);
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
