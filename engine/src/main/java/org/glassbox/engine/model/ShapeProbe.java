package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;

/**
 * Learns the shape and element type of every tensor of a graph. Java has no ONNX shape inference,
 * so the graph is run twice, on batches of 2 and 3 events, with every node output exposed; a
 * dimension that differs between the two runs depends on the batch and is marked dynamic.
 */
public final class ShapeProbe {
  private ShapeProbe() {}

  public static Shapes probe(ModelProto model) {
    GraphProto graph = model.getGraph();
    Set<String> initializers = new java.util.HashSet<>();
    for (TensorProto t : graph.getInitializerList()) initializers.add(t.getName());
    Set<String> exposed = new LinkedHashSet<>();
    for (NodeProto n : graph.getNodeList()) {
      for (String o : n.getOutputList()) if (!o.isEmpty()) exposed.add(o);
    }
    GraphProto.Builder g = graph.toBuilder().clearOutput();
    for (String name : exposed) g.addOutput(ValueInfoProto.newBuilder().setName(name));
    byte[] bytes = model.toBuilder().setGraph(g).build().toByteArray();

    Map<String, Integer> types = new HashMap<>();
    Map<String, long[]> two;
    Map<String, long[]> three;
    try (CompiledGraph probe = new CompiledGraph(bytes, ExecutionOptions.defaults().withThreads(1), "the shape probe",
        OrtSession.SessionOptions.OptLevel.NO_OPT)) {
      two = run(probe, graph, initializers, 2, types);
      three = run(probe, graph, initializers, 3, types);
    }
    Map<String, TensorInfo> out = new LinkedHashMap<>();
    for (ValueInfoProto in : graph.getInputList()) {
      if (initializers.contains(in.getName())) continue;
      long[] d = Protos.declaredDims(in);
      out.put(in.getName(), new TensorInfo(in.getName(), in.getType().getTensorType().getElemType(), d));
    }
    for (TensorProto t : graph.getInitializerList()) {
      out.put(t.getName(), new TensorInfo(t.getName(), t.getDataType(), t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
    }
    for (String name : two.keySet()) {
      long[] a = two.get(name);
      long[] b = three.get(name);
      long[] dims = a.clone();
      if (b == null || b.length != a.length) {
        throw new GlassboxException("Tensor '" + name + "' changes rank with the batch size; Glassbox cannot derive this graph.");
      }
      for (int i = 0; i < dims.length; i++) if (a[i] != b[i]) dims[i] = TensorInfo.DYNAMIC;
      out.put(name, new TensorInfo(name, types.get(name), dims));
    }
    return new Shapes(out);
  }

  private static Map<String, long[]> run(CompiledGraph probe, GraphProto graph, Set<String> initializers, int batch,
      Map<String, Integer> types) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(batch);
    try {
      for (ValueInfoProto in : graph.getInputList()) {
        if (initializers.contains(in.getName())) continue;
        long[] dims = Protos.declaredDims(in);
        for (int i = 0; i < dims.length; i++) {
          if (dims[i] == TensorInfo.DYNAMIC) {
            if (i != 0) {
              throw new GlassboxException("Input '" + in.getName() + "' has a symbolic dimension at axis " + i
                  + "; Glassbox needs every axis but the first (the events) fixed. Re-export the model with a fixed"
                  + " size there.");
            }
            dims[i] = batch;
          }
        }
        feeds.put(in.getName(), randomTensor(env, in.getType().getTensorType().getElemType(), dims, random));
      }
      return probe.runForShapes(feeds, types);
    } catch (OrtException e) {
      throw new GlassboxException("Cannot create probe inputs: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor randomTensor(OrtEnvironment env, int elemType, long[] dims, SplittableRandom random)
      throws OrtException {
    int n = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    switch (elemType) {
      case TensorInfo.FLOAT -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextDouble() * 2 - 1);
        return OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(v), dims);
      }
      case TensorInfo.DOUBLE -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = random.nextDouble() * 2 - 1;
        return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(v), dims);
      }
      case TensorInfo.INT64 -> {
        return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(new long[n]), dims);
      }
      case TensorInfo.BOOL -> {
        return OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder()), dims,
            ai.onnxruntime.OnnxJavaType.BOOL);
      }
      default -> throw new GlassboxException("Graph inputs of ONNX element type " + elemType + " are not supported yet.");
    }
  }
}
