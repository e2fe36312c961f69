package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * Exact per-event derivatives of a model's neurons, computed by derived ONNX graphs that ONNX
 * Runtime runs batched. Derived graphs are compiled once per (neuron, variable) and cached in the
 * model, which owns and closes them.
 */
public final class Derivatives {
  private static final String HVP_TANGENT = "glassbox_hvp_tangent";
  private static final BackwardBuilder.Derived NOT_A_CHAIN = new BackwardBuilder.Derived(ModelProto.getDefaultInstance(), List.of(), List.of());

  private final OnnxModel model;
  private final RuleSet rules;
  private final Map<String, BackwardBuilder.Derived> derived = new ConcurrentHashMap<>();

  private Derivatives(OnnxModel model, RuleSet rules) {
    this.model = model;
    this.rules = rules;
  }

  /**
   * Derivatives of {@code model} with the standard rules. Fails if an operator on a differentiable
   * path has no rule, naming the operator, the node and the nearest supported operators.
   */
  public static Derivatives of(OnnxModel model) {
    return of(model, GradientRules.standard());
  }

  public static Derivatives of(OnnxModel model, RuleSet rules) {
    Map<String, String> missing = BackwardBuilder.unsupported(model.proto(), model.shapes(), rules);
    if (!missing.isEmpty()) {
      var first = missing.entrySet().iterator().next();
      StringBuilder all = new StringBuilder();
      missing.forEach((node, op) -> all.append("\n  node '").append(node).append("': ").append(op));
      throw new GlassboxException(model.name() + " uses operator " + first.getValue() + " (node '" + first.getKey()
          + "') which Glassbox cannot differentiate yet. Unsupported nodes on the path from the input:" + all + "\n"
          + BackwardBuilder.nearest(first.getValue(), rules));
    }
    return new Derivatives(model, rules);
  }

  public OnnxModel model() {
    return model;
  }

  /** Per-event gradient of a neuron with respect to the model input: shape [N, input shape...]. */
  public FloatTensor gradient(ResolvedNeuron neuron, FloatTensor x) {
    return gradient(neuron, model.input().name(), x);
  }

  /**
   * Per-event gradient of a neuron with respect to {@code wrt}: the model input or any hidden
   * tensor (the gradient of the sub-network from that tensor on, evaluated at the event's
   * activations). Shape [N, shape of wrt per event...].
   */
  public FloatTensor gradient(ResolvedNeuron neuron, String wrt, FloatTensor x) {
    checkInput(x);
    BackwardBuilder.Derived d = gradientGraph(neuron, wrt);
    CompiledGraph g = model.compiled(key("grad", neuron, wrt), d::model);
    return runChunked(g, Map.of(), x, d.gradientOutputs().get(0), model.options().batchSize());
  }

  /**
   * Per-event Hessian of a neuron with respect to a vector input: shape [N, F, F]. Computed as F
   * Hessian-vector products per event, all in one batched run of the twice-derived graph (the
   * events are tiled F times against one-hot tangents).
   */
  public FloatTensor hessian(ResolvedNeuron neuron, FloatTensor x) {
    checkInput(x);
    TensorInfo in = model.input();
    if (in.rank() != 2) {
      throw new GlassboxException("Per-event Hessians need a vector input (events x features); '" + in.name() + "' is "
          + in.shapeText() + ".");
    }
    int f = (int) in.dim(1);
    BackwardBuilder.Derived chain = derived.computeIfAbsent(key("chain-hessian", neuron, in.name()),
        k -> java.util.Optional.ofNullable(ChainHessian.build(model.proto(), model.shapes(), in.name(), neuron.tensor(),
            neuron.index())).orElse(NOT_A_CHAIN));
    if (chain != NOT_A_CHAIN) {
      CompiledGraph g = model.compiled(key("chain-hessian", neuron, in.name()), chain::model);
      return runChunked(g, Map.of(), x, chain.gradientOutputs().get(0), Math.max(1, model.options().batchSize() / f));
    }
    BackwardBuilder.Derived second = derived.computeIfAbsent(key("hvp", neuron, in.name()), k -> {
      BackwardBuilder.Derived first = gradientGraph(neuron, in.name());
      Shapes firstShapes = ShapeProbe.probe(first.model());
      return BackwardBuilder.derive(first.model(), firstShapes, rules, new BackwardBuilder.Request(
          first.gradientOutputs().get(0), new Seed.Input(HVP_TANGENT), List.of(in.name()), List.of()));
    });
    CompiledGraph g = model.compiled(key("hvp", neuron, in.name()), second::model);
    String out = second.gradientOutputs().get(0);
    int n = x.events();
    int perCall = Math.max(1, model.options().batchSize() / f);
    float[] result = new float[n * f * f];
    for (int from = 0; from < n; from += perCall) {
      int to = Math.min(n, from + perCall);
      int rows = (to - from) * f;
      float[] tiled = new float[rows * f];
      float[] tangents = new float[rows * f];
      for (int e = from; e < to; e++) {
        for (int j = 0; j < f; j++) {
          int row = (e - from) * f + j;
          System.arraycopy(x.data(), e * f, tiled, row * f, f);
          tangents[row * f + j] = 1f;
        }
      }
      FloatTensor hv = g.run(Map.of(in.name(), FloatTensor.of(tiled, rows, f), HVP_TANGENT, FloatTensor.of(tangents, rows, f)),
          List.of(out)).get(0);
      System.arraycopy(hv.data(), 0, result, from * f * f, rows * f);
    }
    return FloatTensor.of(result, n, f, f);
  }

  /**
   * How {@link #hessian} computes this neuron's Hessian: "layered" (dense/elementwise chains, the
   * layered formula) or "hvp" (Hessian-vector products of the twice-derived graph). Recorded in
   * results' provenance.
   */
  public String hessianStrategy(ResolvedNeuron neuron) {
    TensorInfo in = model.input();
    boolean chain = in.rank() == 2
        && ChainHessian.build(model.proto(), model.shapes(), in.name(), neuron.tensor(), neuron.index()) != null;
    return chain ? "layered" : "hvp";
  }

  /** The derived gradient graph itself, e.g. to save it or to derive it again. */
  public BackwardBuilder.Derived gradientGraph(ResolvedNeuron neuron, String wrt) {
    if (model.shapes().find(wrt).isEmpty()) {
      throw new GlassboxException("Cannot differentiate with respect to '" + wrt + "': no such tensor in " + model.name() + ".");
    }
    return derived.computeIfAbsent(key("grad", neuron, wrt), k -> BackwardBuilder.derive(model.proto(), model.shapes(), rules,
        new BackwardBuilder.Request(neuron.tensor(), new Seed.OneHot(neuron.index()), List.of(wrt), List.of())));
  }

  private static String key(String kind, ResolvedNeuron n, String wrt) {
    return kind + ":" + n.tensor() + "[" + n.index() + "]/" + wrt;
  }

  private void checkInput(FloatTensor x) {
    TensorInfo in = model.input();
    long[] want = in.dims();
    long[] got = x.shape();
    boolean ok = got.length == want.length;
    for (int i = 1; ok && i < want.length; i++) ok = want[i] == TensorInfo.DYNAMIC || want[i] == got[i];
    if (!ok) {
      throw new GlassboxException("Data shape " + java.util.Arrays.toString(got) + " does not fit input '" + in.name()
          + "' of " + model.name() + ", which expects " + in.shapeText() + " (N = events).");
    }
  }

  static FloatTensor runChunked(CompiledGraph g, Map<String, FloatTensor> fixed, FloatTensor x, String output, int chunk) {
    String input = g.inputNames().get(0);
    List<FloatTensor> parts = new ArrayList<>();
    for (int from = 0; from < x.events(); from += chunk) {
      FloatTensor part = from == 0 && chunk >= x.events() ? x : x.slice(from, Math.min(x.events(), from + chunk));
      Map<String, FloatTensor> feeds = new java.util.HashMap<>(fixed);
      feeds.put(input, part);
      parts.add(g.run(feeds, List.of(output)).get(0));
    }
    return FloatTensor.concat(parts);
  }

  /** Exposes the derived graph of a gradient for saving (glassbox derive) or inspection. */
  public ModelProto gradientModel(ResolvedNeuron neuron, String wrt) {
    return gradientGraph(neuron, wrt).model();
  }

  /**
   * Layer-wise relevance propagation of a neuron to the model input with a composite of rules.
   * Batch norms that follow a Gemm or Conv are folded into it first (recorded in the result).
   *
   * @param atPreActivation start from the input of a final sigmoid, tanh or softmax
   */
  public org.glassbox.api.attribution.Relevance relevance(ResolvedNeuron neuron, org.glassbox.api.attribution.LrpComposite composite,
      boolean atPreActivation, FloatTensor x) {
    checkInput(x);
    String key = "lrp:" + composite + ":" + atPreActivation + ":" + neuron.tensor() + "[" + neuron.index() + "]";
    BackwardBuilder.Derived d = derived.computeIfAbsent(key, k -> {
      org.glassbox.engine.model.BatchNormCanonizer.Folded folded = org.glassbox.engine.model.BatchNormCanonizer.fold(model.proto());
      Shapes shapes = folded.folded() > 0 ? ShapeProbe.probe(folded.model()) : model.shapes();
      String start = startTensor(folded.model(), neuron.tensor(), atPreActivation);
      RuleSet lrp = LrpRules.build(composite, LrpRules.assign(folded.model().getGraph(), composite));
      BackwardBuilder.Derived r = BackwardBuilder.derive(folded.model(), shapes, lrp, new BackwardBuilder.Request(start,
          new Seed.ValueAt(neuron.index()), List.of(model.input().name()), List.of(start)));
      return new BackwardBuilder.Derived(r.model(), r.gradientOutputs(),
          List.of(start, "batchnorm-fold: " + folded.folded() + " layer" + (folded.folded() == 1 ? "" : "s")));
    });
    CompiledGraph g = model.compiled(key, d::model);
    String startName = d.keptOutputs().get(0);
    List<FloatTensor> rel = new ArrayList<>();
    List<FloatTensor> starts = new ArrayList<>();
    int chunk = model.options().batchSize();
    for (int from = 0; from < x.events(); from += chunk) {
      FloatTensor part = x.slice(from, Math.min(x.events(), from + chunk));
      List<FloatTensor> out = g.run(Map.of(model.input().name(), part), List.of(d.gradientOutputs().get(0), startName));
      rel.add(out.get(0));
      starts.add(out.get(1));
    }
    FloatTensor start = FloatTensor.concat(starts);
    int per = start.eventSize();
    float[] r0 = new float[x.events()];
    for (int e = 0; e < r0.length; e++) r0[e] = start.data()[e * per + neuron.index()];
    return new org.glassbox.api.attribution.Relevance(FloatTensor.concat(rel), r0, startName, List.of(d.keptOutputs().get(1)));
  }

  /** The neuron's tensor, or the input of the final sigmoid/tanh/softmax that produces it. */
  private static String startTensor(ModelProto m, String tensor, boolean atPreActivation) {
    if (!atPreActivation) return tensor;
    for (var n : m.getGraph().getNodeList()) {
      if (n.getOutput(0).equals(tensor) && java.util.Set.of("Sigmoid", "Tanh", "Softmax", "LogSoftmax").contains(n.getOpType())) {
        return n.getInput(0);
      }
    }
    return tensor;
  }

  /**
   * What {@link #saveGradientModel} wrote.
   *
   * @param inputs the graph's fed inputs: those of the model, all of them (a model with several
   *     inputs needs every one fed, whichever is differentiated)
   */
  public record SavedGraph(int nodes, List<String> inputs, String output) {
    public SavedGraph {
      inputs = List.copyOf(inputs);
    }
  }

  /** Writes the gradient graph as an ONNX file that any ONNX runtime can run. */
  public SavedGraph saveGradientModel(ResolvedNeuron neuron, String wrt, java.nio.file.Path file) throws java.io.IOException {
    BackwardBuilder.Derived d = gradientGraph(neuron, wrt);
    java.nio.file.Files.write(file, d.model().toByteArray());
    java.util.Set<String> init = new java.util.HashSet<>();
    d.model().getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
    List<String> inputs = d.model().getGraph().getInputList().stream().map(v -> v.getName()).filter(n -> !init.contains(n))
        .toList();
    return new SavedGraph(d.model().getGraph().getNodeCount(), inputs, d.gradientOutputs().get(0));
  }
}
