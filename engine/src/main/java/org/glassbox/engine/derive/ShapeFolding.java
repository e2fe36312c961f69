package org.glassbox.engine.derive;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.Shapes;
import org.glassbox.engine.model.TensorInfo;

/**
 * Folds the integer shape arithmetic exporters emit (Shape → Gather → Div → Unsqueeze → Concat …) into
 * constants wherever it does not depend on the batch size, so that rules needing constant bounds
 * (Slice, Tile, reduction axes) see them. PyTorch's MultiheadAttention, for one, slices its packed
 * projection with bounds computed from a fixed feature size at run time.
 *
 * <p>Exact by construction: a dimension counts as known only when the shape probe found it the same
 * for different batch sizes; an element that depends on an unknown one stays unknown, and a tensor is
 * folded only when every element is known.
 */
final class ShapeFolding {
  private static final int MAX_ELEMENTS = 64;
  /** ONNX element type int32. */
  private static final int INT32 = 6;

  private ShapeFolding() {}

  /** Integer tensors of the graph whose values are known without running it (beyond its constants). */
  static Map<String, TensorProto> fold(GraphProto graph, Shapes shapes, Map<String, TensorProto> constants) {
    Map<String, Long[]> known = new HashMap<>();
    for (var e : constants.entrySet()) {
      TensorProto t = e.getValue();
      if ((t.getDataType() == TensorInfo.INT64 || t.getDataType() == INT32 || t.getDataType() == TensorInfo.BOOL)
          && count(t) <= MAX_ELEMENTS) {
        long[] v = t.getDataType() == TensorInfo.BOOL ? bools(t) : Protos.longs(t);
        Long[] boxed = new Long[v.length];
        for (int i = 0; i < v.length; i++) boxed[i] = v[i];
        known.put(e.getKey(), boxed);
      }
    }
    Map<String, TensorProto> out = new HashMap<>();
    for (NodeProto n : graph.getNodeList()) {
      if (n.getOutputCount() != 1 || constants.containsKey(n.getOutput(0))) continue;
      Long[] v = evaluate(n, known, shapes);
      if (v == null) continue;
      known.put(n.getOutput(0), v);
      boolean all = true;
      for (Long x : v) all &= x != null;
      TensorInfo info = shapes.find(n.getOutput(0)).orElse(null);
      if (all && info != null && info.rank() <= 1) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(n.getOutput(0)).setDataType(TensorInfo.INT64);
        if (info.rank() == 1) t.addDims(v.length);
        for (Long x : v) t.addInt64Data(x);
        out.put(n.getOutput(0), t.build());
      }
    }
    return out;
  }

  /** A bool tensor's values as 0 and 1 (int32_data or one byte each in raw_data). */
  private static long[] bools(TensorProto t) {
    if (t.getInt32DataCount() > 0) return t.getInt32DataList().stream().mapToLong(i -> i != 0 ? 1 : 0).toArray();
    long[] v = new long[t.getRawData().size()];
    for (int i = 0; i < v.length; i++) v[i] = t.getRawData().byteAt(i) != 0 ? 1 : 0;
    return v;
  }

  private static long count(TensorProto t) {
    long c = 1;
    for (long d : t.getDimsList()) c *= d;
    return c;
  }

  /** The node's output as known/unknown elements, or null when it is not integer shape arithmetic. */
  private static Long[] evaluate(NodeProto n, Map<String, Long[]> known, Shapes shapes) {
    switch (n.getOpType()) {
      case "Shape" -> {
        TensorInfo t = shapes.find(n.getInput(0)).orElse(null);
        if (t == null) return null;
        int rank = t.rank();
        int start = (int) Protos.attrInt(n, "start", 0);
        int end = (int) Protos.attrInt(n, "end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = Math.max(0, Math.min(rank, start));
        end = Math.max(start, Math.min(rank, end));
        Long[] v = new Long[end - start];
        for (int i = start; i < end; i++) v[i - start] = t.dim(i) == TensorInfo.DYNAMIC ? null : t.dim(i);
        return v;
      }
      case "Identity", "Cast", "Squeeze", "Unsqueeze", "Reshape", "Flatten" -> {
        if (n.getOpType().equals("Cast")) {
          long to = Protos.attrInt(n, "to", TensorInfo.INT64);
          if (to != TensorInfo.INT64 && to != INT32) return null;
        }
        return known.get(n.getInput(0));
      }
      case "Gather" -> {
        Long[] data = known.get(n.getInput(0));
        Long[] idx = known.get(n.getInput(1));
        if (data == null || idx == null || Protos.attrInt(n, "axis", 0) != 0) return null;
        Long[] v = new Long[idx.length];
        for (int i = 0; i < idx.length; i++) {
          if (idx[i] == null) return null;
          long k = idx[i] < 0 ? idx[i] + data.length : idx[i];
          if (k < 0 || k >= data.length) return null;
          v[i] = data[(int) k];
        }
        return v;
      }
      case "Concat" -> {
        if (Protos.attrInt(n, "axis", 0) != 0) return null;
        List<Long> all = new java.util.ArrayList<>();
        for (String in : n.getInputList()) {
          Long[] p = known.get(in);
          if (p == null) return null;
          all.addAll(java.util.Arrays.asList(p));
        }
        return all.toArray(Long[]::new);
      }
      case "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual" -> {
        // Conditions on shapes (If); booleans as 0 and 1.
        return elementwise(n, known, (x, y) -> switch (n.getOpType()) {
          case "Equal" -> x.equals(y);
          case "Greater" -> x > y;
          case "Less" -> x < y;
          case "GreaterOrEqual" -> x >= y;
          default -> x <= y;
        } ? 1L : 0L);
      }
      case "Not" -> {
        Long[] a = known.get(n.getInput(0));
        if (a == null) return null;
        Long[] v = new Long[a.length];
        for (int i = 0; i < a.length; i++) v[i] = a[i] == null ? null : a[i] == 0 ? 1L : 0L;
        return v;
      }
      case "Add", "Sub", "Mul", "Div" -> {
        return elementwise(n, known, (x, y) -> switch (n.getOpType()) {
          case "Add" -> x + y;
          case "Sub" -> x - y;
          case "Mul" -> x * y;
          default -> y == 0 ? null : x / y; // C++ integer division, as ONNX Runtime computes it
        });
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * A binary operator on two known integer tensors with ONNX broadcasting of a one-element side;
   * elements unknown on either side (or for which {@code op} gives null) stay unknown.
   */
  private static Long[] elementwise(NodeProto n, Map<String, Long[]> known, java.util.function.BinaryOperator<Long> op) {
    Long[] a = known.get(n.getInput(0));
    Long[] b = known.get(n.getInput(1));
    if (a == null || b == null || a.length != b.length && a.length != 1 && b.length != 1) return null;
    Long[] v = new Long[Math.max(a.length, b.length)];
    for (int i = 0; i < v.length; i++) {
      Long x = a[a.length == 1 ? 0 : i];
      Long y = b[b.length == 1 ? 0 : i];
      if (x != null && y != null) v[i] = op.apply(x, y);
    }
    return v;
  }
}
