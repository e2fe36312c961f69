package org.glassbox.engine.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.glassbox.engine.derive.Attr;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.TensorInfo;

/** Builds small ONNX models by hand for tests: input "x" of shape [N, features]. */
public final class TinyGraph {
  private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
  private final int opset;
  private final SplittableRandom random;
  private int counter;

  public TinyGraph(int features, int opset, long seed) {
    this.opset = opset;
    this.random = new SplittableRandom(seed);
    g.addInput(Protos.valueInfo("x", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, features}));
  }

  public int opset() {
    return opset;
  }

  public String node(String op, String[] inputs, AttributeProto... attrs) {
    String out = op.toLowerCase() + "_" + counter++;
    g.addNode(NodeProto.newBuilder().setOpType(op).setName("node_" + out).addAllInput(Arrays.asList(inputs))
        .addOutput(out).addAllAttribute(Arrays.asList(attrs)));
    return out;
  }

  public String node(String op, String a, AttributeProto... attrs) {
    return node(op, new String[] {a}, attrs);
  }

  public String node(String op, String a, String b, AttributeProto... attrs) {
    return node(op, new String[] {a, b}, attrs);
  }

  public String floats(double[] values, long... dims) {
    String name = "c_" + counter++;
    ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) bb.putFloat((float) v);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.FLOAT)
        .setRawData(ByteString.copyFrom(bb.array()));
    for (long d : dims) t.addDims(d);
    g.addInitializer(t);
    return name;
  }

  /** Random normal constant with the given shape. */
  public String random(long... dims) {
    int n = 1;
    for (long d : dims) n *= (int) d;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = gaussian();
    return floats(v, dims);
  }

  public String scalar(double v) {
    return floats(new double[] {v});
  }

  public String longs(long... values) {
    String name = "i_" + counter++;
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) bb.putLong(v);
    g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64).addDims(values.length)
        .setRawData(ByteString.copyFrom(bb.array())));
    return name;
  }

  /** An int64 constant of the given shape. */
  public String longsShaped(long[] values, long... dims) {
    String name = "i_" + counter++;
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) bb.putLong(v);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64)
        .setRawData(ByteString.copyFrom(bb.array()));
    for (long d : dims) t.addDims(d);
    g.addInitializer(t);
    return name;
  }

  public String reshape(String x, long... shape) {
    return node("Reshape", x, longs(shape));
  }

  double gaussian() {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** The model with output "y" = tensor {@code name} as is. */
  public ModelProto model(String name) {
    GraphProto.Builder out = g.clone().clearOutput();
    out.addOutput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName(name));
    return ModelProto.newBuilder().setIrVersion(opset >= 16 ? 8 : 7).setProducerName("glassbox-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(out).build();
  }

  /**
   * Ends the graph with a scalar per event that depends on every element of {@code y} with its own
   * weight and curvature: out = Σ_j w_j (y_j + ½ y_j²). Output "out" of shape [N, 1].
   */
  public ModelProto scalarModel(String y) {
    TensorInfo info = ShapeProbe.probe(model(y)).get(y);
    long[] dims = info.dims().clone();
    dims[0] = 1;
    String curved = node("Add", y, node("Mul", node("Mul", y, y), scalar(0.5)));
    String weighted = node("Mul", curved, random(dims));
    String flat = node("Flatten", weighted, Attr.i("axis", 1));
    String sum = opset >= 13
        ? node("ReduceSum", flat, longs(1), Attr.i("keepdims", 1))
        : node("ReduceSum", flat, Attr.ints("axes", 1), Attr.i("keepdims", 1));
    GraphProto.Builder out = g.clone().clearOutput();
    out.getNodeBuilderList().get(out.getNodeCount() - 1).setOutput(0, "out");
    out.addOutput(Protos.valueInfo("out", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1}));
    return ModelProto.newBuilder().setIrVersion(opset >= 16 ? 8 : 7).setProducerName("glassbox-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(out).build();
  }
}
