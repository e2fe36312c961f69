package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.glassbox.engine.model.Shapes;

/**
 * Control flow (If, Loop, Scan) holds subgraphs that read outer tensors by name, not through node
 * inputs. This class makes those reads visible to the path analysis, and replaces an If whose
 * condition does not depend on the data (the common case: a condition on a fixed shape, folded by
 * {@link ShapeFolding}) by the branch it always takes, so that the branch is differentiated like any
 * other nodes.
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

  private static boolean boolValue(TensorProto t) {
    if (t.getInt32DataCount() > 0) return t.getInt32Data(0) != 0;
    return !t.getRawData().isEmpty() && t.getRawData().byteAt(0) != 0;
  }

  private static GraphProto branch(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a.getG();
    throw new IllegalStateException("If node '" + n.getName() + "' has no " + name);
  }
}
