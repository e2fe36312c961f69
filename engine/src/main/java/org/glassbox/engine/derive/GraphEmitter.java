package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.glassbox.engine.model.TensorInfo;

/**
 * Emits the nodes and constants of a derived graph. Owns name generation (names never collide with
 * the graph being extended) and refuses operators outside the standard domain that have no rule,
 * so that every derived graph can itself be differentiated. Helpers hide the opset differences
 * (ReduceSum's and Unsqueeze's axes became inputs in opset 13).
 */
public final class GraphEmitter {
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> constants = new ArrayList<>();
  private final Set<String> taken;
  private final Predicate<String> emittable;
  private final String prefix;
  private final int opset;
  private int counter;

  GraphEmitter(Set<String> takenNames, Predicate<String> emittable, String prefix, int opset) {
    this.taken = takenNames;
    this.emittable = emittable;
    this.prefix = prefix;
    this.opset = opset;
  }

  public int opset() {
    return opset;
  }

  List<NodeProto> nodes() {
    return nodes;
  }

  List<TensorProto> constants() {
    return constants;
  }

  /** A constant this emitter created, or null. */
  TensorProto constant(String name) {
    for (TensorProto t : constants) if (t.getName().equals(name)) return t;
    return null;
  }

  /** A tensor name not used in the graph yet. */
  public String fresh(String hint) {
    String name;
    do {
      name = prefix + hint + "_" + counter++;
    } while (taken.contains(name));
    taken.add(name);
    return name;
  }

  /** Emits a single-output node and returns its output name. */
  public String op(String type, List<String> inputs, AttributeProto... attributes) {
    return op(type, inputs, 1, attributes).get(0);
  }

  public List<String> op(String type, List<String> inputs, int outputs, AttributeProto... attributes) {
    if (!emittable.test(type)) {
      throw new IllegalStateException("derived graphs may only use operators with a rule; " + type + " has none");
    }
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < outputs; i++) outs.add(fresh(type.toLowerCase()));
    nodes.add(NodeProto.newBuilder()
        .setOpType(type)
        .setName(fresh("n_" + type))
        .addAllInput(inputs)
        .addAllOutput(outs)
        .addAllAttribute(Arrays.asList(attributes))
        .build());
    return outs;
  }

  public String op(String type, String a, AttributeProto... attributes) {
    return op(type, List.of(a), attributes);
  }

  public String op(String type, String a, String b, AttributeProto... attributes) {
    return op(type, List.of(a, b), attributes);
  }

  // ---- constants ----

  /** A rank-0 constant of the given element type (float or double). */
  public String scalar(double value, int elemType) {
    return tensor(new double[] {value}, new long[0], elemType);
  }

  public String tensor(double[] values, long[] dims, int elemType) {
    ByteBuffer bb;
    if (elemType == TensorInfo.DOUBLE) {
      bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) bb.putDouble(v);
    } else {
      bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) bb.putFloat((float) v);
    }
    return addConstant(TensorProto.newBuilder().setDataType(elemType == TensorInfo.DOUBLE ? TensorInfo.DOUBLE : TensorInfo.FLOAT)
        .setRawData(ByteString.copyFrom(bb.array())), dims, "const");
  }

  /** A 1-D int64 constant. */
  public String longs(long... values) {
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) bb.putLong(v);
    return addConstant(TensorProto.newBuilder().setDataType(TensorInfo.INT64).setRawData(ByteString.copyFrom(bb.array())),
        new long[] {values.length}, "ints");
  }

  private String addConstant(TensorProto.Builder t, long[] dims, String hint) {
    String name = fresh(hint);
    for (long d : dims) t.addDims(d);
    constants.add(t.setName(name).build());
    return name;
  }

  // ---- helpers over opset differences ----

  public String reduceSum(String x, long[] axes, boolean keepdims) {
    if (opset >= 13) return op("ReduceSum", List.of(x, longs(axes)), Attr.i("keepdims", keepdims ? 1 : 0));
    return op("ReduceSum", List.of(x), Attr.ints("axes", axes), Attr.i("keepdims", keepdims ? 1 : 0));
  }

  /**
   * Any reduction (ReduceMax, ReduceProd, ...) over {@code axes}: ReduceSum takes its axes as an input
   * from opset 13 on, the other reductions from opset 18 on.
   */
  public String reduce(String type, String x, long[] axes, boolean keepdims) {
    if (opset >= (type.equals("ReduceSum") ? 13 : 18)) {
      return op(type, List.of(x, longs(axes)), Attr.i("keepdims", keepdims ? 1 : 0));
    }
    return op(type, List.of(x), Attr.ints("axes", axes), Attr.i("keepdims", keepdims ? 1 : 0));
  }

  /** A rank-0 int64 constant (Range's bounds). */
  public String longScalar(long value) {
    ByteBuffer bb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
    return addConstant(TensorProto.newBuilder().setDataType(TensorInfo.INT64).setRawData(ByteString.copyFrom(bb.array())),
        new long[0], "int");
  }

  public String cast(String x, int elemType) {
    return op("Cast", List.of(x), Attr.i("to", elemType));
  }

  public String unsqueeze(String x, long... axes) {
    if (opset >= 13) return op("Unsqueeze", x, longs(axes));
    return op("Unsqueeze", List.of(x), Attr.ints("axes", axes));
  }

  public String reshape(String x, long... shape) {
    return op("Reshape", x, longs(shape));
  }

  public String reshapeLike(String x, String like) {
    return op("Reshape", x, op("Shape", like));
  }

  public String transpose(String x, long... perm) {
    return op("Transpose", List.of(x), Attr.ints("perm", perm));
  }

  public String add(String a, String b) {
    return op("Add", a, b);
  }

  public String sub(String a, String b) {
    return op("Sub", a, b);
  }

  public String mul(String a, String b) {
    return op("Mul", a, b);
  }

  public String div(String a, String b) {
    return op("Div", a, b);
  }

  public String neg(String a) {
    return op("Neg", a);
  }

  public String where(String condition, String whenTrue, String whenFalse) {
    return op("Where", List.of(condition, whenTrue, whenFalse));
  }
}
