package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * LSTM, GRU and RNN, differentiated by unrolling. Before the backward pass, every recurrent node on a
 * differentiable path is replaced in the forward graph by its primitive form over the (fixed) number
 * of time steps: per direction one MatMul of the whole sequence with the input weights, a Split into
 * steps, and per step a MatMul with the recurrent weights, a Split into gates, the gate activations,
 * and the elementwise state update; the outputs Y, Y_h and Y_c are assembled by Unsqueeze and
 * Concat. Every operator used has a rule, so the backward pass (and second derivatives, by running
 * the builder again) follow with no rule of their own. Weights enter through Slice, Squeeze and
 * Transpose of W, R, B and P, so gradients with respect to them come out too.
 *
 * <p>sequence_lens is honoured by masking, as ONNX Runtime computes it: at a step past a sequence's
 * length the state is carried unchanged (Where) and Y is zero; the reverse direction, run from the
 * last step back, therefore starts each sequence at its own last element. A sequence of length 0
 * yields zero final states (Y_h, Y_c), again as ONNX Runtime does. Layouts 0 and 1, the directions
 * forward, reverse and bidirectional, initial_h, initial_c, peepholes, clip, input_forget,
 * linear_before_reset and every activation of the ONNX list (with ONNX Runtime's reading of
 * activation_alpha/activation_beta) are supported. The number of time steps must be fixed.
 */
final class Recurrent {
  private Recurrent() {}

  static final Set<String> OPS = Set.of("LSTM", "GRU", "RNN");

  /**
   * The rule registered for LSTM, GRU and RNN: it marks them for unrolling and is never applied, since
   * {@link BackwardBuilder} replaces such nodes by primitives before differentiating.
   */
  static final VjpRule UNROLL = v -> {
    throw new IllegalStateException("recurrent node '" + v.node().getName() + "' should have been unrolled before the"
        + " backward pass");
  };

  static void register(RuleSet.Builder b) {
    // sequence_lens (input 4) is integral and carries no gradient.
    for (String op : OPS) b.rule(op, UNROLL, 4);
  }

  /** A graph with its recurrent nodes unrolled, the shapes of every tensor it has, and how many nodes were unrolled. */
  record Unrolled(ModelProto model, Shapes shapes, int unrolled) {}

  /**
   * Unrolls the recurrent nodes whose rule in {@code rules} is {@link #UNROLL} and that read a tensor
   * depending differentiably on {@code wrt}; returns the model unchanged if there are none.
   */
  static Unrolled unrollActive(ModelProto model, Shapes shapes, RuleSet rules, Collection<String> wrt) {
    List<NodeProto> nodes = model.getGraph().getNodeList();
    boolean any = false;
    for (NodeProto n : nodes) any |= OPS.contains(n.getOpType()) && rules.rule(n.getOpType()) == UNROLL;
    if (!any) return new Unrolled(model, shapes, 0);
    Set<String> active = BackwardBuilder.activeTensors(nodes, rules, List.copyOf(wrt), shapes);
    return expand(model, shapes, n -> {
      if (!OPS.contains(n.getOpType()) || rules.rule(n.getOpType()) != UNROLL) return false;
      for (int i = 0; i < n.getInputCount(); i++) {
        if (active.contains(n.getInput(i)) && rules.carriesGradient(n.getOpType(), i)) return true;
      }
      return false;
    });
  }

  /** Unrolls every recurrent node (to compare the primitive form with ONNX Runtime's kernels). */
  static Unrolled unrollAll(ModelProto model, Shapes shapes) {
    return expand(model, shapes, n -> OPS.contains(n.getOpType()));
  }

  private static Unrolled expand(ModelProto model, Shapes shapes, Predicate<NodeProto> which) {
    GraphProto g = model.getGraph();
    Set<String> taken = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      taken.addAll(n.getOutputList());
      taken.add(n.getName());
    }
    g.getInputList().forEach(v -> taken.add(v.getName()));
    g.getInitializerList().forEach(t -> taken.add(t.getName()));
    GraphEmitter e = new GraphEmitter(taken, GradientRules.standard()::knows, "unrolled/", Protos.opset(model));
    Map<String, TensorInfo> infos = new HashMap<>(shapes.tensors());
    Map<String, TensorProto> constants = Protos.constants(g);
    List<NodeProto> out = new ArrayList<>();
    int count = 0;
    for (NodeProto n : g.getNodeList()) {
      if (!which.test(n)) {
        out.add(n);
        continue;
      }
      int from = e.nodes().size();
      new Unroll(n, e, infos, constants).run();
      out.addAll(e.nodes().subList(from, e.nodes().size()));
      count++;
    }
    if (count == 0) return new Unrolled(model, shapes, 0);
    for (TensorProto t : e.constants()) {
      infos.put(t.getName(), new TensorInfo(t.getName(), t.getDataType(), t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
    }
    GraphProto graph = g.toBuilder().clearNode().addAllNode(out).addAllInitializer(e.constants()).build();
    return new Unrolled(model.toBuilder().setGraph(graph).build(), new Shapes(infos), count);
  }

  /** One activation of the ONNX list, with its alpha and beta. */
  private record Activation(String name, float alpha, float beta) {}

  private static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "affine", "leakyrelu", "thresholdedrelu",
      "scaledtanh", "hardsigmoid", "elu", "softsign", "softplus");

  /** The unrolling of one node. */
  private static final class Unroll {
    private final NodeProto node;
    private final GraphEmitter e;
    private final Map<String, TensorInfo> infos;
    private final Map<String, TensorProto> constants;
    private final int opset;
    private final String op;
    private final int type;
    private final int gates;
    private final long hidden;
    private final int directions;
    private final boolean layout1;
    private final long steps;
    private final long batch;
    private final Float clip;
    private final Activation[] activations;
    private final Map<Long, String> masks = new HashMap<>();
    private String lengths;
    private String zeros;
    private String zero;

    Unroll(NodeProto node, GraphEmitter e, Map<String, TensorInfo> infos, Map<String, TensorProto> constants) {
      this.node = node;
      this.e = e;
      this.infos = infos;
      this.constants = constants;
      this.opset = e.opset();
      this.op = node.getOpType();
      TensorInfo x = info(node.getInput(0));
      this.type = x.elemType();
      if (!x.isFloating() || x.rank() != 3) throw fail("input X must be a floating-point tensor of rank 3, not " + x + ".");
      this.gates = switch (op) {
        case "LSTM" -> 4;
        case "GRU" -> 3;
        default -> 1;
      };
      TensorInfo r = info(node.getInput(2));
      this.hidden = Protos.attrInt(node, "hidden_size", r.dim(2));
      String direction = Protos.attrString(node, "direction", "forward");
      this.directions = switch (direction) {
        case "forward", "reverse" -> 1;
        case "bidirectional" -> 2;
        default -> throw fail("unknown direction '" + direction + "'.");
      };
      long layout = Protos.attrInt(node, "layout", 0);
      if (layout != 0 && layout != 1) throw fail("unknown layout " + layout + ".");
      this.layout1 = layout == 1;
      this.steps = x.dim(layout1 ? 1 : 0);
      this.batch = x.dim(layout1 ? 0 : 1);
      if (steps == TensorInfo.DYNAMIC) {
        throw fail("its number of time steps (axis " + (layout1 ? 1 : 0) + " of X, " + x.shapeText() + ") changes with the"
            + " batch. Glassbox differentiates recurrent layers by unrolling them over a fixed number of steps; export the"
            + " model with a fixed sequence length (pad the sequences and pass sequence_lens or mask them).");
      }
      this.clip = Protos.attribute(node, "clip").map(a -> a.getF()).orElse(null);
      this.activations = activations();
      for (int i = 0; i < node.getOutputCount(); i++) {
        if (!node.getOutput(i).isEmpty() && i >= (op.equals("LSTM") ? 3 : 2)) throw fail("unexpected output " + i + ".");
      }
    }

    private GlassboxException fail(String why) {
      return new GlassboxException("Cannot differentiate node '" + node.getName() + "' (" + op + "): " + why);
    }

    private TensorInfo info(String tensor) {
      TensorInfo t = infos.get(tensor);
      if (t == null) throw new IllegalStateException("no shape known for tensor '" + tensor + "'");
      return t;
    }

    private boolean has(int input) {
      return input < node.getInputCount() && !node.getInput(input).isEmpty();
    }

    /** The activations per direction (f, g, h for LSTM; f, g for GRU; f for RNN), as ONNX Runtime reads them. */
    private Activation[] activations() {
      int per = gates == 4 ? 3 : gates == 3 ? 2 : 1;
      List<String> names = Protos.attribute(node, "activations").map(a -> a.getStringsList().stream()
          .map(s -> s.toStringUtf8()).toList()).orElse(List.of());
      List<Float> alphas = Protos.attribute(node, "activation_alpha").map(AttributeProto::getFloatsList).orElse(List.of());
      List<Float> betas = Protos.attribute(node, "activation_beta").map(AttributeProto::getFloatsList).orElse(List.of());
      if (names.isEmpty()) {
        List<String> defaults = switch (op) {
          case "LSTM" -> List.of("Sigmoid", "Tanh", "Tanh");
          case "GRU" -> List.of("Sigmoid", "Tanh");
          default -> List.of("Tanh");
        };
        List<String> all = new ArrayList<>();
        for (int d = 0; d < directions; d++) all.addAll(defaults);
        names = all;
      }
      // ONNX's default for RNN is (Tanh, Tanh); one direction takes the first.
      if (op.equals("RNN") && directions == 1 && names.size() == 2) names = names.subList(0, 1);
      if (names.size() != per * directions) {
        throw fail(names.size() + " activations given; " + op + " with " + directions + " direction(s) takes "
            + per * directions + ".");
      }
      Activation[] out = new Activation[names.size()];
      int nextAlpha = 0;
      int nextBeta = 0;
      for (int i = 0; i < out.length; i++) {
        String name = names.get(i).toLowerCase(Locale.ROOT);
        if (!ACTIVATIONS.contains(name)) throw fail("unknown activation '" + names.get(i) + "'.");
        boolean usesAlpha = Set.of("affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu").contains(name);
        boolean usesBeta = Set.of("affine", "scaledtanh", "hardsigmoid").contains(name);
        float alpha = 0;
        float beta = 0;
        if (op.equals("RNN")) {
          // ONNX Runtime's RNN kernel reads alpha and beta by direction, 0 where not given.
          alpha = i < alphas.size() ? alphas.get(i) : 0f;
          beta = i < betas.size() ? betas.get(i) : 0f;
        } else {
          // LSTM and GRU consume them in order, by the activations that use them, with the operators' defaults.
          float defaultAlpha = switch (name) {
            case "leakyrelu" -> 0.01f;
            case "hardsigmoid" -> 0.2f;
            case "elu" -> 1f;
            default -> 0f;
          };
          float defaultBeta = name.equals("hardsigmoid") ? 0.5f : 0f;
          if (usesAlpha) alpha = nextAlpha < alphas.size() ? alphas.get(nextAlpha++) : defaultAlpha;
          if (usesBeta) beta = nextBeta < betas.size() ? betas.get(nextBeta++) : defaultBeta;
        }
        out[i] = new Activation(name, alpha, beta);
      }
      return out;
    }

    // ---- emitting with shapes ----

    private String node(String opType, List<String> inputs, int elemType, long[] dims, AttributeProto... attrs) {
      String out = e.op(opType, inputs, attrs);
      infos.put(out, new TensorInfo(out, elemType, dims));
      return out;
    }

    private String f(String opType, List<String> inputs, long[] dims, AttributeProto... attrs) {
      return node(opType, inputs, type, dims, attrs);
    }

    private long[] dimsOf(String x) {
      return info(x).dims();
    }

    private String add(String a, String b) {
      return f("Add", List.of(a, b), broadcast(dimsOf(a), dimsOf(b)));
    }

    private String sub(String a, String b) {
      return f("Sub", List.of(a, b), broadcast(dimsOf(a), dimsOf(b)));
    }

    private String mul(String a, String b) {
      return f("Mul", List.of(a, b), broadcast(dimsOf(a), dimsOf(b)));
    }

    private static long[] broadcast(long[] a, long[] b) {
      int rank = Math.max(a.length, b.length);
      long[] out = new long[rank];
      for (int i = 0; i < rank; i++) {
        int ia = i - (rank - a.length);
        int ib = i - (rank - b.length);
        long da = ia >= 0 ? a[ia] : 1;
        long db = ib >= 0 ? b[ib] : 1;
        out[i] = da == 1 ? db : db == 1 ? da : da == TensorInfo.DYNAMIC ? db : da;
      }
      return out;
    }

    private String matMul(String a, String b) {
      long[] da = dimsOf(a);
      long[] db = dimsOf(b);
      long[] out = da.clone();
      out[out.length - 1] = db[db.length - 1];
      return f("MatMul", List.of(a, b), out);
    }

    private String scalar(double v) {
      String s = e.scalar(v, type);
      infos.put(s, new TensorInfo(s, type, new long[0]));
      return s;
    }

    private String transpose(String x, long... perm) {
      TensorInfo t = info(x);
      long[] out = new long[perm.length];
      for (int i = 0; i < perm.length; i++) out[i] = t.dim((int) perm[i]);
      return node("Transpose", List.of(x), t.elemType(), out, Attr.ints("perm", perm));
    }

    private String slice(String x, long start, long end, long axis) {
      TensorInfo t = info(x);
      long[] out = t.dims().clone();
      out[(int) axis] = end - start;
      return node("Slice", List.of(x, e.longs(start), e.longs(end), e.longs(axis)), t.elemType(), out);
    }

    private String squeeze0(String x) {
      TensorInfo t = info(x);
      long[] out = Arrays.copyOfRange(t.dims(), 1, t.rank());
      return opset >= 13
          ? node("Squeeze", List.of(x, e.longs(0)), t.elemType(), out)
          : node("Squeeze", List.of(x), t.elemType(), out, Attr.ints("axes", 0));
    }

    private String unsqueeze(String x, long... axes) {
      TensorInfo t = info(x);
      long[] out = new long[t.rank() + axes.length];
      int src = 0;
      for (int i = 0; i < out.length; i++) {
        final int ii = i;
        out[i] = Arrays.stream(axes).anyMatch(a -> a == ii) ? 1 : t.dim(src++);
      }
      String o = e.unsqueeze(x, axes);
      infos.put(o, new TensorInfo(o, t.elemType(), out));
      return o;
    }

    private List<String> split(String x, int axis, long[] sizes) {
      TensorInfo t = info(x);
      List<String> outs = opset >= 13
          ? e.op("Split", List.of(x, e.longs(sizes)), sizes.length, Attr.i("axis", axis))
          : e.op("Split", List.of(x), sizes.length, Attr.i("axis", axis), Attr.ints("split", sizes));
      for (int i = 0; i < sizes.length; i++) {
        long[] d = t.dims().clone();
        d[axis] = sizes[i];
        infos.put(outs.get(i), new TensorInfo(outs.get(i), t.elemType(), d));
      }
      return outs;
    }

    private String concat(List<String> xs, int axis) {
      if (xs.size() == 1) return xs.get(0);
      TensorInfo t = info(xs.get(0));
      long[] d = t.dims().clone();
      d[axis] = 0;
      for (String x : xs) d[axis] += info(x).dim(axis);
      return node("Concat", xs, t.elemType(), d, Attr.i("axis", axis));
    }

    private String where(String condition, String a, String b) {
      return f("Where", List.of(condition, a, b), broadcast(dimsOf(condition), broadcast(dimsOf(a), dimsOf(b))));
    }

    /** Tensor {@code d} along axis 0 of [D, ...], without that axis. */
    private String direction(String t, int d) {
      return squeeze0(directions == 1 ? t : slice(t, d, d + 1, 0));
    }

    // ---- the recurrence ----

    /** Zeros of shape [N, hidden], N taken from X at run time. */
    private String zeros(String x3) {
      if (zeros == null) {
        String shape = node("Shape", List.of(x3), TensorInfo.INT64, new long[] {3});
        String n = node("Slice", List.of(shape, e.longs(1), e.longs(2), e.longs(0)), TensorInfo.INT64, new long[] {1});
        String nh = node("Concat", List.of(n, e.longs(hidden)), TensorInfo.INT64, new long[] {2}, Attr.i("axis", 0));
        zeros = f("Expand", List.of(scalar(0), nh), new long[] {batch, hidden});
      }
      return zeros;
    }

    /** Whether step t lies within each sequence: bool [N, 1]; null without sequence_lens. */
    private String mask(long t) {
      if (lengths == null) return null;
      return masks.computeIfAbsent(t, k -> {
        String step = e.longScalar(k);
        infos.put(step, new TensorInfo(step, TensorInfo.INT64, new long[0]));
        return node("Less", List.of(step, lengths), TensorInfo.BOOL, new long[] {batch, 1});
      });
    }

    private String zero() {
      if (zero == null) zero = scalar(0);
      return zero;
    }

    void run() {
      String x = node.getInput(0);
      String x3 = layout1 ? transpose(x, 1, 0, 2) : x;
      if (has(4) && !allFull(4)) {
        String cast = node("Cast", List.of(node.getInput(4)), TensorInfo.INT64, new long[] {batch}, Attr.i("to", TensorInfo.INT64));
        lengths = unsqueeze(cast, 1);
      }
      String h0 = has(5) ? (layout1 ? transpose(node.getInput(5), 1, 0, 2) : node.getInput(5)) : null;
      String c0 = gates == 4 && has(6) ? (layout1 ? transpose(node.getInput(6), 1, 0, 2) : node.getInput(6)) : null;

      List<List<String>> ys = new ArrayList<>();
      List<String> hs = new ArrayList<>();
      List<String> cs = new ArrayList<>();
      boolean reverse = Protos.attrString(node, "direction", "forward").equals("reverse");
      for (int d = 0; d < directions; d++) {
        String[] state = runDirection(x3, d, reverse || d == 1, h0, c0, ys);
        hs.add(state[0]);
        cs.add(state[1]);
      }

      // Y [T, D, N, H] (layout 1: [N, T, D, H]), Y_h and Y_c [D, N, H] (layout 1: [N, D, H]).
      if (node.getOutputCount() > 0 && !node.getOutput(0).isEmpty()) {
        List<String> perStep = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
          List<String> dirs = new ArrayList<>();
          for (int d = 0; d < directions; d++) dirs.add(unsqueeze(ys.get(d).get(t), 0, 1));
          perStep.add(concat(dirs, 1));
        }
        String y = concat(perStep, 0);
        identity(layout1 ? transpose(y, 2, 0, 1, 3) : y, node.getOutput(0));
      }
      if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) identity(states(hs), node.getOutput(1));
      if (node.getOutputCount() > 2 && !node.getOutput(2).isEmpty()) identity(states(cs), node.getOutput(2));
    }

    private String states(List<String> perDirection) {
      List<String> parts = new ArrayList<>();
      for (String s : perDirection) parts.add(unsqueeze(s, 0));
      String s = concat(parts, 0);
      return layout1 ? transpose(s, 1, 0, 2) : s;
    }

    private void identity(String from, String to) {
      e.nodes().add(NodeProto.newBuilder().setOpType("Identity").setName(e.fresh("n_Identity")).addInput(from).addOutput(to).build());
    }

    /** Whether input i is a constant whose values all equal the number of steps (no masking needed). */
    private boolean allFull(int i) {
      TensorProto t = constants.get(node.getInput(i));
      if (t == null) return false;
      for (long v : Protos.longs(t)) if (v != steps) return false;
      return true;
    }

    /**
     * One direction: the per-step outputs into {@code ys} (in time order) and the final hidden and
     * cell states.
     */
    private String[] runDirection(String x3, int d, boolean backwards, String h0, String c0, List<List<String>> ys) {
      Activation[] acts = Arrays.copyOfRange(activations, d * activations.length / directions,
          (d + 1) * activations.length / directions);
      long gh = gates * hidden;
      String wt = transpose(direction(node.getInput(1), d), 1, 0);        // [I, G*H]
      String rt = transpose(direction(node.getInput(2), d), 1, 0);        // [H, G*H]
      String xw = matMul(x3, wt);                                          // [T, N, G*H]
      String recurrentBias = null;
      if (has(3)) {
        String b = direction(node.getInput(3), d);                         // [2*G*H]
        String wb = slice(b, 0, gh, 0);
        String rb = slice(b, gh, 2 * gh, 0);
        boolean linearBeforeReset = op.equals("GRU") && Protos.attrInt(node, "linear_before_reset", 0) != 0;
        if (linearBeforeReset) {
          // Rb_h stays inside r ⊙ (H Rh^T + Rb_h); the other biases add to the input projection.
          String zr = add(slice(wb, 0, 2 * hidden, 0), slice(rb, 0, 2 * hidden, 0));
          xw = add(xw, concat(List.of(zr, slice(wb, 2 * hidden, gh, 0)), 0));
          recurrentBias = slice(rb, 2 * hidden, gh, 0);
        } else {
          xw = add(xw, add(wb, rb));
        }
      }
      List<String> xs = new ArrayList<>();
      if (steps == 1) {
        xs.add(squeeze0(xw));
      } else {
        long[] ones = new long[(int) steps];
        Arrays.fill(ones, 1);
        for (String s : split(xw, 0, ones)) xs.add(squeeze0(s));
      }
      String h = h0 != null ? direction(h0, d) : zeros(x3);
      String c = gates == 4 ? (c0 != null ? direction(c0, d) : zeros(x3)) : null;
      String[] peep = null;
      if (gates == 4 && has(7)) {
        String p = direction(node.getInput(7), d);                         // [3H]: i, o, f
        peep = new String[] {slice(p, 0, hidden, 0), slice(p, hidden, 2 * hidden, 0), slice(p, 2 * hidden, 3 * hidden, 0)};
      }
      String[] y = new String[(int) steps];
      for (long k = 0; k < steps; k++) {
        long t = backwards ? steps - 1 - k : k;
        String m = mask(t);
        String hNew;
        String cNew = null;
        switch (op) {
          case "LSTM" -> {
            String[] hc = lstmStep(xs.get((int) t), h, c, rt, peep, acts);
            hNew = hc[0];
            cNew = hc[1];
          }
          case "GRU" -> hNew = gruStep(xs.get((int) t), h, rt, recurrentBias, acts);
          default -> hNew = act(add(xs.get((int) t), matMul(h, rt)), acts[0]);
        }
        if (m == null) {
          y[(int) t] = hNew;
          h = hNew;
          c = cNew;
        } else {
          y[(int) t] = where(m, hNew, zero());
          h = where(m, hNew, h);
          if (cNew != null) c = where(m, cNew, c);
        }
      }
      ys.add(Arrays.asList(y));
      // ONNX Runtime returns zero final states for sequences of length 0 (not the initial ones).
      if (lengths != null && h0 != null) h = where(mask(0), h, zero());
      if (lengths != null && c0 != null && c != null) c = where(mask(0), c, zero());
      return new String[] {h, c};
    }

    /** i, o, f, c gates; returns {H_t, C_t}. */
    private String[] lstmStep(String xw, String h, String c, String rt, String[] peep, Activation[] acts) {
      List<String> g = split(add(xw, matMul(h, rt)), 1, new long[] {hidden, hidden, hidden, hidden});
      String pi = g.get(0);
      String po = g.get(1);
      String pf = g.get(2);
      String pc = g.get(3);
      if (peep != null) {
        pi = add(pi, mul(c, peep[0]));
        pf = add(pf, mul(c, peep[2]));
      }
      String i = act(pi, acts[0]);
      String forget = Protos.attrInt(node, "input_forget", 0) != 0 ? sub(scalar(1), i) : act(pf, acts[0]);
      String cc = act(pc, acts[1]);
      String cNew = add(mul(forget, c), mul(i, cc));
      if (peep != null) po = add(po, mul(cNew, peep[1]));
      String o = act(po, acts[0]);
      // ONNX Runtime clips gate inputs only, not the cell state before h.
      String hNew = mul(o, act(cNew, acts[2], false));
      return new String[] {hNew, cNew};
    }

    /** z, r, h gates: H_t = (1 - z) ⊙ h̃ + z ⊙ H_{t-1}. */
    private String gruStep(String xw, String h, String rt, String recurrentBias, Activation[] acts) {
      boolean linearBeforeReset = Protos.attrInt(node, "linear_before_reset", 0) != 0;
      String hh;
      String z;
      if (linearBeforeReset) {
        List<String> xg = split(xw, 1, new long[] {hidden, hidden, hidden});
        List<String> hg = split(matMul(h, rt), 1, new long[] {hidden, hidden, hidden});
        z = act(add(xg.get(0), hg.get(0)), acts[0]);
        String r = act(add(xg.get(1), hg.get(1)), acts[0]);
        String rh = recurrentBias == null ? hg.get(2) : add(hg.get(2), recurrentBias);
        hh = act(add(xg.get(2), mul(r, rh)), acts[1]);
      } else {
        List<String> xg = split(xw, 1, new long[] {2 * hidden, hidden});
        String rzr = slice(rt, 0, 2 * hidden, 1);
        String rh = slice(rt, 2 * hidden, 3 * hidden, 1);
        List<String> zr = split(add(xg.get(0), matMul(h, rzr)), 1, new long[] {hidden, hidden});
        z = act(zr.get(0), acts[0]);
        String r = act(zr.get(1), acts[0]);
        hh = act(add(xg.get(1), matMul(mul(r, h), rh)), acts[1]);
      }
      return add(mul(sub(scalar(1), z), hh), mul(z, h));
    }

    private String act(String x, Activation a) {
      return act(x, a, true);
    }

    private String act(String x, Activation a, boolean clipped) {
      if (clipped && clip != null) x = f("Clip", List.of(x, scalar(-clip), scalar(clip)), dimsOf(x));
      long[] d = dimsOf(x);
      return switch (a.name()) {
        case "sigmoid" -> f("Sigmoid", List.of(x), d);
        case "tanh" -> f("Tanh", List.of(x), d);
        case "relu" -> f("Relu", List.of(x), d);
        case "leakyrelu" -> f("LeakyRelu", List.of(x), d, Attr.f("alpha", a.alpha()));
        case "elu" -> f("Elu", List.of(x), d, Attr.f("alpha", a.alpha()));
        case "hardsigmoid" -> f("HardSigmoid", List.of(x), d, Attr.f("alpha", a.alpha()), Attr.f("beta", a.beta()));
        case "softsign" -> f("Softsign", List.of(x), d);
        case "softplus" -> f("Softplus", List.of(x), d);
        case "affine" -> add(mul(x, scalar(a.alpha())), scalar(a.beta()));
        case "scaledtanh" -> mul(f("Tanh", List.of(mul(x, scalar(a.beta()))), d), scalar(a.alpha()));
        case "thresholdedrelu" -> where(node("Greater", List.of(x, scalar(a.alpha())), TensorInfo.BOOL, d), x, zero());
        default -> throw fail("unknown activation '" + a.name() + "'.");
      };
    }
  }
}
