package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * Control flow (If, Loop, Scan) holds subgraphs that read outer tensors by name, not through node
 * inputs. This class makes those reads visible to the path analysis, replaces an If whose condition
 * does not depend on the data (the common case: a condition on a fixed shape, folded by {@link
 * ShapeFolding}) by the branch it always takes, so that the branch is differentiated like any other
 * nodes, and differentiates an If whose condition is known at run time only ({@link #ifRule}): its
 * backward is an If on the same condition whose branches are the vector-Jacobian products of the
 * forward branches, each built by {@link BackwardBuilder} on the branch as a model of its own.
 */
final class Subgraphs {
  private Subgraphs() {}

  /** The node's inputs, and the outer tensors its subgraphs read (for If, Loop, Scan). */
  static Set<String> consumed(NodeProto n) {
    Set<String> out = new LinkedHashSet<>(n.getInputList());
    for (AttributeProto a : n.getAttributeList()) {
      if (a.hasG()) out.addAll(outerReads(a.getG()));
      for (GraphProto g : a.getGraphsList()) out.addAll(outerReads(g));
    }
    out.remove("");
    return out;
  }

  /** Names a subgraph reads without defining them (its own inputs, initializers and node outputs). */
  static Set<String> outerReads(GraphProto g) {
    Set<String> defined = new HashSet<>();
    g.getInputList().forEach(v -> defined.add(v.getName()));
    g.getInitializerList().forEach(t -> defined.add(t.getName()));
    Set<String> reads = new LinkedHashSet<>();
    for (NodeProto n : g.getNodeList()) {
      for (String in : consumed(n)) if (!defined.contains(in)) reads.add(in);
      defined.addAll(n.getOutputList());
    }
    for (ValueInfoProto o : g.getOutputList()) if (!defined.contains(o.getName())) reads.add(o.getName());
    return reads;
  }

  /**
   * The model with every top-level If whose condition is a known constant replaced by its taken
   * branch (repeatedly, for Ifs nested in taken branches); the same instance when there is none.
   */
  static ModelProto inlineConstantIfs(ModelProto model, Shapes shapes) {
    ModelProto current = model;
    int round = 0;
    while (true) {
      GraphProto g = current.getGraph();
      Map<String, TensorProto> folded = new HashMap<>(org.glassbox.engine.model.Protos.constants(g));
      folded.putAll(ShapeFolding.fold(g, shapes, folded));
      GraphProto.Builder out = g.toBuilder().clearNode();
      boolean changed = false;
      int k = 0;
      for (NodeProto n : g.getNodeList()) {
        TensorProto cond = n.getOpType().equals("If") ? folded.get(n.getInput(0)) : null;
        if (cond == null) {
          out.addNode(n);
          continue;
        }
        boolean taken = org.glassbox.engine.model.Protos.longs(cond).length == 1
            ? org.glassbox.engine.model.Protos.longs(cond)[0] != 0 : boolValue(cond);
        GraphProto branch = branch(n, taken ? "then_branch" : "else_branch");
        String prefix = "if" + round + "_" + (k++) + "/";
        Map<String, String> rename = new HashMap<>();
        for (TensorProto t : branch.getInitializerList()) {
          rename.put(t.getName(), prefix + t.getName());
          out.addInitializer(t.toBuilder().setName(prefix + t.getName()));
        }
        for (NodeProto b : branch.getNodeList()) for (String o : b.getOutputList()) if (!o.isEmpty()) rename.put(o, prefix + o);
        for (NodeProto b : branch.getNodeList()) {
          NodeProto.Builder c = b.toBuilder().clearInput().clearOutput().setName(prefix + b.getName());
          for (String in : b.getInputList()) c.addInput(rename.getOrDefault(in, in));
          for (String o : b.getOutputList()) c.addOutput(o.isEmpty() ? o : rename.get(o));
          out.addNode(c);
        }
        for (int i = 0; i < n.getOutputCount(); i++) {
          String from = branch.getOutput(i).getName();
          out.addNode(NodeProto.newBuilder().setOpType("Identity").setName(prefix + "out" + i)
              .addInput(rename.getOrDefault(from, from)).addOutput(n.getOutput(i)));
        }
        changed = true;
      }
      if (!changed) return current;
      current = current.toBuilder().setGraph(out).build();
      round++;
    }
  }

  // ---- If on a condition known at run time only ----

  private static final List<String> BRANCHES = List.of("then_branch", "else_branch");

  /** Whether the node holds subgraphs (If, Loop, Scan). */
  static boolean hasSubgraphs(NodeProto n) {
    return n.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
  }

  /** The outer tensors the node's subgraphs read (not its own inputs). */
  static Set<String> subgraphReads(NodeProto n) {
    Set<String> out = new LinkedHashSet<>();
    for (AttributeProto a : n.getAttributeList()) {
      if (a.hasG()) out.addAll(outerReads(a.getG()));
      for (GraphProto g : a.getGraphsList()) out.addAll(outerReads(g));
    }
    out.remove("");
    return out;
  }

  /**
   * The name prefix under which branch {@code which} of an If is inlined, for the shape probe of
   * {@link #withBranchShapes} and the stand-alone model {@link #ifRule} differentiates.
   */
  static String branchPrefix(NodeProto ifNode, String which) {
    return "glassbox_if/" + ifNode.getOutput(0) + "/" + (which.startsWith("then") ? "then" : "else") + "/";
  }

  /** The branch with every name it defines (at any depth) prefixed: no clash with the outer graph. */
  static GraphProto inlined(NodeProto ifNode, String which) {
    GraphProto branch = branch(ifNode, which);
    String prefix = branchPrefix(ifNode, which);
    return prefixDefined(branch, prefix);
  }

  private static GraphProto prefixDefined(GraphProto g, String prefix) {
    Set<String> names = new LinkedHashSet<>();
    defined(g, names);
    Map<String, String> map = new HashMap<>();
    for (String d : names) map.put(d, prefix + d);
    return rename(g, map, prefix);
  }

  /** Names defined in a graph or its nested subgraphs: inputs, initializers, node outputs. */
  private static void defined(GraphProto g, Set<String> out) {
    g.getInputList().forEach(v -> out.add(v.getName()));
    g.getInitializerList().forEach(t -> out.add(t.getName()));
    for (NodeProto n : g.getNodeList()) {
      for (String o : n.getOutputList()) if (!o.isEmpty()) out.add(o);
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) defined(a.getG(), out);
        for (GraphProto s : a.getGraphsList()) defined(s, out);
      }
    }
    out.remove("");
  }

  /** Renames tensors everywhere in a graph and its nested subgraphs, and prefixes node names. */
  private static GraphProto rename(GraphProto g, Map<String, String> map, String nodePrefix) {
    GraphProto.Builder b = g.toBuilder().clearInput().clearOutput().clearValueInfo().clearInitializer().clearNode();
    for (ValueInfoProto v : g.getInputList()) b.addInput(v.toBuilder().setName(map.getOrDefault(v.getName(), v.getName())));
    for (ValueInfoProto v : g.getOutputList()) b.addOutput(v.toBuilder().setName(map.getOrDefault(v.getName(), v.getName())));
    for (ValueInfoProto v : g.getValueInfoList()) {
      b.addValueInfo(v.toBuilder().setName(map.getOrDefault(v.getName(), v.getName())));
    }
    for (TensorProto t : g.getInitializerList()) b.addInitializer(t.toBuilder().setName(map.getOrDefault(t.getName(), t.getName())));
    for (NodeProto n : g.getNodeList()) {
      NodeProto.Builder nb = n.toBuilder().clearInput().clearOutput().clearAttribute();
      if (!n.getName().isEmpty()) nb.setName(nodePrefix + n.getName());
      for (String in : n.getInputList()) nb.addInput(map.getOrDefault(in, in));
      for (String o : n.getOutputList()) nb.addOutput(map.getOrDefault(o, o));
      for (AttributeProto a : n.getAttributeList()) {
        AttributeProto.Builder ab = a.toBuilder();
        if (a.hasG()) ab.setG(rename(a.getG(), map, nodePrefix));
        if (a.getGraphsCount() > 0) {
          ab.clearGraphs();
          for (GraphProto s : a.getGraphsList()) ab.addGraphs(rename(s, map, nodePrefix));
        }
        nb.addAttribute(ab);
      }
      b.addNode(nb);
    }
    return b.build();
  }

  /**
   * The shapes plus those of the tensors inside both branches of every If on a differentiable path
   * (under {@link #branchPrefix}): learned by probing the model with each such If's branches inlined
   * beside it, so that the branch tensors see the values the model gives them. The same instance when
   * there is no such If.
   */
  static Shapes withBranchShapes(ModelProto model, Shapes shapes, RuleSet rules, List<String> wrt) {
    GraphProto g = model.getGraph();
    if (rules.rule("If") == null || g.getNodeList().stream().noneMatch(n -> n.getOpType().equals("If"))) return shapes;
    Set<String> active = BackwardBuilder.activeTensors(g.getNodeList(), rules, wrt, shapes);
    GraphProto.Builder probe = g.toBuilder().clearNode();
    List<String> probed = new ArrayList<>();
    for (NodeProto n : g.getNodeList()) {
      probe.addNode(n);
      if (!n.getOpType().equals("If") || subgraphReads(n).stream().noneMatch(active::contains)) continue;
      for (String which : BRANCHES) {
        GraphProto b = inlined(n, which);
        probe.addAllNode(b.getNodeList()).addAllInitializer(b.getInitializerList());
      }
      probed.add(n.getName().isEmpty() ? n.getOutput(0) : n.getName());
    }
    if (probed.isEmpty()) return shapes;
    Shapes both;
    try {
      both = ShapeProbe.probe(model.toBuilder().setGraph(probe).build());
    } catch (RuntimeException e) {
      throw new GlassboxException("Cannot differentiate If node(s) " + probed + ": both branches must run on the probe"
          + " batches (2 and 3 events of random data) to learn the shapes of their tensors, and one failed: "
          + e.getMessage(), e);
    }
    Map<String, TensorInfo> merged = new HashMap<>(both.tensors());
    merged.putAll(shapes.tensors());
    return new Shapes(merged);
  }

  /**
   * The backward rule of If whose branches are differentiated with {@code rules}: an If on the same
   * condition whose outputs are the cotangents of the outer tensors the branches read on the
   * differentiable path. Each backward branch is the forward branch again (its values are needed and
   * live in its own scope) followed by its vector-Jacobian product, built by {@link BackwardBuilder}
   * on the branch as a stand-alone model (inputs: the outer tensors it reads and the cotangents of the
   * If's outputs), then renamed into a subgraph that reads those by name. A tensor that one branch
   * does not read gets zeros from it. The result is again an If, so second derivatives follow.
   */
  static VjpRule ifRule(Supplier<RuleSet> rules) {
    return v -> backwardIf(v, rules.get());
  }

  private static void backwardIf(Vjp v, RuleSet rules) {
    NodeProto n = v.node();
    List<String> wanted = new ArrayList<>();
    for (String r : subgraphReads(n)) if (v.isActive(r) && v.info(r).isFloating()) wanted.add(r);
    Map<Integer, String> seeds = new LinkedHashMap<>();
    for (int o = 0; o < n.getOutputCount(); o++) {
      String dy = v.dy(o);
      if (dy != null && !n.getOutput(o).isEmpty() && v.info(n.getOutput(o)).isFloating()) seeds.put(o, dy);
    }
    if (wanted.isEmpty() || seeds.isEmpty()) return;
    GraphProto then = backwardBranch(v, rules, "then_branch", wanted, seeds);
    GraphProto otherwise = backwardBranch(v, rules, "else_branch", wanted, seeds);
    List<String> grads = v.emit().op("If", List.of(n.getInput(0)), wanted.size(), graph("then_branch", then),
        graph("else_branch", otherwise));
    for (int i = 0; i < wanted.size(); i++) v.gradUpstream(wanted.get(i), grads.get(i));
  }

  private static GraphProto backwardBranch(Vjp v, RuleSet rules, String which, List<String> wanted,
      Map<Integer, String> seeds) {
    NodeProto n = v.node();
    GraphProto branch = branch(n, which);
    String prefix = branchPrefix(n, which);
    GraphProto forward = inlined(n, which);
    Set<String> reads = outerReads(branch);
    List<String> wrt = wanted.stream().filter(reads::contains).toList();
    Map<String, TensorInfo> shapes = new HashMap<>(v.shapes().tensors());

    // The branch as a model: the outer tensors it reads are inputs, or initializers where they are
    // constants (so that rules see shapes, axes and indices), then the target and its seed.
    GraphProto.Builder g = GraphProto.newBuilder().setName(prefix + "vjp").addAllNode(forward.getNodeList())
        .addAllInitializer(forward.getInitializerList());
    Set<String> inputs = new HashSet<>();
    for (String r : reads) {
      TensorProto c = wrt.contains(r) ? null : v.constantByName(r);
      if (c != null) {
        g.addInitializer(c.toBuilder().setName(r));
      } else {
        g.addInput(Protos.valueInfo(v.info(r)));
        inputs.add(r);
      }
    }
    String target;
    Seed seed;
    if (seeds.size() == 1) {
      int o = seeds.keySet().iterator().next();
      String out = forward.getOutput(o).getName();
      TensorInfo t = shapes.containsKey(out) ? shapes.get(out) : v.info(n.getOutput(o));
      target = prefix + "glassbox_vjp_target";
      g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(target).addInput(out).addOutput(target));
      shapes.put(target, new TensorInfo(target, t.elemType(), t.dims()));
      shapes.put(seeds.get(o), new TensorInfo(seeds.get(o), t.elemType(), t.dims()));
      seed = new Seed.Input(seeds.get(o));
    } else {
      // Several outputs with a cotangent: the target is the scalar sum over o of <out_o, dy_o>.
      target = null;
      for (var s : seeds.entrySet()) {
        int o = s.getKey();
        String out = forward.getOutput(o).getName();
        TensorInfo t = shapes.containsKey(out) ? shapes.get(out) : v.info(n.getOutput(o));
        String dy = s.getValue();
        if (!inputs.contains(dy)) {
          g.addInput(Protos.valueInfo(dy, t.elemType(), t.dims()));
          inputs.add(dy);
          shapes.put(dy, new TensorInfo(dy, t.elemType(), t.dims()));
        }
        String p = prefix + "glassbox_vjp_product" + o;
        String r = prefix + "glassbox_vjp_sum" + o;
        g.addNode(NodeProto.newBuilder().setOpType("Mul").setName(p).addInput(out).addInput(dy).addOutput(p));
        g.addNode(NodeProto.newBuilder().setOpType("ReduceSum").setName(r).addInput(p).addOutput(r)
            .addAttribute(Attr.i("keepdims", 0)));
        shapes.put(p, new TensorInfo(p, t.elemType(), t.dims()));
        shapes.put(r, new TensorInfo(r, t.elemType(), new long[0]));
        if (target == null) {
          target = r;
        } else {
          String sum = prefix + "glassbox_vjp_total" + o;
          g.addNode(NodeProto.newBuilder().setOpType("Add").setName(sum).addInput(target).addInput(r).addOutput(sum));
          shapes.put(sum, new TensorInfo(sum, t.elemType(), new long[0]));
          target = sum;
        }
      }
      seed = new Seed.Weights(new double[] {1});
    }
    g.addOutput(Protos.valueInfo(shapes.get(target)));
    Shapes s = new Shapes(shapes);
    boolean live = !wrt.isEmpty() && BackwardBuilder.activeTensors(g.getNodeList(), rules, wrt, s).contains(target);

    GraphProto.Builder sub = GraphProto.newBuilder();
    List<String> grads = List.of();
    if (live) {
      ModelProto m = ModelProto.newBuilder().setIrVersion(irVersion(v.opset()))
          .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(v.opset())).setGraph(g).build();
      BackwardBuilder.Derived d = BackwardBuilder.derive(m, s, rules, new BackwardBuilder.Request(target, seed, wrt, List.of()));
      GraphProto dg = d.model().getGraph();
      sub.addAllNode(dg.getNodeList());
      // Copies of outer constants are read from the outer scope instead.
      for (TensorProto t : dg.getInitializerList()) if (!reads.contains(t.getName())) sub.addInitializer(t);
      grads = d.gradientOutputs();
    }
    for (int k = 0; k < wanted.size(); k++) {
      String w = wanted.get(k);
      TensorInfo wi = v.info(w);
      int i = wrt.indexOf(w);
      String name;
      if (live && i >= 0) {
        name = grads.get(i);
      } else {
        name = prefix + "glassbox_vjp_zeros" + k;
        sub.addNode(NodeProto.newBuilder().setOpType("Mul").setName(name).addInput(w)
            .addInput(v.emit().scalar(0, wi.elemType())).addOutput(name));
      }
      sub.addOutput(Protos.valueInfo(name, wi.elemType(), wi.dims()));
    }
    // Fresh names: the subgraph defines nothing the outer graph (or a later derivation's) uses.
    String scope = v.emit().fresh("if_" + (which.startsWith("then") ? "then" : "else")) + "/";
    return prefixDefined(sub.setName(scope + "vjp").build(), scope);
  }

  private static AttributeProto graph(String name, GraphProto g) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
  }

  /** An IR version that the opset needs and ONNX Runtime reads. */
  private static long irVersion(int opset) {
    return opset >= 21 ? 10 : opset >= 19 ? 9 : opset >= 15 ? 8 : 7;
  }

  /**
   * Nodes inside an If's branches that lie on a differentiable path and have no rule (added to
   * {@code missing}, node to operator), for the load-time check. Branch tensors have no probed types
   * here, so every output of a node on the path counts as differentiable except those of operators
   * that carry no gradient and of Casts to non-floating types.
   */
  static void unsupportedInBranches(NodeProto ifNode, RuleSet rules, Set<String> active, Map<String, String> missing) {
    for (String which : BRANCHES) {
      GraphProto g = branch(ifNode, which);
      Set<String> act = new HashSet<>(active);
      for (NodeProto n : g.getNodeList()) {
        String op = n.getOpType();
        if (rules.isConstant(op)) continue;
        boolean on = false;
        for (int i = 0; i < n.getInputCount(); i++) on |= act.contains(n.getInput(i)) && rules.carriesGradient(op, i);
        if (!on && hasSubgraphs(n)) on = subgraphReads(n).stream().anyMatch(act::contains);
        if (!on) continue;
        if (rules.rule(op) == null) {
          missing.put(n.getName().isEmpty() ? n.getOutput(0) : n.getName(), op);
        } else if (op.equals("If")) {
          unsupportedInBranches(n, rules, act, missing);
        }
        long to = op.equals("Cast") ? Protos.attrInt(n, "to", TensorInfo.FLOAT) : TensorInfo.FLOAT;
        if (to == TensorInfo.FLOAT || to == TensorInfo.DOUBLE || to == 10 || to == 16) {
          for (String o : n.getOutputList()) if (!o.isEmpty()) act.add(o);
        }
      }
    }
  }


  private static boolean boolValue(TensorProto t) {
    if (t.getInt32DataCount() > 0) return t.getInt32Data(0) != 0;
    return !t.getRawData().isEmpty() && t.getRawData().byteAt(0) != 0;
  }

  private static GraphProto branch(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a.getG();
    throw new IllegalStateException("If node '" + n.getName() + "' has no " + name);
  }
}
