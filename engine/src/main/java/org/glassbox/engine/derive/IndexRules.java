package org.glassbox.engine.derive;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of indexing and rearranging operators: Gather, GatherND, ScatterND, Split, Tile,
 * TopK and Trilu. Indices, split sizes, repeats, k and Trilu's diagonal carry no gradient. Gathers
 * are undone by scatters that add duplicate indices (ScatterElements and ScatterND with
 * {@code reduction='add'}, opset 16), whose own rules gather again, so second derivatives close.
 */
final class IndexRules {
  private IndexRules() {}

  static void register(RuleSet.Builder b) {
    b.rule("Gather", IndexRules::gather, 1);
    b.rule("GatherND", IndexRules::gatherND, 1);
    b.rule("ScatterND", IndexRules::scatterND, 1);
    b.rule("Split", IndexRules::split, 1);
    b.rule("Tile", IndexRules::tile, 1);
    b.rule("TopK", IndexRules::topK, 1);
    b.rule("Trilu", v -> {
      List<String> inputs = new ArrayList<>(List.of(v.dy()));
      if (v.hasInput(1)) inputs.add(v.in(1));
      // Masking is its own adjoint.
      v.grad(0, v.emit().op("Trilu", inputs, Attr.i("upper", v.attrInt("upper", 1))));
    }, 1);
  }

  /** A zero tensor shaped like {@code x} (of x's type). */
  static String zerosLike(Vjp v, String x) {
    return v.emit().mul(x, v.scalar(0));
  }

  /** Elements {@code [from, to)} of a 1-D int64 tensor. */
  private static String slice1d(GraphEmitter e, String t, long from, long to) {
    return e.op("Slice", List.of(t, e.longs(from), e.longs(to), e.longs(0)));
  }

  /**
   * y = Gather(x, indices, axis) has shape x[:axis] + indices.shape + x[axis+1:]. Its adjoint adds
   * each slice of dy into x at its index: with the index axes of dy flattened to one axis K, a
   * ScatterElements with reduction 'add' (opset 16) or, in older opsets, a product with the one-hot
   * matrix [K, x.shape[axis]] (built at run time when that axis is the batch).
   */
  private static void gather(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    int rank = x.rank();
    int axis = (int) Vjp.axis(v.attrInt("axis", 0), rank);
    String flatIndices = e.reshape(v.in(1), -1L);
    String shape = e.op("Concat", List.of(slice1d(e, e.op("Shape", v.dy()), 0, axis), e.longs(-1),
        slice1d(e, e.op("Shape", v.in(0)), axis + 1, Long.MAX_VALUE)), Attr.i("axis", 0));
    String dy = e.op("Reshape", v.dy(), shape);
    if (v.opset() >= 16) {
      long[] indexShape = new long[rank];
      java.util.Arrays.fill(indexShape, 1);
      indexShape[axis] = -1;
      String indices = e.op("Expand", e.op("Reshape", flatIndices, e.longs(indexShape)), e.op("Shape", dy));
      v.grad(0, e.op("ScatterElements", List.of(zerosLike(v, v.in(0)), indices, dy), Attr.i("axis", axis),
          Attr.s("reduction", "add")));
      return;
    }
    long size = x.dim(axis);
    String extent;
    String range;
    if (size == TensorInfo.DYNAMIC) {
      // Along the batch axis (e.g. the sorting of sequences by length that exporters emit for packed
      // sequences), the one-hot matrix is [K, N] with N known at run time only.
      extent = e.op("Gather", e.op("Shape", v.in(0)), e.longScalar(axis));
      range = e.op("Range", List.of(e.longScalar(0), extent, e.longScalar(1)));
    } else {
      long[] values = new long[(int) size];
      for (int i = 0; i < size; i++) values[i] = i;
      extent = e.longs(size);
      range = e.longs(values);
    }
    String idx = e.cast(flatIndices, TensorInfo.INT64);
    idx = e.where(e.op("Less", idx, e.longs(0)), e.add(idx, extent), idx);
    String oneHot = e.cast(e.op("Equal", e.unsqueeze(idx, 1L), range), v.type());
    // Move the index axis last, contract it with the one-hot matrix, move it back.
    long[] perm = new long[rank];
    int k = 0;
    for (int i = 0; i < rank; i++) if (i != axis) perm[k++] = i;
    perm[rank - 1] = axis;
    long[] inverse = new long[rank];
    for (int i = 0; i < rank; i++) inverse[(int) perm[i]] = i;
    String moved = e.op("MatMul", e.transpose(dy, perm), oneHot);
    v.grad(0, e.transpose(moved, inverse));
  }

  /**
   * GatherND's adjoint is ScatterND with reduction 'add' (opset 16). ScatterND has no batch_dims, so
   * with batch_dims = b the indices are first extended by the b batch coordinates of each row.
   */
  private static void gatherND(Vjp v) {
    GraphEmitter e = v.emit();
    if (v.opset() < 16) {
      throw v.unsupported("the gradient of GatherND must add duplicate indices, which ONNX ScatterND does from"
          + " opset 16 on; re-export the model with opset 16 or newer.");
    }
    long batchDims = v.attrInt("batch_dims", 0);
    String indices = v.in(1);
    if (batchDims > 0) {
      int q = v.info(indices).rank();
      String indexShape = e.op("Shape", indices);
      String gridShape = e.op("Concat", List.of(slice1d(e, indexShape, 0, q - 1), e.longs(1)), Attr.i("axis", 0));
      List<String> parts = new ArrayList<>();
      for (int j = 0; j < batchDims; j++) {
        String size = e.op("Squeeze", slice1d(e, indexShape, j, j + 1));
        String coordinate = e.op("Range", List.of(e.longScalar(0), size, e.longScalar(1)));
        long[] at = new long[q];
        java.util.Arrays.fill(at, 1);
        at[j] = -1;
        parts.add(e.op("Expand", e.op("Reshape", coordinate, e.longs(at)), gridShape));
      }
      parts.add(indices);
      indices = e.op("Concat", parts, Attr.i("axis", -1));
    }
    v.grad(0, e.op("ScatterND", List.of(zerosLike(v, v.in(0)), indices, v.dy()), Attr.s("reduction", "add")));
  }

  private static void scatterND(Vjp v) {
    GraphEmitter e = v.emit();
    String reduction = v.attrString("reduction", "none");
    if (!reduction.equals("none") && !reduction.equals("add")) throw v.unsupported("reduction '" + reduction + "'");
    if (v.wants(0)) {
      // Overwritten positions take no gradient from the data; added ones pass it through.
      v.grad(0, reduction.equals("add") ? v.dy()
          : e.op("ScatterND", List.of(v.dy(), v.in(1), zerosLike(v, v.in(2)))));
    }
    if (v.wants(2)) v.grad(2, e.op("GatherND", List.of(v.dy(), v.in(1))));
  }

  /** The adjoint of Split concatenates the outputs' cotangents, zeros for outputs nothing depends on. */
  private static void split(Vjp v) {
    GraphEmitter e = v.emit();
    int rank = v.info(v.in(0)).rank();
    long axis = Vjp.axis(v.attrInt("axis", 0), rank);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < v.node().getOutputCount(); i++) {
      String dy = v.dy(i);
      parts.add(dy != null ? dy : zerosLike(v, v.out(i)));
    }
    v.grad(0, parts.size() == 1 ? parts.get(0) : e.op("Concat", parts, Attr.i("axis", axis)));
  }

  /** Tile's adjoint sums the copies: dy reshaped to [r0, d0, r1, d1, ...], summed over the r axes. */
  private static void tile(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    long[] repeats = v.constLongs(1);
    if (repeats == null) throw v.unsupported("Tile repeats computed at run time are not supported.");
    List<Long> shape = new ArrayList<>();
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      long d = x.dim(i);
      if (repeats[i] != 1) {
        axes.add((long) shape.size());
        shape.add(repeats[i]);
      }
      shape.add(d == TensorInfo.DYNAMIC ? -1L : d);
    }
    if (axes.isEmpty()) {
      v.grad(0, v.dy());
      return;
    }
    if (shape.stream().filter(d -> d == -1L).count() > 1) throw v.unsupported("more than one dynamic axis.");
    String split = e.reshape(v.dy(), shape.stream().mapToLong(Long::longValue).toArray());
    v.grad(0, e.reduceSum(split, axes.stream().mapToLong(Long::longValue).toArray(), false));
  }

  /** TopK's values come from x at the indices TopK finds (distinct along the axis): scatter dy back there. */
  private static void topK(Vjp v) {
    GraphEmitter e = v.emit();
    String values = v.dy(0);
    long axis = Vjp.axis(v.attrInt("axis", -1), v.info(v.in(0)).rank());
    String indices = v.forwardOutput(1);
    v.grad(0, e.op("ScatterElements", List.of(zerosLike(v, v.in(0)), indices, values), Attr.i("axis", axis)));
  }
}
