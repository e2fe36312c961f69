package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rewrites a float32 graph into float64: initializers, constants, declared types and Cast targets.
 * ONNX Runtime has float64 kernels for most, not all, operators; a session that fails to load names
 * the operator. Used for double-precision reference runs (finite differences) and optional float64
 * derivatives.
 */
public final class Precision {
  private Precision() {}

  public static ModelProto toDouble(ModelProto model) {
    return model.toBuilder().setGraph(convert(model.getGraph())).build();
  }

  private static GraphProto convert(GraphProto g) {
    GraphProto.Builder b = g.toBuilder().clearInitializer().clearNode().clearInput().clearOutput().clearValueInfo();
    for (TensorProto t : g.getInitializerList()) b.addInitializer(convert(t));
    for (ValueInfoProto v : g.getInputList()) b.addInput(convert(v));
    for (ValueInfoProto v : g.getOutputList()) b.addOutput(convert(v));
    for (ValueInfoProto v : g.getValueInfoList()) b.addValueInfo(convert(v));
    for (NodeProto n : g.getNodeList()) {
      NodeProto.Builder nb = n.toBuilder().clearAttribute();
      for (AttributeProto a : n.getAttributeList()) {
        AttributeProto.Builder ab = a.toBuilder();
        if (a.hasT()) ab.setT(convert(a.getT()));
        if (a.hasG()) ab.setG(convert(a.getG()));
        if (n.getOpType().equals("Cast") && a.getName().equals("to") && a.getI() == TensorInfo.FLOAT) ab.setI(TensorInfo.DOUBLE);
        nb.addAttribute(ab);
      }
      b.addNode(nb);
    }
    return b.build();
  }

  private static ValueInfoProto convert(ValueInfoProto v) {
    if (v.getType().getTensorType().getElemType() != TensorInfo.FLOAT) return v;
    ValueInfoProto.Builder b = v.toBuilder();
    b.getTypeBuilder().getTensorTypeBuilder().setElemType(TensorInfo.DOUBLE);
    return b.build();
  }

  private static TensorProto convert(TensorProto t) {
    if (t.getDataType() != TensorInfo.FLOAT) return t;
    double[] values = Protos.doubles(t);
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) bb.putDouble(v);
    return t.toBuilder().clearFloatData().setDataType(TensorInfo.DOUBLE).setRawData(ByteString.copyFrom(bb.array())).build();
  }
}
