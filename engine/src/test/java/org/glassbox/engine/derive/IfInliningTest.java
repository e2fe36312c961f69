package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;
import org.junit.jupiter.api.Test;

/**
 * If on a condition about a fixed shape is differentiated through the branch it takes; an If whose
 * condition depends on the batch is refused by name (it used to be invisible to the path analysis,
 * which would have given a silent zero gradient).
 */
class IfInliningTest {

  static NodeProto node(String op, String out, String... in) {
    return NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(List.of(in)).addOutput(out).build();
  }

  static TensorProto ints(String name, long... v) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64);
    if (v.length != 1 || !name.startsWith("s_")) t.addDims(v.length);
    for (long x : v) t.addInt64Data(x);
    return t.build();
  }

  /** y = ReduceSum(If(Shape(x)[axis] == 4, x*x, -x), axis 1): then-branch gradient 2x, else -1. */
  static ModelProto model(long axis) {
    GraphProto then = GraphProto.newBuilder().setName("then").addNode(node("Mul", "sq", "x", "x"))
        .addOutput(Protos.valueInfo("sq", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4})).build();
    GraphProto otherwise = GraphProto.newBuilder().setName("else").addNode(node("Neg", "ng", "x"))
        .addOutput(Protos.valueInfo("ng", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4})).build();
    NodeProto iff = NodeProto.newBuilder().setOpType("If").setName("choose").addInput("cond").addOutput("t")
        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(then))
        .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
            .setG(otherwise)).build();
    GraphProto g = GraphProto.newBuilder().setName("g")
        .addInput(Protos.valueInfo("x", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4}))
        .addInitializer(ints("s_axis", axis)).addInitializer(ints("s_four", 4)).addInitializer(ints("axes", 1))
        .addNode(node("Shape", "shape", "x"))
        .addNode(node("Gather", "dim", "shape", "s_axis"))
        .addNode(node("Equal", "cond", "dim", "s_four"))
        .addNode(iff)
        .addNode(node("ReduceSum", "y", "t", "axes"))
        .addOutput(Protos.valueInfo("y", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1})).build();
    return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("")
        .setVersion(13)).setGraph(g).build();
  }

  @Test
  void aConditionOnAFixedShapeTakesItsBranch() {
    float[] x = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f, 0f, 3f};
    try (OnnxModel m = OnnxModel.of(model(1), "if", ExecutionOptions.defaults())) {
      FloatTensor g = Derivatives.of(m).gradient(m.resolve(new NeuronId.Output(0)), FloatTensor.of(x, 2, 4));
      for (int i = 0; i < x.length; i++) assertEquals(2 * x[i], g.data()[i], 1e-6, "d(x^2)/dx at " + i);
    }
  }

  @Test
  void aConditionOnTheBatchIsRefusedByName() {
    try (OnnxModel m = OnnxModel.of(model(0), "if", ExecutionOptions.defaults())) {
      assertTrue(BackwardBuilder.unsupported(m, GradientRules.standard()).containsValue("If"),
          "the load-time check names the If");
      GlassboxException e = assertThrows(GlassboxException.class, () -> Derivatives.of(m)
          .gradient(m.resolve(new NeuronId.Output(0)), FloatTensor.of(new float[8], 2, 4)));
      assertTrue(e.getMessage().contains("If"), e.getMessage());
    }
  }
}
