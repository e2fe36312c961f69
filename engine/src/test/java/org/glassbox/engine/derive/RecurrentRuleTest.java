package org.glassbox.engine.derive;

import static org.glassbox.engine.derive.AutogradReferenceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.Precision;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;
import org.glassbox.engine.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LSTM, GRU and RNN (unrolled into primitives before the backward pass) on random weights, as
 * {@link OperatorRuleTest} checks every rule: x[N, T·I] is reshaped into sequences, run through one
 * recurrent node whose chosen outputs (Y, Y_h, Y_c) feed out = Σ_j w_j (v_j + ½ v_j²); gradient and
 * Hessian (closure) against central finite differences in float64. Initial states, when present,
 * and sequence lengths are computed from x, so gradients also flow through initial_h and initial_c
 * and every length from 0 to T occurs. Separately: the unrolled graph against ONNX Runtime's own
 * kernels on all outputs, weight gradients against finite differences over the weights, layout 1,
 * and what is refused.
 */
class RecurrentRuleTest {
  static final int EVENTS = 3;

  /** One recurrent configuration. */
  static final class Spec {
    final String name;
    final String op;
    int opset = 13;
    String direction = "forward";
    int steps = 3;
    int inputs = 2;
    int hidden = 3;
    boolean bias = true;
    boolean initialH;
    boolean initialC;
    boolean peepholes;
    boolean lengths;
    int layout;
    List<String> activations;
    float[] alpha;
    float[] beta;
    Float clip;
    boolean inputForget;
    int linearBeforeReset;
    boolean y;
    boolean yh = true;
    boolean yc;

    Spec(String name, String op) {
      this.name = name;
      this.op = op;
    }

    Spec opset(int v) { opset = v; return this; }
    Spec direction(String v) { direction = v; return this; }
    Spec steps(int v) { steps = v; return this; }
    Spec noBias() { bias = false; return this; }
    Spec initialStates() { initialH = true; initialC = op.equals("LSTM"); return this; }
    Spec initialH() { initialH = true; return this; }
    Spec peepholes() { peepholes = true; return this; }
    Spec lengths() { lengths = true; return this; }
    Spec layout1() { layout = 1; opset = Math.max(opset, 14); return this; }
    Spec activations(String... v) { activations = List.of(v); return this; }
    Spec alpha(float... v) { alpha = v; return this; }
    Spec beta(float... v) { beta = v; return this; }
    Spec clip(float v) { clip = v; return this; }
    Spec inputForget() { inputForget = true; return this; }
    Spec linearBeforeReset() { linearBeforeReset = 1; return this; }
    Spec outputs(boolean y, boolean yh, boolean yc) { this.y = y; this.yh = yh; this.yc = yc && op.equals("LSTM"); return this; }

    int directions() {
      return direction.equals("bidirectional") ? 2 : 1;
    }

    int gates() {
      return switch (op) {
        case "LSTM" -> 4;
        case "GRU" -> 3;
        default -> 1;
      };
    }

    int features() {
      return steps * inputs;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Spec lstm(String name) {
    return new Spec(name, "LSTM");
  }

  static Spec gru(String name) {
    return new Spec(name, "GRU");
  }

  static Spec rnn(String name) {
    return new Spec(name, "RNN");
  }

  static Stream<Spec> specs() {
    return Stream.of(
        lstm("LSTM forward, Y_h"),
        lstm("LSTM forward opset 11 no bias, Y").opset(11).noBias().outputs(true, false, false),
        lstm("LSTM reverse, Y Y_h Y_c").direction("reverse").outputs(true, true, true),
        lstm("LSTM bidirectional initial states, Y Y_h Y_c").direction("bidirectional").initialStates().outputs(true, true, true),
        lstm("LSTM sequence_lens initial states, Y Y_h Y_c").lengths().initialStates().outputs(true, true, true),
        lstm("LSTM reverse sequence_lens, Y Y_c").direction("reverse").lengths().outputs(true, false, true),
        lstm("LSTM bidirectional sequence_lens initial states, Y Y_h Y_c").direction("bidirectional").lengths()
            .initialStates().outputs(true, true, true),
        lstm("LSTM peepholes clip, Y Y_c").peepholes().clip(1.1f).initialStates().outputs(true, false, true),
        lstm("LSTM input_forget, Y_h Y_c").inputForget().outputs(false, true, true),
        lstm("LSTM activations HardSigmoid ScaledTanh Softsign").activations("HardSigmoid", "ScaledTanh", "Softsign")
            .alpha(0.3f, 0.9f).beta(0.45f, 1.2f).outputs(true, true, true),
        lstm("LSTM one step, Y Y_h").steps(1).outputs(true, true, false),
        lstm("LSTM opset 14 layout 0, bidirectional").opset(14).direction("bidirectional").outputs(true, true, true),
        lstm("LSTM opset 18 sequence_lens, Y Y_h").opset(18).lengths().outputs(true, true, false),
        gru("GRU forward linear_before_reset 0, Y_h"),
        gru("GRU forward linear_before_reset 1, Y").linearBeforeReset().outputs(true, false, false),
        gru("GRU reverse linear_before_reset 1 initial_h, Y Y_h").direction("reverse").linearBeforeReset().initialH()
            .outputs(true, true, false),
        gru("GRU bidirectional linear_before_reset 0 sequence_lens initial_h, Y Y_h").direction("bidirectional").lengths()
            .initialH().outputs(true, true, false),
        gru("GRU bidirectional linear_before_reset 1 sequence_lens, Y Y_h").direction("bidirectional").lengths()
            .linearBeforeReset().outputs(true, true, false),
        gru("GRU no bias linear_before_reset 1 opset 11").opset(11).noBias().linearBeforeReset().outputs(true, true, false),
        gru("GRU opset 18 bidirectional linear_before_reset 1, Y").opset(18).direction("bidirectional").linearBeforeReset()
            .outputs(true, false, false),
        gru("GRU clip activations Softsign Softplus").clip(0.9f).activations("Softsign", "Softplus").outputs(true, true, false),
        rnn("RNN forward Tanh, Y_h"),
        rnn("RNN reverse Sigmoid initial_h, Y Y_h").direction("reverse").activations("Sigmoid").initialH()
            .outputs(true, true, false),
        rnn("RNN bidirectional sequence_lens initial_h Tanh Affine, Y Y_h").direction("bidirectional").lengths().initialH()
            .activations("Tanh", "Affine").alpha(0f, 0.7f).beta(0f, 0.2f).outputs(true, true, false),
        rnn("RNN LeakyRelu opset 11 no bias, Y").opset(11).noBias().activations("LeakyRelu").alpha(0.3f)
            .outputs(true, false, false));
  }

  // ---- building the models ----

  /** A small graph builder with multi-output nodes (TinyGraph has single-output ones). */
  static final class Net {
    final GraphProto.Builder g = GraphProto.newBuilder().setName("recurrent");
    final SplittableRandom random;
    final int opset;
    int counter;

    Net(int features, int opset, long seed) {
      this.opset = opset;
      this.random = new SplittableRandom(seed);
      g.addInput(Protos.valueInfo("x", TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, features}));
    }

    List<String> node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
      g.addNode(NodeProto.newBuilder().setOpType(op).setName("node_" + op.toLowerCase() + "_" + counter++)
          .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(Arrays.asList(attrs)));
      return outputs;
    }

    String node(String op, List<String> inputs, AttributeProto... attrs) {
      return node(op, inputs, List.of(op.toLowerCase() + "_" + counter++), attrs).get(0);
    }

    String floats(double[] values, long... dims) {
      String name = "c_" + counter++;
      ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) bb.putFloat((float) v);
      TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.FLOAT)
          .setRawData(ByteString.copyFrom(bb.array()));
      for (long d : dims) t.addDims(d);
      g.addInitializer(t);
      return name;
    }

    String random(double scale, long... dims) {
      int n = 1;
      for (long d : dims) n *= (int) d;
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = scale * (random.nextDouble() * 2 - 1);
      return floats(v, dims);
    }

    String scalar(double v) {
      return floats(new double[] {v});
    }

    String longs(long... values) {
      String name = "i_" + counter++;
      ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) bb.putLong(v);
      g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64).addDims(values.length)
          .setRawData(ByteString.copyFrom(bb.array())));
      return name;
    }

    String transpose(String x, long... perm) {
      return node("Transpose", List.of(x), Attr.ints("perm", perm));
    }

    String reshape(String x, long... shape) {
      return node("Reshape", List.of(x, longs(shape)));
    }

    ModelProto model(List<String> outputs) {
      GraphProto.Builder out = g.clone().clearOutput();
      for (String o : outputs) out.addOutput(ValueInfoProto.newBuilder().setName(o));
      return ModelProto.newBuilder().setIrVersion(opset >= 16 ? 8 : 7).setProducerName("glassbox-tests")
          .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(out).build();
    }
  }

  /** The names of the recurrent node's outputs in a model built by {@link #build}. */
  record Built(ModelProto scalar, ModelProto raw, List<String> outputs) {}

  /**
   * The model of a spec: "out" [N, 1] (for derivatives) and the same graph with the recurrent
   * node's outputs as graph outputs.
   */
  static Built build(Spec s) {
    Net b = new Net(s.features(), s.opset, s.name.hashCode());
    int d = s.directions();
    long h = s.hidden;
    long gh = (long) s.gates() * h;
    String seq = b.reshape("x", -1, s.steps, s.inputs);                  // [N, T, I]
    String x = s.layout == 1 ? seq : b.transpose(seq, 1, 0, 2);            // [T, N, I] in layout 0
    List<String> in = new ArrayList<>(List.of(x, b.random(0.9, d, gh, s.inputs), b.random(0.9, d, gh, h)));
    in.add(s.bias ? b.random(0.5, d, 2 * gh) : "");
    if (s.lengths) {
      // length = min(floor((x0 + 1) (T + 1) / 2), T): every length from 0 to T as x0 runs over (-1, 1)
      String x0 = b.node("Slice", List.of("x", b.longs(0), b.longs(1), b.longs(1)));
      String scaled = b.node("Mul", List.of(b.node("Add", List.of(x0, b.scalar(1))), b.scalar((s.steps + 1) / 2.0)));
      String len = b.node("Min", List.of(b.node("Floor", List.of(scaled)), b.scalar(s.steps)));
      in.add(b.node("Cast", List.of(b.reshape(len, -1)), Attr.i("to", 6)));
    } else {
      in.add("");
    }
    in.add(s.initialH ? initialState(b, s) : "");
    in.add(s.initialC ? initialState(b, s) : "");
    in.add(s.peepholes ? b.random(0.5, d, 3 * h) : "");
    while (in.get(in.size() - 1).isEmpty()) in.remove(in.size() - 1);

    List<AttributeProto> attrs = new ArrayList<>(List.of(Attr.i("hidden_size", h), Attr.s("direction", s.direction)));
    if (s.layout == 1) attrs.add(Attr.i("layout", 1));
    if (s.activations != null) {
      AttributeProto.Builder a = AttributeProto.newBuilder().setName("activations").setType(AttributeProto.AttributeType.STRINGS);
      s.activations.forEach(n -> a.addStrings(ByteString.copyFromUtf8(n)));
      attrs.add(a.build());
    }
    if (s.alpha != null) attrs.add(floatsAttr("activation_alpha", s.alpha));
    if (s.beta != null) attrs.add(floatsAttr("activation_beta", s.beta));
    if (s.clip != null) attrs.add(Attr.f("clip", s.clip));
    if (s.inputForget) attrs.add(Attr.i("input_forget", 1));
    if (s.op.equals("GRU")) attrs.add(Attr.i("linear_before_reset", s.linearBeforeReset));
    List<String> outs = new ArrayList<>(List.of(s.y ? "Y" : "", s.yh ? "Y_h" : "", s.yc ? "Y_c" : ""));
    while (outs.get(outs.size() - 1).isEmpty()) outs.remove(outs.size() - 1);
    b.node(s.op, in, outs, attrs.toArray(AttributeProto[]::new));
    List<String> named = outs.stream().filter(o -> !o.isEmpty()).toList();
    ModelProto raw = b.model(named);

    // Per event: Y as [N, T, D, H], Y_h and Y_c as [N, D, H], flattened and concatenated.
    List<String> flat = new ArrayList<>();
    long width = 0;
    for (String o : named) {
      String perEvent = o.equals("Y") ? (s.layout == 1 ? o : b.transpose(o, 2, 0, 1, 3)) : (s.layout == 1 ? o : b.transpose(o, 1, 0, 2));
      flat.add(b.node("Flatten", List.of(perEvent), Attr.i("axis", 1)));
      width += (o.equals("Y") ? s.steps : 1) * d * h;
    }
    String v = flat.size() == 1 ? flat.get(0) : b.node("Concat", flat, Attr.i("axis", 1));
    String curved = b.node("Add", List.of(v, b.node("Mul", List.of(b.node("Mul", List.of(v, v)), b.scalar(0.5)))));
    String weighted = b.node("Mul", List.of(curved, b.random(1.0, 1, width)));
    if (s.opset >= 13) {
      b.node("ReduceSum", List.of(weighted, b.longs(1)), List.of("out"), Attr.i("keepdims", 1));
    } else {
      b.node("ReduceSum", List.of(weighted), List.of("out"), Attr.ints("axes", 1), Attr.i("keepdims", 1));
    }
    GraphProto.Builder g = b.g.clone().clearOutput().addOutput(Protos.valueInfo("out", TensorInfo.FLOAT,
        new long[] {TensorInfo.DYNAMIC, 1}));
    ModelProto scalar = raw.toBuilder().setGraph(g).build();
    return new Built(scalar, raw, named);
  }

  /** An initial state computed from x: Tanh(x M) as [D, N, H] (layout 1: [N, D, H]). */
  private static String initialState(Net b, Spec s) {
    int d = s.directions();
    String t = b.node("Tanh", List.of(b.node("MatMul", List.of("x", b.random(0.8, s.features(), (long) d * s.hidden)))));
    String r = b.reshape(t, -1, d, s.hidden);
    return s.layout == 1 ? r : b.transpose(r, 1, 0, 2);
  }

  private static AttributeProto floatsAttr(String name, float[] values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
    for (float f : values) a.addFloats(f);
    return a.build();
  }

  /**
   * Random inputs whose first feature gives event e the sequence length e mod (T + 1) (see
   * {@link #build}), half-way between the thresholds. RNN events get lengths 1..T only: for a
   * sequence of length 0 ONNX Runtime's RNN kernel returns the initial state in the reverse
   * direction and reads before its buffer in the forward one.
   */
  static double[] inputs(Spec s, int events, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int f = s.features();
    double[] x = new double[events * f];
    for (int i = 0; i < x.length; i++) x[i] = (r.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * r.nextDouble());
    for (int e = 0; e < events; e++) {
      int k = s.op.equals("RNN") ? 1 + e % s.steps : e % (s.steps + 1);
      x[e * f] = 2 * (k + 0.5) / (s.steps + 1) - 1;
    }
    return x;
  }

  // ---- the checks ----

  /** The unrolled graph computes what ONNX Runtime's LSTM/GRU/RNN kernels compute, on every output. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void unrolledForwardMatchesOnnxRuntime(Spec s) {
    Built m = build(s);
    int events = s.steps + 3;
    FloatTensor x = OperatorRuleTest.toFloat(inputs(s, events, s.name.hashCode() + 11L), s.features());
    Shapes shapes = ShapeProbe.probe(m.raw());
    Recurrent.Unrolled u = Recurrent.unrollAll(m.raw(), shapes);
    assertEquals(1, u.unrolled());
    try (OnnxModel kernel = OnnxModel.of(m.raw(), s.name, ExecutionOptions.defaults());
        OnnxModel unrolled = OnnxModel.of(u.model(), s.name + " unrolled", ExecutionOptions.defaults())) {
      List<FloatTensor> want = kernel.evaluate(x, m.outputs());
      List<FloatTensor> got = unrolled.evaluate(x, m.outputs());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(Arrays.toString(want.get(i).shape()), Arrays.toString(got.get(i).shape()), m.outputs().get(i));
        double[] ref = new double[want.get(i).data().length];
        for (int j = 0; j < ref.length; j++) ref[j] = want.get(i).data()[j];
        assertClose(ref, got.get(i).data(), 1e-6, s + " " + m.outputs().get(i));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void gradientAndHessianMatchFiniteDifferences(Spec s) {
    Built m = build(s);
    check(s.name, m.scalar(), s.features(), inputs(s, EVENTS, s.name.hashCode() + 7L));
  }

  /**
   * OperatorRuleTest's check on a given model: gradient and Hessian against central finite
   * differences, in float64. ONNX Runtime has no float64 LSTM or GRU kernel, so the forward
   * reference is the unrolled graph run in float64 (itself checked against the float32 kernels by
   * {@link #unrolledForwardMatchesOnnxRuntime}).
   */
  static void check(String name, ModelProto proto, int features, double[] x) {
    FloatTensor xf = OperatorRuleTest.toFloat(x, features);
    try (OnnxModel model = OnnxModel.of(proto, name, ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      Derivatives d = Derivatives.of(model);
      float[] grad = d.gradient(z, xf).data();
      float[] hess = d.hessian(z, xf).data();
      // ONNX Runtime's LSTM and GRU kernels have no float64 implementation (they fail at run time).
      ModelProto unrolled = Recurrent.unrollAll(proto, model.shapes()).model();
      FiniteDifferences forward = FiniteDifferences.inDouble(unrolled);
      boolean dbl = forward != null;
      if (!dbl) {
        System.out.println("[RecurrentRuleTest] no float64 kernels for " + name + "; finite differences in float32");
        forward = FiniteDifferences.inFloat(unrolled);
      }
      try (FiniteDifferences fd = forward) {
        double[] ref = fd.jacobian(x, EVENTS, dbl ? 1e-5 : 2e-3);
        assertClose(ref, grad, dbl ? 2e-4 : 2e-2, name + " gradient" + (dbl ? "" : " (float32 FD)"));
      }
      ModelProto gradGraph = d.gradientModel(z, "x");
      FiniteDifferences second = FiniteDifferences.inDouble(gradGraph);
      boolean dbl2 = second != null;
      if (!dbl2) {
        System.out.println("[RecurrentRuleTest] no float64 kernels in the gradient graph of " + name + "; float32 FD");
        second = FiniteDifferences.inFloat(gradGraph);
      }
      try (FiniteDifferences fd = second) {
        double[] ref = fd.jacobian(x, EVENTS, dbl2 ? 1e-5 : 2e-3);
        assertClose(ref, hess, dbl2 ? 5e-4 : 3e-2, name + " Hessian" + (dbl2 ? "" : " (float32 FD)"));
      }
    }
  }

  /** Layout 1 ([N, T, ...] sequences and states) unrolls to what layout 0 with transposes computes. */
  @Test
  void layoutOneMatchesLayoutZero() {
    for (Spec s : List.of(lstm("LSTM layout 1").layout1().direction("bidirectional").lengths().initialStates()
            .outputs(true, true, true),
        gru("GRU layout 1").layout1().linearBeforeReset().initialH().outputs(true, true, false),
        rnn("RNN layout 1").layout1().direction("reverse").outputs(true, true, false))) {
      Spec zero = copyAsLayout0(s);
      Built one = build(s);
      Built ref = build(zero);
      int events = s.steps + 3;
      FloatTensor x = OperatorRuleTest.toFloat(inputs(s, events, 5), s.features());
      Recurrent.Unrolled u = Recurrent.unrollAll(one.raw(), upstreamShapes(one.raw()));
      try (OnnxModel direct = OnnxModel.of(one.raw(), s.name, ExecutionOptions.defaults())) {
        System.out.println("[RecurrentRuleTest] ONNX Runtime runs " + s.op + " with layout 1");
      } catch (RuntimeException e) {
        System.out.println("[RecurrentRuleTest] ONNX Runtime cannot run " + s.op + " with layout 1: " + e.getMessage());
      }
      try (OnnxModel kernel = OnnxModel.of(ref.raw(), zero.name, ExecutionOptions.defaults());
          OnnxModel unrolled = OnnxModel.of(u.model(), s.name, ExecutionOptions.defaults())) {
        List<FloatTensor> want = kernel.evaluate(x, ref.outputs());
        List<FloatTensor> got = unrolled.evaluate(x, one.outputs());
        for (int i = 0; i < want.size(); i++) {
          String o = one.outputs().get(i);
          float[] w = want.get(i).data();
          long[] ws = want.get(i).shape();
          // layout 0 -> 1: Y [T, D, N, H] -> [N, T, D, H]; Y_h, Y_c [D, N, H] -> [N, D, H]
          long[] perm = o.equals("Y") ? new long[] {2, 0, 1, 3} : new long[] {1, 0, 2};
          double[] expected = permute(w, ws, perm);
          long[] gs = got.get(i).shape();
          for (int k = 0; k < perm.length; k++) assertEquals(ws[(int) perm[k]], gs[k], s + " " + o + " shape");
          assertClose(expected, got.get(i).data(), 1e-6, s + " " + o);
        }
      }
      // Layout-1 nodes are differentiated like any other (ONNX Runtime may lack the kernel, so the
      // reference is the layout-0 twin's gradient: both graphs compute the same function of x).
      checkSameGradient(s, zero);
    }
  }

  private static Spec copyAsLayout0(Spec s) {
    Spec z = new Spec(s.name, s.op);
    z.opset = s.opset;
    z.direction = s.direction;
    z.steps = s.steps;
    z.inputs = s.inputs;
    z.hidden = s.hidden;
    z.bias = s.bias;
    z.initialH = s.initialH;
    z.initialC = s.initialC;
    z.peepholes = s.peepholes;
    z.lengths = s.lengths;
    z.activations = s.activations;
    z.alpha = s.alpha;
    z.beta = s.beta;
    z.clip = s.clip;
    z.inputForget = s.inputForget;
    z.linearBeforeReset = s.linearBeforeReset;
    z.y = s.y;
    z.yh = s.yh;
    z.yc = s.yc;
    return z;
  }

  /** Gradients of two models of the same function of x (same name: same random weights) agree. */
  private static void checkSameGradient(Spec a, Spec b) {
    double[] x = inputs(a, EVENTS, 3);
    FloatTensor xf = OperatorRuleTest.toFloat(x, a.features());
    float[][] grads = new float[2][];
    int k = 0;
    for (Spec s : List.of(a, b)) {
      ModelProto proto = build(s).scalar();
      Shapes shapes = probeUnrolledShapes(proto);
      BackwardBuilder.Derived derived = BackwardBuilder.derive(proto, shapes, GradientRules.standard(),
          new BackwardBuilder.Request("out", new Seed.OneHot(0), List.of("x"), List.of()));
      try (CompiledGraph g = new CompiledGraph(derived.model().toByteArray(), ExecutionOptions.defaults(), "test")) {
        grads[k++] = g.run(Map.of("x", xf), derived.gradientOutputs()).get(0).data();
      }
    }
    double[] ref = new double[grads[1].length];
    for (int i = 0; i < ref.length; i++) ref[i] = grads[1][i];
    assertClose(ref, grads[0], 1e-5, a + " gradient (layout 1 against layout 0)");
  }

  /**
   * Shapes of a model ONNX Runtime may not run as is (layout 1): probed on its unrolled form, whose
   * tensors include every tensor of the original but the recurrent node's internals.
   */
  private static Shapes probeUnrolledShapes(ModelProto proto) {
    return ShapeProbe.probe(Recurrent.unrollAll(proto, upstreamShapes(proto)).model());
  }

  /** Shapes of the tensors upstream of the recurrent node, probed without running it. */
  private static Shapes upstreamShapes(ModelProto proto) {
    GraphProto.Builder g = proto.getGraph().toBuilder().clearNode().clearOutput();
    for (NodeProto n : proto.getGraph().getNodeList()) {
      if (Recurrent.OPS.contains(n.getOpType())) {
        for (String in : n.getInputList()) if (!in.isEmpty() && !in.equals("x")) g.addOutput(ValueInfoProto.newBuilder().setName(in));
        break;
      }
      g.addNode(n);
    }
    return ShapeProbe.probe(proto.toBuilder().setGraph(g).build());
  }

  /** Gradients with respect to W, R, B (and P) of the batch sum, against finite differences over the weights. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("weightSpecs")
  void weightGradientsMatchFiniteDifferences(Spec s) throws OrtException {
    ModelProto proto = build(s).scalar();
    NodeProto rnn = proto.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(s.op)).findFirst().orElseThrow();
    List<String> weights = new ArrayList<>();
    for (int i : new int[] {1, 2, 3, 7}) if (i < rnn.getInputCount() && !rnn.getInput(i).isEmpty()) weights.add(rnn.getInput(i));
    double[] x = inputs(s, EVENTS, 21);
    BackwardBuilder.Derived derived = BackwardBuilder.derive(proto, ShapeProbe.probe(proto), GradientRules.standard(),
        new BackwardBuilder.Request("out", new Seed.OneHot(0), weights, List.of()));
    List<FloatTensor> got;
    try (CompiledGraph g = new CompiledGraph(derived.model().toByteArray(), ExecutionOptions.defaults(), "test")) {
      got = g.run(Map.of("x", OperatorRuleTest.toFloat(x, s.features())), derived.gradientOutputs());
    }
    // Reference: the weights become float64 graph inputs of the unrolled graph (ONNX Runtime's kernels
    // have no float64), perturbed one at a time.
    Map<String, TensorProto> inits = new HashMap<>();
    proto.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
    ModelProto asInputs = weightsAsInputs(proto, weights, inits);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] reference = Precision.toDouble(Recurrent.unrollAll(asInputs, ShapeProbe.probe(proto)).model()).toByteArray();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // With the weights as inputs ONNX Runtime would fuse Transpose into MatMul (FusedMatMul: float only).
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
    try (OrtSession sess = env.createSession(reference, options)) {
      Map<String, double[]> values = new HashMap<>();
      for (String w : weights) values.put(w, Protos.doubles(inits.get(w)));
      for (int k = 0; k < weights.size(); k++) {
        String w = weights.get(k);
        double[] v = values.get(w);
        double[] ref = new double[v.length];
        for (int j = 0; j < v.length; j++) {
          double keep = v[j];
          v[j] = keep + 1e-5;
          double plus = total(sess, env, x, s.features(), values, inits);
          v[j] = keep - 1e-5;
          double minus = total(sess, env, x, s.features(), values, inits);
          v[j] = keep;
          ref[j] = (plus - minus) / 2e-5;
        }
        assertClose(ref, got.get(k).data(), 2e-4, s + " d/d" + w);
      }
    }
  }

  static Stream<Spec> weightSpecs() {
    return Stream.of(
        lstm("LSTM weights: bidirectional sequence_lens peepholes").direction("bidirectional").lengths().peepholes()
            .initialStates().outputs(true, true, true),
        gru("GRU weights: linear_before_reset 1 reverse").direction("reverse").linearBeforeReset().outputs(true, true, false),
        gru("GRU weights: linear_before_reset 0 bidirectional").direction("bidirectional").outputs(true, true, false),
        rnn("RNN weights: bidirectional sequence_lens").direction("bidirectional").lengths().outputs(true, true, false));
  }

  private static ModelProto weightsAsInputs(ModelProto proto, List<String> weights, Map<String, TensorProto> inits) {
    GraphProto.Builder g = proto.getGraph().toBuilder().clearInitializer();
    for (TensorProto t : proto.getGraph().getInitializerList()) if (!weights.contains(t.getName())) g.addInitializer(t);
    for (String w : weights) {
      g.addInput(Protos.valueInfo(w, TensorInfo.FLOAT, inits.get(w).getDimsList().stream().mapToLong(Long::longValue).toArray()));
    }
    return proto.toBuilder().setGraph(g).build();
  }

  private static double total(OrtSession session, OrtEnvironment env, double[] x, int features, Map<String, double[]> values,
      Map<String, TensorProto> inits) throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      feeds.put("x", OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), new long[] {x.length / features, features}));
      for (var e : values.entrySet()) {
        long[] dims = inits.get(e.getKey()).getDimsList().stream().mapToLong(Long::longValue).toArray();
        feeds.put(e.getKey(), OnnxTensor.createTensor(env, DoubleBuffer.wrap(e.getValue()), dims));
      }
      try (OrtSession.Result r = session.run(feeds)) {
        DoubleBuffer b = ((OnnxTensor) r.get(0)).getDoubleBuffer();
        double sum = 0;
        while (b.hasRemaining()) sum += b.get();
        return sum;
      }
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private static double[] permute(float[] data, long[] shape, long[] perm) {
    int rank = shape.length;
    long[] outShape = new long[rank];
    for (int i = 0; i < rank; i++) outShape[i] = shape[(int) perm[i]];
    long[] inStride = new long[rank];
    long[] outStride = new long[rank];
    inStride[rank - 1] = 1;
    outStride[rank - 1] = 1;
    for (int i = rank - 2; i >= 0; i--) {
      inStride[i] = inStride[i + 1] * shape[i + 1];
      outStride[i] = outStride[i + 1] * outShape[i + 1];
    }
    double[] out = new double[data.length];
    for (int j = 0; j < data.length; j++) {
      long rest = j;
      long src = 0;
      for (int i = 0; i < rank; i++) {
        long idx = rest / outStride[i];
        rest %= outStride[i];
        src += idx * inStride[(int) perm[i]];
      }
      out[j] = data[(int) src];
    }
    return out;
  }

  // ---- refusals and plumbing ----

  @Test
  void dynamicSequenceLengthIsRefusedWithAClearMessage() {
    // x [N, 4] -> [T = N, 1, 4]: the number of steps is the batch size.
    Net b = new Net(4, 13, 1);
    String x = b.node("Unsqueeze", List.of("x", b.longs(1)));
    b.node("LSTM", List.of(x, b.random(0.5, 1, 8, 4), b.random(0.5, 1, 8, 2)), List.of("Y", "Y_h"), Attr.i("hidden_size", 2));
    String out = b.node("ReduceSum", List.of(b.node("Flatten", List.of(b.transpose("Y_h", 1, 0, 2)), Attr.i("axis", 1)),
        b.longs(1)), Attr.i("keepdims", 1));
    ModelProto proto = b.model(List.of(out));
    try (OnnxModel model = OnnxModel.of(proto, "dynamic steps", ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      GlassboxException e = assertThrows(GlassboxException.class,
          () -> Derivatives.of(model).gradient(z, FloatTensor.of(new float[8], 2, 4)));
      assertTrue(e.getMessage().contains("number of time steps") && e.getMessage().contains("fixed"), e.getMessage());
    }
  }

  @Test
  void recurrentNodesOffTheDifferentiablePathStayFused() {
    // The LSTM reads only a constant sequence; the gradient graph keeps it as is (or prunes it).
    Spec s = lstm("off path");
    Built m = build(s);
    Shapes shapes = ShapeProbe.probe(m.scalar());
    Recurrent.Unrolled none = Recurrent.unrollActive(m.scalar(), shapes, GradientRules.standard(), List.of("c_nothing"));
    assertEquals(0, none.unrolled());
    Recurrent.Unrolled some = Recurrent.unrollActive(m.scalar(), shapes, GradientRules.standard(), List.of("x"));
    assertEquals(1, some.unrolled());
  }

  @Test
  void lrpCrossesRecurrentLayers() {
    // x -> sequences -> LSTM -> Y_h -> Flatten -> Gemm: LRP passes the dense layer and, with its gate rule
    // (LrpSequenceTest checks the values), the unrolled LSTM, down to x.
    Net b = new Net(6, 13, 2);
    String seq = b.transpose(b.reshape("x", -1, 3, 2), 1, 0, 2);
    b.node("LSTM", List.of(seq, b.random(0.5, 1, 12, 2), b.random(0.5, 1, 12, 3)), List.of("", "Y_h"), Attr.i("hidden_size", 3));
    String flat = b.node("Flatten", List.of(b.transpose("Y_h", 1, 0, 2)), Attr.i("axis", 1));
    String out = b.node("Gemm", List.of(flat, b.random(1, 3, 1), b.random(1, 1)));
    try (OnnxModel model = OnnxModel.of(b.model(List.of(out)), "lrp", ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(0));
      float[] x = new float[12];
      for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i + 1);
      var r = Derivatives.of(model).relevance(z, new org.glassbox.api.attribution.LrpComposite("all-zero",
          new org.glassbox.api.attribution.LrpRule.Zero(), new org.glassbox.api.attribution.LrpRule.Zero(),
          java.util.Optional.empty(), Map.of()), false, FloatTensor.of(x, 2, 6));
      assertEquals(12, r.inputs().data().length);
      for (float v : r.inputs().data()) assertTrue(Float.isFinite(v), "finite relevance");
    }
  }

  /** Gather along the batch axis (exporters sort packed sequences by length) before opset 16. */
  @Test
  void gatherAlongTheBatchAxis() {
    OperatorRuleTest.check(OperatorRuleTest.c("Gather batch axis reversed twice (opset 13)", 6, 13, (b, x) -> {
      String n = b.node("Gather", b.node("Shape", x), b.longsShaped(new long[] {0}));
      String reversed = b.node("Range", new String[] {b.node("Sub", n, b.longsShaped(new long[] {1})),
          b.longsShaped(new long[] {-1}), b.longsShaped(new long[] {-1})});
      String xr = b.node("Gather", x, reversed, Attr.i("axis", 0));
      return b.node("Gather", b.node("Mul", b.node("Tanh", xr), xr), reversed, Attr.i("axis", 0));
    }));
  }

}
