package org.glassbox.engine.train;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;

/**
 * The ONNX graphs of a {@link Network}: the exported classifier, and the training graph whose
 * per-event loss the backward builder differentiates with respect to the parameters.
 *
 * <p>Tensor names follow PyTorch's exporter ({@code /dense1/Gemm_output_0}), so that
 * {@code glassbox inspect} counts layers the same way as for an exported PyTorch model.
 */
final class NetworkGraphs {
  static final String INPUT = "x";
  static final String LABEL = "label";
  static final String LOGIT = "logit";
  static final String LOSS = "loss";
  static final String OUTPUT = "p_signal";
  static final int OPSET = 13;
  static final float LEAKY_SLOPE = 0.1f;

  private NetworkGraphs() {}

  static List<String> parameterNames(Network n) {
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= n.conv().size(); k++) {
      names.add("conv" + k + ".weight");
      names.add("conv" + k + ".bias");
    }
    for (int k = 1; k < n.widths().length; k++) {
      names.add("dense" + k + ".weight");
      names.add("dense" + k + ".bias");
    }
    return names;
  }

  static List<long[]> parameterShapes(Network n) {
    int[] w = n.widths();
    List<long[]> shapes = new ArrayList<>();
    List<long[]> in = n.convShapes();
    for (int k = 0; k < n.conv().size(); k++) {
      Network.ConvBlock b = n.conv().get(k);
      long[] ws = new long[in.get(k).length + 1];
      ws[0] = b.channels();
      ws[1] = in.get(k)[0];
      for (int i = 2; i < ws.length; i++) ws[i] = b.kernel();
      shapes.add(ws);
      shapes.add(new long[] {b.channels()});
    }
    for (int k = 1; k < w.length; k++) {
      shapes.add(new long[] {w[k - 1], w[k]});
      shapes.add(new long[] {w[k]});
    }
    return shapes;
  }

  /**
   * Nodes from the input to the logit: standardisation with constant mean and scale, then the dense
   * layers. The parameters are referenced by name (initializers or graph inputs).
   */
  private static void forward(Network n, GraphProto.Builder g, boolean standardise) {
    int[] w = n.widths();
    String h = INPUT;
    boolean conv = !n.conv().isEmpty();
    if (!conv && n.inputShape().length > 1) {
      g.addNode(node("Flatten", "/flatten_input/Flatten", List.of(h), "/flatten_input/Flatten_output_0"));
      h = "/flatten_input/Flatten_output_0";
    }
    if (standardise) {
      // Dense: per feature. Convolutional: one scale and no shift, so that the zero padding stays zero and
      // the scale folds exactly into the first convolution.
      if (!conv) {
        g.addNode(node("Sub", "/standardise/Sub", List.of(h, "input.mean"), "/standardise/Sub_output_0"));
        h = "/standardise/Sub_output_0";
      }
      g.addNode(node("Div", "/standardise/Div", List.of(h, "input.scale"), "/standardise/Div_output_0"));
      h = "/standardise/Div_output_0";
    }
    for (int k = 1; k <= n.conv().size(); k++) {
      Network.ConvBlock b = n.conv().get(k - 1);
      int spatial = n.inputShape().length - 1;
      long[] kernel = new long[spatial];
      long[] pads = new long[2 * spatial];
      long[] two = new long[spatial];
      for (int i = 0; i < spatial; i++) {
        kernel[i] = b.kernel();
        pads[i] = b.kernel() / 2;
        pads[spatial + i] = b.kernel() / 2;
        two[i] = 2;
      }
      String z = "/conv" + k + "/Conv_output_0";
      g.addNode(node("Conv", "/conv" + k + "/Conv", List.of(h, "conv" + k + ".weight", "conv" + k + ".bias"), z).toBuilder()
          .addAttribute(intsAttr("kernel_shape", kernel)).addAttribute(intsAttr("pads", pads)));
      String a = "/convact" + k + "/" + opType(n.activation()) + "_output_0";
      NodeProto.Builder act = node(opType(n.activation()), "/convact" + k + "/" + opType(n.activation()), List.of(z), a)
          .toBuilder();
      if (n.activation() == Network.Activation.LEAKY_RELU) act.addAttribute(floatAttr("alpha", LEAKY_SLOPE));
      if (n.activation() == Network.Activation.ELU) act.addAttribute(floatAttr("alpha", 1f));
      g.addNode(act);
      String p = "/pool" + k + "/MaxPool_output_0";
      g.addNode(node("MaxPool", "/pool" + k + "/MaxPool", List.of(a), p).toBuilder()
          .addAttribute(intsAttr("kernel_shape", two)).addAttribute(intsAttr("strides", two)));
      h = p;
    }
    if (conv) {
      g.addNode(node("Flatten", "/flatten/Flatten", List.of(h), "/flatten/Flatten_output_0"));
      h = "/flatten/Flatten_output_0";
    }
    for (int k = 1; k < w.length; k++) {
      boolean last = k == w.length - 1;
      String z = last ? LOGIT : "/dense" + k + "/Gemm_output_0";
      g.addNode(node("Gemm", "/dense" + k + "/Gemm", List.of(h, "dense" + k + ".weight", "dense" + k + ".bias"), z));
      if (last) break;
      String a = "/act" + k + "/" + opType(n.activation()) + "_output_0";
      NodeProto.Builder act = node(opType(n.activation()), "/act" + k + "/" + opType(n.activation()), List.of(z), a).toBuilder();
      if (n.activation() == Network.Activation.LEAKY_RELU) act.addAttribute(floatAttr("alpha", LEAKY_SLOPE));
      if (n.activation() == Network.Activation.ELU) act.addAttribute(floatAttr("alpha", 1f));
      g.addNode(act);
      h = a;
    }
  }

  private static String opType(Network.Activation a) {
    return switch (a) {
      case RELU -> "Relu";
      case LEAKY_RELU -> "LeakyRelu";
      case TANH -> "Tanh";
      case ELU -> "Elu";
    };
  }

  /**
   * The classifier as shipped: input x [N, F] → p_signal [N, 1], parameters as initializers. The
   * standardisation is folded into the first layer (W' = W / σ row by row, b' = b − (μ / σ)·W), so the
   * file is a plain MLP that every tool (and every LRP rule) reads as one.
   */
  static ModelProto exported(Network n, float[] mean, float[] scale, List<float[]> parameters, String producer) {
    List<float[]> folded = new ArrayList<>(parameters);
    if (n.conv().isEmpty()) {
      int[] w = n.widths();
      float[] w1 = parameters.get(0).clone();
      float[] b1 = parameters.get(1).clone();
      for (int o = 0; o < w[1]; o++) {
        double shift = 0;
        for (int i = 0; i < w[0]; i++) shift += (double) mean[i] / scale[i] * parameters.get(0)[i * w[1] + o];
        b1[o] = (float) (b1[o] - shift);
      }
      for (int i = 0; i < w[0]; i++) for (int o = 0; o < w[1]; o++) w1[i * w[1] + o] /= scale[i];
      folded.set(0, w1);
      folded.set(1, b1);
    } else {
      // One scale and no shift: the first convolution's weights divided by it (zero padding stays zero).
      float[] k1 = parameters.get(0).clone();
      for (int i = 0; i < k1.length; i++) k1[i] /= scale[0];
      folded.set(0, k1);
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName(n.conv().isEmpty() ? "glassbox_mlp" : "glassbox_cnn");
    g.addInput(Protos.valueInfo(INPUT, TensorInfo.FLOAT, inputDims(n)));
    forward(n, g, false);
    g.addNode(node("Sigmoid", "/output/Sigmoid", List.of(LOGIT), OUTPUT));
    g.addOutput(Protos.valueInfo(OUTPUT, TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1}));
    List<String> names = parameterNames(n);
    List<long[]> shapes = parameterShapes(n);
    for (int i = 0; i < names.size(); i++) g.addInitializer(tensor(names.get(i), folded.get(i), shapes.get(i)));
    return model(g, producer);
  }

  /**
   * x [N, F], label [N, 1] → loss [N, 1], the per-event binary cross-entropy of the logit z in its
   * stable form max(z, 0) − y·z + log(1 + e^(−|z|)); parameters as initializers (the backward builder
   * needs their shapes; {@link #parametersAsInputs} turns them into inputs afterwards).
   */
  static ModelProto training(Network n, float[] mean, float[] scale, List<float[]> parameters) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("glassbox_mlp_training");
    g.addInput(Protos.valueInfo(INPUT, TensorInfo.FLOAT, inputDims(n)));
    g.addInput(Protos.valueInfo(LABEL, TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1}));
    forward(n, g, true);
    g.addNode(node("Relu", "/loss/Relu", List.of(LOGIT), "/loss/relu"));
    g.addNode(node("Mul", "/loss/Mul", List.of(LABEL, LOGIT), "/loss/yz"));
    g.addNode(node("Sub", "/loss/Sub", List.of("/loss/relu", "/loss/yz"), "/loss/linear"));
    g.addNode(node("Abs", "/loss/Abs", List.of(LOGIT), "/loss/abs"));
    g.addNode(node("Neg", "/loss/Neg", List.of("/loss/abs"), "/loss/neg"));
    g.addNode(node("Exp", "/loss/Exp", List.of("/loss/neg"), "/loss/exp"));
    g.addNode(node("Add", "/loss/Add1", List.of("/loss/exp", "loss.one"), "/loss/onep"));
    g.addNode(node("Log", "/loss/Log", List.of("/loss/onep"), "/loss/log"));
    g.addNode(node("Add", "/loss/Add", List.of("/loss/linear", "/loss/log"), LOSS));
    g.addOutput(Protos.valueInfo(LOSS, TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1}));
    if (n.conv().isEmpty()) g.addInitializer(tensor("input.mean", mean, n.inputs()));
    g.addInitializer(n.conv().isEmpty() ? tensor("input.scale", scale, n.inputs()) : tensor("input.scale", scale));
    g.addInitializer(tensor("loss.one", new float[] {1f}));
    List<String> names = parameterNames(n);
    List<long[]> shapes = parameterShapes(n);
    for (int i = 0; i < names.size(); i++) g.addInitializer(tensor(names.get(i), parameters.get(i), shapes.get(i)));
    return model(g, "glassbox trainer");
  }

  /** The same model with the named initializers turned into graph inputs, fed at every step. */
  static ModelProto parametersAsInputs(ModelProto m, List<String> names) {
    Set<String> wanted = new HashSet<>(names);
    GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
    for (TensorProto t : m.getGraph().getInitializerList()) {
      if (wanted.contains(t.getName())) {
        g.addInput(Protos.valueInfo(t.getName(), t.getDataType(), t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
      } else {
        g.addInitializer(t);
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  /** The logit of the training network (standardisation unfolded) with its parameters as inputs: predictions during training. */
  static ModelProto logitWithParameterInputs(Network n, float[] mean, float[] scale, List<float[]> parameters) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("glassbox_mlp_logit");
    g.addInput(Protos.valueInfo(INPUT, TensorInfo.FLOAT, inputDims(n)));
    forward(n, g, true);
    g.addOutput(Protos.valueInfo(LOGIT, TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, 1}));
    if (n.conv().isEmpty()) g.addInitializer(tensor("input.mean", mean, n.inputs()));
    g.addInitializer(n.conv().isEmpty() ? tensor("input.scale", scale, n.inputs()) : tensor("input.scale", scale));
    List<String> names = parameterNames(n);
    List<long[]> shapes = parameterShapes(n);
    for (int i = 0; i < names.size(); i++) g.addInitializer(tensor(names.get(i), parameters.get(i), shapes.get(i)));
    return parametersAsInputs(model(g, "glassbox trainer"), names);
  }

  private static long[] inputDims(Network n) {
    long[] d = new long[n.inputShape().length + 1];
    d[0] = TensorInfo.DYNAMIC;
    System.arraycopy(n.inputShape(), 0, d, 1, n.inputShape().length);
    return d;
  }

  /** Standardisation constants: per flattened feature (dense), or one scale (convolutional; the mean is not used). */
  static long standardisationSize(Network n) {
    return n.conv().isEmpty() ? n.inputs() : 1;
  }

  private static ModelProto model(GraphProto.Builder g, String producer) {
    return ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName(producer)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g)
        .build();
  }

  private static NodeProto node(String op, String name, List<String> inputs, String output) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
  }

  private static AttributeProto intsAttr(String name, long[] v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) a.addInts(x);
    return a.build();
  }

  private static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static TensorProto tensor(String name, float[] values, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.FLOAT);
    for (long d : dims) t.addDims(d);
    java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return t.setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
  }
}
