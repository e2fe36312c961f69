package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Small readers and writers over the ONNX protobuf classes. */
public final class Protos {
  private Protos() {}

  /** The default-domain opset version the model imports. */
  public static int opset(ModelProto model) {
    for (var imp : model.getOpsetImportList()) {
      if (imp.getDomain().isEmpty() || imp.getDomain().equals("ai.onnx")) return (int) imp.getVersion();
    }
    return 1;
  }

  public static Optional<AttributeProto> attribute(NodeProto node, String name) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) return Optional.of(a);
    }
    return Optional.empty();
  }

  public static long attrInt(NodeProto node, String name, long fallback) {
    return attribute(node, name).map(AttributeProto::getI).orElse(fallback);
  }

  public static float attrFloat(NodeProto node, String name, float fallback) {
    return attribute(node, name).map(AttributeProto::getF).orElse(fallback);
  }

  public static long[] attrInts(NodeProto node, String name, long[] fallback) {
    return attribute(node, name)
        .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
        .orElse(fallback);
  }

  public static String attrString(NodeProto node, String name, String fallback) {
    return attribute(node, name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
  }

  /** Values of an integer tensor (int64 or int32), from typed fields or raw little-endian bytes. */
  public static long[] longs(TensorProto t) {
    if (t.getInt64DataCount() > 0) return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    if (t.getInt32DataCount() > 0) return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
    ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int width = t.getDataType() == TensorInfo.INT64 ? 8 : 4;
    long[] out = new long[bb.remaining() / width];
    for (int i = 0; i < out.length; i++) out[i] = width == 8 ? bb.getLong(i * 8) : bb.getInt(i * 4);
    return out;
  }

  /** Values of a float or double tensor, widened to double. */
  public static double[] doubles(TensorProto t) {
    if (t.getFloatDataCount() > 0) return t.getFloatDataList().stream().mapToDouble(Float::doubleValue).toArray();
    if (t.getDoubleDataCount() > 0) return t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
    ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean dbl = t.getDataType() == TensorInfo.DOUBLE;
    double[] out = new double[bb.remaining() / (dbl ? 8 : 4)];
    for (int i = 0; i < out.length; i++) out[i] = dbl ? bb.getDouble(i * 8) : bb.getFloat(i * 4);
    return out;
  }

  /** Constant tensors of a graph: initializers and the outputs of Constant nodes, by name. */
  public static Map<String, TensorProto> constants(GraphProto graph) {
    Map<String, TensorProto> out = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) out.put(t.getName(), t);
    for (NodeProto n : graph.getNodeList()) {
      if (n.getOpType().equals("Constant") && n.getDomain().isEmpty()) {
        attribute(n, "value").ifPresent(a -> out.put(n.getOutput(0), a.getT()));
        attribute(n, "value_ints").ifPresent(a -> out.put(n.getOutput(0), TensorProto.newBuilder()
            .setDataType(TensorInfo.INT64).addDims(a.getIntsCount()).addAllInt64Data(a.getIntsList()).build()));
        attribute(n, "value_int").ifPresent(a -> out.put(n.getOutput(0), TensorProto.newBuilder()
            .setDataType(TensorInfo.INT64).addInt64Data(a.getI()).build()));
        attribute(n, "value_float").ifPresent(a -> out.put(n.getOutput(0), TensorProto.newBuilder()
            .setDataType(TensorInfo.FLOAT).addFloatData(a.getF()).build()));
      }
    }
    return out;
  }

  /** A value-info with element type and shape; dynamic dimensions get the symbolic name "N". */
  public static ValueInfoProto valueInfo(String name, int elemType, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d == TensorInfo.DYNAMIC
          ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }

  public static ValueInfoProto valueInfo(TensorInfo t) {
    return valueInfo(t.name(), t.elemType(), t.dims());
  }

  /** Dimensions declared for a graph input; symbolic or missing dimensions are {@link TensorInfo#DYNAMIC}. */
  public static long[] declaredDims(ValueInfoProto v) {
    var shape = v.getType().getTensorType().getShape();
    long[] dims = new long[shape.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      var d = shape.getDim(i);
      dims[i] = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : TensorInfo.DYNAMIC;
    }
    return dims;
  }
}
