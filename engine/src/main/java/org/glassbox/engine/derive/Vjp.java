package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/** What a {@link VjpRule} sees of one node while the backward graph is built. */
public final class Vjp {
  private final NodeProto node;
  private final GraphEmitter emit;
  private final Shapes shapes;
  private final Map<String, TensorProto> constants;
  private final String[] outputCotangents;
  private final boolean[] wanted;
  private final String[] inputCotangents;
  private final Map<String, Integer> consumers;
  private final Map<String, NodeProto> producers;
  private final java.util.Set<String> active;
  private final Map<String, String> upstream = new java.util.LinkedHashMap<>();
  private NodeProto rewritten;

  Vjp(NodeProto node, GraphEmitter emit, Shapes shapes, Map<String, TensorProto> constants, String[] outputCotangents,
      boolean[] wanted, Map<String, Integer> consumers, Map<String, NodeProto> producers, java.util.Set<String> active) {
    this.consumers = consumers;
    this.producers = producers;
    this.active = active;
    this.node = node;
    this.emit = emit;
    this.shapes = shapes;
    this.constants = constants;
    this.outputCotangents = outputCotangents;
    this.wanted = wanted;
    this.inputCotangents = new String[node.getInputCount()];
  }

  public NodeProto node() {
    return node;
  }

  public GraphEmitter emit() {
    return emit;
  }

  public int opset() {
    return emit.opset();
  }

  public String in(int i) {
    return i < node.getInputCount() ? node.getInput(i) : "";
  }

  public boolean hasInput(int i) {
    return !in(i).isEmpty();
  }

  public String out(int i) {
    return node.getOutput(i);
  }

  /** Cotangent of output i, or null if nothing downstream depends on it. */
  public String dy(int i) {
    return i < outputCotangents.length ? outputCotangents[i] : null;
  }

  /** Cotangent of output 0, which every single-output rule is called with. */
  public String dy() {
    return outputCotangents[0];
  }

  /** Whether input i lies on a path from the differentiation variables and carries gradient. */
  public boolean wants(int i) {
    return i < wanted.length && wanted[i];
  }

  /** Records the cotangent of input i (a tensor of exactly the input's shape). */
  public void grad(int i, String cotangent) {
    if (wants(i)) inputCotangents[i] = cotangent;
  }

  /**
   * The same machinery for another node (only its input 0 wanted), with extra tensors shaped like
   * existing ones ({@code aliases}: new name to existing name): lets a rule set reuse the gradient rule of an
   * operator (LRP's z-rule is the input VJP of R / z).
   */
  Vjp with(NodeProto other, String cotangent, Map<String, String> aliases) {
    boolean[] w = new boolean[other.getInputCount()];
    w[0] = true;
    String[] dys = new String[other.getOutputCount()];
    dys[0] = cotangent;
    Shapes s = shapes;
    for (var e : aliases.entrySet()) s = s.alias(e.getKey(), e.getValue());
    return new Vjp(other, emit, s, constants, dys, w, consumers, producers, active);
  }

  /** The node producing a tensor, if any. */
  NodeProto producerOf(String tensor) {
    return producers.get(tensor);
  }

  int consumersOf(String tensor) {
    return consumers.getOrDefault(tensor, 0);
  }

  String[] inputCotangents() {
    return inputCotangents;
  }

  Map<String, String> upstreamCotangents() {
    return upstream;
  }

  NodeProto rewrittenForward() {
    return rewritten;
  }

  /**
   * The node that produces input i, if this node is its output's only consumer: a rule may then
   * differentiate through both at once (see {@link #gradUpstream}).
   */
  public NodeProto soleProducer(int i) {
    if (!wants(i) || consumers.getOrDefault(in(i), 0) != 1) return null;
    NodeProto p = producers.get(in(i));
    return p != null && p.getOutputCount() == 1 ? p : null;
  }

  /**
   * Records the cotangent of an input of {@link #soleProducer}'s node, skipping that node's own
   * rule: a fused backward for pairs like ReLU followed by max-pooling.
   */
  public void gradUpstream(String tensor, String cotangent) {
    if (active.contains(tensor)) upstream.put(tensor, cotangent);
  }

  /**
   * Output {@code index} of this node in the forward graph, adding it if the model does not compute
   * it (e.g. MaxPool's Indices), so that the backward pass reuses what the forward pass finds.
   */
  public String forwardOutput(int index) {
    NodeProto current = rewritten != null ? rewritten : node;
    if (index < current.getOutputCount() && !current.getOutput(index).isEmpty()) return current.getOutput(index);
    NodeProto.Builder b = current.toBuilder();
    while (b.getOutputCount() <= index) b.addOutput("");
    String name = emit.fresh("fwd_" + node.getOpType().toLowerCase() + "_out" + index);
    b.setOutput(index, name);
    rewritten = b.build();
    return name;
  }

  public TensorInfo info(String tensor) {
    return shapes.get(tensor);
  }

  /** The shapes of the graph being differentiated (for rules that differentiate a subgraph). */
  Shapes shapes() {
    return shapes;
  }

  /** Whether a tensor lies on a path from the differentiation variables. */
  boolean isActive(String tensor) {
    return active.contains(tensor);
  }

  /** Element type of input 0, used for the constants a rule emits. */
  public int type() {
    return info(out(0)).isFloating() ? info(out(0)).elemType() : info(in(0)).elemType();
  }

  public String scalar(double value) {
    return emit.scalar(value, type());
  }

  public long attrInt(String name, long fallback) {
    return Protos.attrInt(node, name, fallback);
  }

  public float attrFloat(String name, float fallback) {
    return Protos.attrFloat(node, name, fallback);
  }

  public long[] attrInts(String name, long[] fallback) {
    return Protos.attrInts(node, name, fallback);
  }

  public String attrString(String name, String fallback) {
    return Protos.attrString(node, name, fallback);
  }

  /** The constant behind input i (an initializer or Constant node), or null if computed at run time. */
  public TensorProto constant(int i) {
    return hasInput(i) ? constantByName(in(i)) : null;
  }

  /** The constant behind input i of another node. */
  TensorProto constant(NodeProto other, int i) {
    return i < other.getInputCount() ? constantByName(other.getInput(i)) : null;
  }

  /** A constant of the graph, or one the rules emitted (e.g. LRP's modified weights). */
  TensorProto constantByName(String tensor) {
    TensorProto t = constants.get(tensor);
    return t != null ? t : emit.constant(tensor);
  }

  /** Values of a constant integer input (initializer or Constant node), or null if computed at run time. */
  public long[] constLongs(int i) {
    if (!hasInput(i)) return null;
    TensorProto t = constants.get(in(i));
    return t == null ? null : Protos.longs(t);
  }

  /** Normalises a possibly negative axis against a rank. */
  public static long axis(long axis, int rank) {
    return axis < 0 ? axis + rank : axis;
  }

  public GlassboxException unsupported(String why) {
    return new GlassboxException("Cannot differentiate node '" + node.getName() + "' (" + node.getOpType() + "): " + why);
  }

  /**
   * Sums {@code dy} (whose shape is {@code dyDims}) down to the shape of {@code x}: the
   * vector-Jacobian product of numpy-style broadcasting.
   */
  public String unbroadcast(String dy, long[] dyDims, String x) {
    TensorInfo xi = info(x);
    int lead = dyDims.length - xi.rank();
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < lead; i++) axes.add((long) i);
    for (int j = 0; j < xi.rank(); j++) {
      long yd = dyDims[lead + j];
      if (xi.dims()[j] == 1 && yd != 1) axes.add((long) (lead + j));
    }
    if (axes.isEmpty()) return dy;
    String r = emit.reduceSum(dy, axes.stream().mapToLong(Long::longValue).toArray(), true);
    return lead > 0 ? emit.reshapeLike(r, x) : r;
  }

  /** {@link #unbroadcast(String, long[], String)} for a cotangent shaped like output 0. */
  public String unbroadcast(String dy, String x) {
    return unbroadcast(dy, info(out(0)).dims(), x);
  }
}
