package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;
import org.junit.jupiter.api.Test;

/**
 * If on a condition about a fixed shape is differentiated through the branch it takes; an If whose
 * condition depends on the batch through a backward If on the same condition (see also {@link
 * ControlFlowReferenceTest}); an operator without a rule inside a branch is refused by name.
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

  /**
   * A condition on the batch size is known at run time only: the backward is an If on the same
   * condition (batch of 4: the then-branch, 2x; otherwise the else-branch, -1).
   */
  @Test
  void aConditionOnTheBatchIsDifferentiatedByABackwardIf() {
    try (OnnxModel m = OnnxModel.of(model(0), "if", ExecutionOptions.defaults())) {
      assertTrue(BackwardBuilder.unsupported(m, GradientRules.standard()).isEmpty(), "If has a rule");
      Derivatives d = Derivatives.of(m);
      ModelProto grad = d.gradientModel(m.resolve(new NeuronId.Output(0)), "x");
      assertTrue(grad.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("If")).count() == 2,
          "the forward If and its backward If");
      float[] x4 = new float[16];
      for (int i = 0; i < x4.length; i++) x4[i] = 0.25f * i - 1.5f;
      FloatTensor g4 = d.gradient(m.resolve(new NeuronId.Output(0)), FloatTensor.of(x4, 4, 4));
      for (int i = 0; i < x4.length; i++) assertEquals(2 * x4[i], g4.data()[i], 1e-6, "then: d(x^2)/dx at " + i);
      FloatTensor g2 = d.gradient(m.resolve(new NeuronId.Output(0)), FloatTensor.of(new float[8], 2, 4));
      for (int i = 0; i < 8; i++) assertEquals(-1, g2.data()[i], 1e-6, "else: d(-x)/dx at " + i);
    }
  }

  /** An operator without a rule inside a branch on the path is still refused at load, by name. */
  @Test
  void anOperatorWithoutARuleInABranchIsRefusedByName() {
    ModelProto base = model(0);
    GraphProto.Builder g = base.getGraph().toBuilder();
    NodeProto iff = g.getNode(3);
    NodeProto.Builder b = iff.toBuilder().clearAttribute();
    for (AttributeProto a : iff.getAttributeList()) {
      if (a.getName().equals("else_branch")) {
        GraphProto other = GraphProto.newBuilder().setName("else").addNode(node("Hardmax", "hm", "x"))
            .addOutput(Protos.valueInfo("hm", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4})).build();
        b.addAttribute(a.toBuilder().setG(other));
      } else {
        b.addAttribute(a);
      }
    }
    g.setNode(3, b);
    ModelProto bad = base.toBuilder().setGraph(g).build();
    assertEquals(java.util.Map.of("hm", "Hardmax"), BackwardBuilder.unsupported(bad, org.glassbox.engine.model.ShapeProbe.probe(bad), GradientRules.standard()));
  }

  /**
   * Edge cases of a branch: the then-branch returns the outer x as is (through an Identity, as ONNX
   * Runtime requires), the else-branch a constant of its own (no path from x: its backward branch returns zeros). y = ReduceSum(t * x):
   * then 2x, else c; Hessians 2I and 0. The condition is ReduceSum(x) > 0, known at run time only.
   */
  @Test
  void aBranchReturningAnOuterTensorOrAConstant() {
    TensorProto.Builder c = TensorProto.newBuilder().setName("c").setDataType(TensorInfo.FLOAT).addDims(1).addDims(4);
    float[] cv = {0.5f, -2f, 1.5f, 3f};
    for (float f : cv) c.addFloatData(f);
    GraphProto then = GraphProto.newBuilder().setName("then").addNode(node("Identity", "tx", "x"))
        .addOutput(Protos.valueInfo("tx", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4})).build();
    GraphProto otherwise = GraphProto.newBuilder().setName("else").addInitializer(c)
        .addOutput(Protos.valueInfo("c", TensorInfo.FLOAT, new long[] {1, 4})).build();
    NodeProto iff = NodeProto.newBuilder().setOpType("If").setName("choose").addInput("cond").addOutput("t")
        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(then))
        .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
            .setG(otherwise)).build();
    TensorProto zero = TensorProto.newBuilder().setName("zero").setDataType(TensorInfo.FLOAT).addFloatData(0).build();
    GraphProto g = GraphProto.newBuilder().setName("g")
        .addInput(Protos.valueInfo("x", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 4}))
        .addInitializer(zero).addInitializer(ints("axes", 1))
        .addNode(NodeProto.newBuilder().setOpType("ReduceSum").setName("total").addInput("x").addOutput("total")
            .addAttribute(Attr.i("keepdims", 0)))
        .addNode(node("Greater", "cond", "total", "zero"))
        .addNode(iff)
        .addNode(node("Mul", "p", "t", "x"))
        .addNode(node("ReduceSum", "y", "p", "axes"))
        .addOutput(Protos.valueInfo("y", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1})).build();
    ModelProto proto = ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("")
        .setVersion(13)).setGraph(g).build();
    try (OnnxModel m = OnnxModel.of(proto, "if edges", ExecutionOptions.defaults())) {
      Derivatives d = Derivatives.of(m);
      var z = m.resolve(new NeuronId.Output(0));
      float[] pos = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f, 0.1f, 3f};
      float[] neg = new float[pos.length];
      for (int i = 0; i < pos.length; i++) neg[i] = -pos[i];
      float[] gp = d.gradient(z, FloatTensor.of(pos, 2, 4)).data();
      float[] gn = d.gradient(z, FloatTensor.of(neg, 2, 4)).data();
      float[] hp = d.hessian(z, FloatTensor.of(pos, 2, 4)).data();
      float[] hn = d.hessian(z, FloatTensor.of(neg, 2, 4)).data();
      for (int i = 0; i < pos.length; i++) {
        assertEquals(2 * pos[i], gp[i], 1e-6, "then: d(x.x)/dx at " + i);
        assertEquals(cv[i % 4], gn[i], 1e-6, "else: d(c.x)/dx at " + i);
      }
      for (int e = 0; e < 2; e++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            assertEquals(i == j ? 2 : 0, hp[(e * 4 + i) * 4 + j], 1e-6, "then: Hessian 2I");
            assertEquals(0, hn[(e * 4 + i) * 4 + j], 1e-6, "else: Hessian 0");
          }
        }
      }
    }
  }
}
