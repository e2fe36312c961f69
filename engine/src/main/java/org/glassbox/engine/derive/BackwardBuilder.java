package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.model.InputPacking;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * Builds, from a forward graph, the ONNX graph of a reverse-mode derivative: the forward nodes,
 * then for each node on a path from the variables to the target (in reverse order) the nodes its
 * rule emits. Cotangents reaching a tensor along several paths are summed. The result is a
 * standard-domain ONNX model that ONNX Runtime runs batched; running the builder on its own output
 * gives second derivatives.
 */
public final class BackwardBuilder {

  /**
   * @param target tensor whose cotangent is seeded
   * @param seed the starting cotangent
   * @param wrt tensors to differentiate with respect to (graph inputs or intermediate tensors)
   * @param keep tensors of the forward graph to expose as extra outputs (e.g. the target's value)
   */
  public record Request(String target, Seed seed, List<String> wrt, List<String> keep) {
    public Request {
      wrt = List.copyOf(wrt);
      keep = List.copyOf(keep);
    }
  }

  /** A derived model and the names of its outputs: one cotangent per wrt tensor, then the kept tensors. */
  public record Derived(ModelProto model, List<String> gradientOutputs, List<String> keptOutputs) {}

  private BackwardBuilder() {}

  /** Prefix of every name the builder creates; a second derivation nests it. */
  private static String prefixFor(GraphProto g) {
    Set<String> names = new HashSet<>();
    for (NodeProto n : g.getNodeList()) names.addAll(n.getOutputList());
    int level = 1;
    while (true) {
      String p = "gb" + level + "/";
      final String pp = p;
      if (names.stream().noneMatch(s -> s.startsWith(pp))) return p;
      level++;
    }
  }

  public static Derived derive(ModelProto model, Shapes shapes, RuleSet rules, Request request) {
    // An If whose condition does not depend on the data is replaced by the branch it takes.
    ModelProto inlined = Subgraphs.inlineConstantIfs(model, shapes);
    if (inlined != model) {
      model = inlined;
      shapes = ShapeProbe.probe(inlined);
    }
    // Recurrent nodes (LSTM, GRU, RNN) on a differentiable path are first unrolled into primitives.
    Recurrent.Unrolled unrolled = Recurrent.unrollActive(model, shapes, rules, request.wrt());
    model = unrolled.model();
    shapes = unrolled.shapes();
    // An If on a condition known at run time only is differentiated by its rule, which needs the shapes of
    // the tensors inside its branches.
    shapes = Subgraphs.withBranchShapes(model, shapes, rules, request.wrt());
    GraphProto graph = model.getGraph();
    int opset = Protos.opset(model);
    Map<String, TensorProto> constants = Protos.constants(graph);
    // Integer shape arithmetic that does not depend on the batch counts as constant (e.g. attention's slice
    // bounds); folded conditions (booleans) are left to the If inlining above.
    for (var f : ShapeFolding.fold(graph, shapes, constants).entrySet()) {
      int type = shapes.find(f.getKey()).map(TensorInfo::elemType).orElse(TensorInfo.BOOL);
      if (type != TensorInfo.BOOL) constants.put(f.getKey(), f.getValue());
    }
    // An initializer we differentiate with respect to (a trainer's weights) is a variable: no rule may
    // bake its current value into the derived graph.
    request.wrt().forEach(constants::remove);
    List<NodeProto> nodes = graph.getNodeList();

    Set<String> active = activeTensors(nodes, rules, request.wrt(), shapes);
    if (!active.contains(request.target())) {
      throw new GlassboxException("'" + request.target() + "' does not depend on " + request.wrt()
          + " through differentiable operators; its derivative is zero everywhere.");
    }
    Set<String> taken = new HashSet<>();
    for (NodeProto n : nodes) {
      taken.addAll(n.getOutputList());
      taken.add(n.getName());
    }
    graph.getInputList().forEach(v -> taken.add(v.getName()));
    constants.keySet().forEach(taken::add);
    GraphEmitter emit = new GraphEmitter(taken, rules::knows, prefixFor(graph), opset);

    Map<String, List<String>> contributions = new HashMap<>();
    TensorInfo target = shapes.get(request.target());
    String seed = seedCotangent(emit, request, target);
    contributions.computeIfAbsent(request.target(), k -> new ArrayList<>()).add(seed);

    Set<String> needed = ancestorsOf(nodes, request.target(), active, new HashSet<>(request.wrt()));
    Map<String, Integer> consumers = new HashMap<>();
    Map<String, NodeProto> producers = new HashMap<>();
    for (NodeProto n : nodes) {
      for (String in : n.getInputList()) consumers.merge(in, 1, Integer::sum);
      for (String in : Subgraphs.subgraphReads(n)) consumers.merge(in, 1, Integer::sum);
      for (String o : n.getOutputList()) producers.put(o, n);
    }
    graph.getOutputList().forEach(o -> consumers.merge(o.getName(), 1, Integer::sum));
    List<NodeProto> forward = new ArrayList<>(nodes);
    for (int k = nodes.size() - 1; k >= 0; k--) {
      NodeProto node = nodes.get(k);
      if (!needed.contains(node.getName() + "#" + k)) continue;
      String[] dys = new String[node.getOutputCount()];
      boolean any = false;
      for (int o = 0; o < dys.length; o++) {
        dys[o] = sum(emit, contributions.remove(node.getOutput(o)));
        any |= dys[o] != null;
      }
      if (!any) continue;
      boolean[] wanted = new boolean[node.getInputCount()];
      for (int i = 0; i < wanted.length; i++) {
        wanted[i] = active.contains(node.getInput(i)) && rules.carriesGradient(node.getOpType(), i);
      }
      VjpRule rule = rules.rule(node.getOpType());
      if (rule == null) throw missingRule(node, rules);
      // (An optional output 0 may be absent, as Y of a recurrent node: its rule then sees null.)
      if (dys[0] == null && !node.getOutput(0).isEmpty()) dys[0] = zerosLike(emit, node.getOutput(0), shapes);
      Vjp v = new Vjp(node, emit, shapes, constants, dys, wanted, consumers, producers, active);
      rule.apply(v);
      String[] grads = v.inputCotangents();
      for (int i = 0; i < grads.length; i++) {
        if (grads[i] != null) contributions.computeIfAbsent(node.getInput(i), x -> new ArrayList<>()).add(grads[i]);
      }
      v.upstreamCotangents().forEach((tensor, g) -> contributions.computeIfAbsent(tensor, x -> new ArrayList<>()).add(g));
      if (v.rewrittenForward() != null) forward.set(k, v.rewrittenForward());
    }

    GraphProto.Builder out = graph.toBuilder().clearOutput();
    if (request.seed() instanceof Seed.Input in) {
      out.addInput(Protos.valueInfo(in.inputName(), target.elemType(), target.dims()));
    }
    List<String> gradOutputs = new ArrayList<>();
    List<NodeProto> finals = new ArrayList<>();
    for (String w : request.wrt()) {
      List<String> parts = contributions.get(w);
      String g = parts == null ? zerosLike(emit, w, shapes) : sum(emit, parts);
      String name = emit.fresh("grad_" + sanitize(w));
      finals.add(NodeProto.newBuilder().setOpType("Identity").setName(emit.fresh("n_out")).addInput(g).addOutput(name).build());
      TensorInfo wi = shapes.get(w);
      out.addOutput(Protos.valueInfo(name, wi.elemType(), wi.dims()));
      gradOutputs.add(name);
    }
    out.clearNode().addAllNode(forward).addAllNode(emit.nodes()).addAllNode(finals);
    out.clearInitializer().addAllInitializer(graph.getInitializerList()).addAllInitializer(emit.constants());
    for (String keep : request.keep()) out.addOutput(Protos.valueInfo(shapes.get(keep)));
    GraphProto pruned = prune(out.build());
    return new Derived(model.toBuilder().setGraph(pruned).build(), gradOutputs, request.keep());
  }

  /**
   * Operators on a differentiable path from the model's inputs that have no rule; empty when the
   * model can be differentiated.
   */
  public static Map<String, String> unsupported(org.glassbox.engine.model.OnnxModel model, RuleSet rules) {
    return unsupported(model.proto(), model.shapes(), rules);
  }

  static Map<String, String> unsupported(ModelProto model, Shapes shapes, RuleSet rules) {
    ModelProto inlined = Subgraphs.inlineConstantIfs(model, shapes);
    if (inlined != model) {
      model = inlined;
      shapes = ShapeProbe.probe(inlined);
    }
    GraphProto graph = model.getGraph();
    Set<String> init = new HashSet<>();
    graph.getInitializerList().forEach(t -> init.add(t.getName()));
    List<String> inputs = graph.getInputList().stream().map(v -> v.getName()).filter(n -> !init.contains(n)).toList();
    Set<String> active = activeTensors(graph.getNodeList(), rules, inputs, shapes);
    Map<String, String> missing = new LinkedHashMap<>();
    for (NodeProto n : graph.getNodeList()) {
      if (rules.isConstant(n.getOpType()) || rules.rule(n.getOpType()) != null) continue;
      boolean onPath = Subgraphs.consumed(n).stream().anyMatch(active::contains);
      if (onPath) missing.put(n.getName().isEmpty() ? n.getOutput(0) : n.getName(), n.getOpType());
    }
    // Inside the branches of an If on the path (differentiated by its rule).
    for (NodeProto n : graph.getNodeList()) {
      if (n.getOpType().equals("If") && rules.rule("If") != null && Subgraphs.subgraphReads(n).stream().anyMatch(active::contains)) {
        Subgraphs.unsupportedInBranches(n, rules, active, missing);
      }
    }
    return missing;
  }

  private static GlassboxException missingRule(NodeProto node, RuleSet rules) {
    return new GlassboxException("Operator " + node.getOpType() + " (node '" + node.getName() + "') has no "
        + rules.name() + " rule. " + nearest(node.getOpType(), rules));
  }

  /** A hint naming the closest supported operator names. */
  public static String nearest(String op, RuleSet rules) {
    TreeSet<String> close = new TreeSet<>();
    int best = Integer.MAX_VALUE;
    for (String known : rules.differentiableOperators()) {
      int d = levenshtein(op.toLowerCase(), known.toLowerCase());
      if (d < best) {
        best = d;
        close.clear();
      }
      if (d == best) close.add(known);
    }
    return "Nearest supported: " + String.join(", ", close) + ". Supported operators: "
        + String.join(" ", rules.differentiableOperators()) + ".";
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static Set<String> activeTensors(List<NodeProto> nodes, RuleSet rules, List<String> wrt, Shapes shapes) {
    Set<String> active = new HashSet<>(wrt);
    for (NodeProto n : nodes) {
      if (rules.isConstant(n.getOpType())) continue;
      // A packed input declared non-differentiable (a mask, indices) is fed through a marked Identity.
      if (n.getOpType().equals("Identity") && n.getName().startsWith(InputPacking.STOP_GRADIENT)) continue;
      boolean any = false;
      for (int i = 0; i < n.getInputCount(); i++) {
        any |= active.contains(n.getInput(i)) && rules.carriesGradient(n.getOpType(), i);
      }
      // Control flow reads outer tensors inside its subgraphs, not through its inputs.
      if (!any && n.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
        any = Subgraphs.consumed(n).stream().anyMatch(active::contains);
      }
      if (!any) continue;
      for (String o : n.getOutputList()) {
        if (!o.isEmpty() && shapes.find(o).map(TensorInfo::isFloating).orElse(false)) active.add(o);
      }
    }
    return active;
  }

  /** Nodes (name#position) on an active path from the variables into the target; the walk stops at the variables. */
  private static Set<String> ancestorsOf(List<NodeProto> nodes, String target, Set<String> active, Set<String> wrt) {
    Map<String, Integer> producer = new HashMap<>();
    for (int k = 0; k < nodes.size(); k++) for (String o : nodes.get(k).getOutputList()) producer.put(o, k);
    Set<String> needed = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(List.of(target));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!seen.add(t) || !active.contains(t) || wrt.contains(t)) continue;
      Integer k = producer.get(t);
      if (k == null) continue;
      NodeProto n = nodes.get(k);
      needed.add(n.getName() + "#" + k);
      // (including the outer tensors an If's branches read)
      for (String in : Subgraphs.consumed(n)) if (active.contains(in)) todo.push(in);
    }
    return needed;
  }

  private static String seedCotangent(GraphEmitter emit, Request request, TensorInfo target) {
    Seed seed = request.seed();
    if (seed instanceof Seed.Input in) return in.inputName();
    double[] w;
    if (seed instanceof Seed.OneHot || seed instanceof Seed.ValueAt) {
      int index = seed instanceof Seed.OneHot h ? h.index() : ((Seed.ValueAt) seed).index();
      w = new double[(int) target.eventSize()];
      if (index < 0 || index >= w.length) {
        throw new GlassboxException("Element " + index + " of '" + target.name() + "' does not exist (it has "
            + w.length + " per event).");
      }
      w[index] = 1;
    } else {
      w = ((Seed.Weights) seed).perEvent();
      if (w.length != target.eventSize()) {
        throw new GlassboxException("Seed weights have " + w.length + " values but '" + target.name()
            + "' has " + target.eventSize() + " per event.");
      }
    }
    String expanded = expandSeed(emit, w, target);
    return seed instanceof Seed.ValueAt ? emit.mul(expanded, target.name()) : expanded;
  }

  private static String expandSeed(GraphEmitter emit, double[] w, TensorInfo target) {
    long[] dims = target.dims().clone();
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] == TensorInfo.DYNAMIC) {
        throw new GlassboxException("Tensor '" + target.name() + "' has a batch-dependent size at axis " + i
            + "; a neuron there cannot be addressed by a fixed index.");
      }
    }
    if (dims.length > 0) dims[0] = 1;
    String c = emit.tensor(w, dims, target.elemType());
    return emit.op("Expand", c, emit.op("Shape", target.name()));
  }

  private static String sum(GraphEmitter emit, List<String> parts) {
    if (parts == null || parts.isEmpty()) return null;
    String acc = parts.get(0);
    for (int i = 1; i < parts.size(); i++) acc = emit.add(acc, parts.get(i));
    return acc;
  }

  private static String zerosLike(GraphEmitter emit, String tensor, Shapes shapes) {
    return emit.mul(tensor, emit.scalar(0, shapes.get(tensor).elemType()));
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9_.]", "_");
  }

  /** Drops nodes and initializers that no graph output depends on. */
  static GraphProto prune(GraphProto g) {
    Map<String, NodeProto> producer = new HashMap<>();
    for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);
    Set<NodeProto> keep = new HashSet<>();
    Set<String> used = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    g.getOutputList().forEach(v -> todo.add(v.getName()));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!used.add(t)) continue;
      NodeProto n = producer.get(t);
      if (n != null && keep.add(n)) {
        // Subgraph attributes (If/Loop) may read outer tensors, at any depth; keep those too.
        Subgraphs.consumed(n).forEach(todo::push);
      }
    }
    GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer();
    for (NodeProto n : g.getNodeList()) if (keep.contains(n)) b.addNode(n);
    for (TensorProto t : g.getInitializerList()) if (used.contains(t.getName())) b.addInitializer(t);
    return b.build();
  }
}
