package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Map;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.TensorInfo;
import org.junit.jupiter.api.Test;

/** Shape arithmetic is folded exactly: fixed dimensions become constants, batch-dependent ones never do. */
class ShapeFoldingTest {

  static NodeProto node(String op, String out, String... in) {
    return NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(java.util.List.of(in)).addOutput(out).build();
  }

  static TensorProto ints(String name, long... v) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64).addDims(v.length);
    for (long x : v) t.addInt64Data(x);
    return t.build();
  }

  @Test
  void fixedDimensionsFoldAndTheBatchDoesNot() {
    // x [N, 12]: third = Shape(x)[1] / 3 (= 4, fixed); half = Shape(x)[0] / 2 (depends on the batch).
    GraphProto g = GraphProto.newBuilder().setName("g")
        .addInput(Protos.valueInfo("x", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 12}))
        .addInitializer(ints("one", 1)).addInitializer(ints("zero", 0)).addInitializer(ints("three", 3))
        .addInitializer(ints("two", 2))
        .addNode(node("Shape", "s", "x"))
        .addNode(node("Gather", "width", "s", "one"))
        .addNode(node("Div", "third", "width", "three"))
        .addNode(node("Gather", "batch", "s", "zero"))
        .addNode(node("Div", "half", "batch", "two"))
        .addNode(node("Mul", "two_thirds", "third", "two"))
        .addNode(node("Slice", "y", "x", "third", "two_thirds", "one"))
        .addNode(node("Cast", "hf", "half").toBuilder().addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder()
            .setName("to").setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(TensorInfo.FLOAT)).build())
        .addNode(node("Mul", "out", "y", "hf"))
        .addOutput(Protos.valueInfo("out", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4}))
        .build();
    ModelProto m = ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    Map<String, TensorProto> folded = ShapeFolding.fold(g, ShapeProbe.probe(m), Protos.constants(g));
    assertArrayEquals(new long[] {4}, Protos.longs(folded.get("third")));
    assertArrayEquals(new long[] {8}, Protos.longs(folded.get("two_thirds")));
    assertFalse(folded.containsKey("batch"), "the batch size is not a constant");
    assertFalse(folded.containsKey("half"), "nor is anything computed from it");
    assertFalse(folded.containsKey("s"), "a shape with a batch axis is only partly known");
  }
}
