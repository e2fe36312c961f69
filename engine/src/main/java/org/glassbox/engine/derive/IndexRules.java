package org.glassbox.engine.derive;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of indexing and rearranging operators: Gather, GatherND, ScatterND, Split, Tile,
 * TopK and Trilu. Indices, split sizes, repeats, k and Trilu's diagonal carry no gradient. Gathers
 * are undone by scatters that add duplicate indices (ScatterElements and ScatterND with
 * {@code reduction='add'}, opset 16), whose own rules gather again, so second derivatives close;
 * before opset 16 Gather's adjoint is a sorted segment sum of Gathers and CumSums, which closes too.
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
   * ScatterElements with reduction 'add' (opset 16) or, in older opsets, a sorted segment sum
   * ({@link #sortedSegmentSum}).
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
    String extent = size == TensorInfo.DYNAMIC
        // Along the batch axis (e.g. the sorting of sequences by length that exporters emit for packed
        // sequences, or the particles of a whole batch gathered together) the extent is known at run time only.
        ? e.op("Gather", e.op("Shape", v.in(0)), e.longs(axis)) : e.longs(size);
    String idx = e.cast(flatIndices, TensorInfo.INT64);
    idx = e.where(e.op("Less", idx, e.longs(0)), e.add(idx, extent), idx);
    v.grad(0, sortedSegmentSum(v, dy, idx, extent, axis));
  }

  /**
   * The scatter-add of opsets before 16, built from Gather, TopK, CumSum, Where and Sub only, so that
   * it is differentiable again to any order (no Slice, Pad or Concat of the cotangent along the index
   * axis, which may be the batch axis), at a cost linear in the number of indices (plus their sort)
   * rather than the one-hot product's (indices x extent). {@code dy} holds K rows along {@code axis},
   * {@code idx} their K normalised target indices in [0, extent).
   *
   * <p>The rows are sorted by index and summed by an inclusive CumSum C along the axis. One integer
   * sort of the keys 2*idx (rows) and 2*j+1 ("probe" j, one per target) places every probe right
   * after the rows it receives: with p_j the sorted position of probe j (NonZero of "is a probe"
   * lists them in order), n_j = p_j - j rows have an index <= j, the rows' own order is the data
   * entries of that permutation, and the sum for index j is C[n_j - 1] - C[n_{j-1} - 1], where
   * C[-1] = 0 (a Where; absent indices get exactly 0 - 0).
   *
   * <p>The difference of prefix sums cancels: its rounding error scales with the magnitude of the
   * prefix rather than of the segment. The CumSum and the difference therefore run in float64
   * whatever the model's type: the error is then about 2^-53 times (number of rows) times the summed
   * magnitude of the prefix, far below float32 resolution (2^-24 of the result) unless the prefix
   * outweighs the segment's sum by many orders of magnitude (on 8192 rows, 64 targets and mixed
   * scales, GatherSegmentSumTest finds it closer to float64 finite differences than opset 16's float32
   * ScatterElements-add). Float64 models keep float64 prefix error relative to the prefix. Alternatives without the subtraction (a
   * segmented doubling scan, one scatter per occurrence rank) need a number of steps known only at
   * run time (log or maximum multiplicity), which an ONNX graph without Loop cannot unroll, and a
   * ScatterElements without reduction would leave a GatherElements in the derivative, whose own rule
   * needs opset 16.
   */
  private static String sortedSegmentSum(Vjp v, String dy, String idx, String extent, int axis) {
    GraphEmitter e = v.emit();
    int type = v.type();
    String count = e.op("Shape", idx);
    String probes = e.op("Range", List.of(e.longScalar(0), e.op("Squeeze", extent), e.longScalar(1)));
    String two = e.longs(2);
    String keys = e.op("Concat", List.of(e.mul(idx, two), e.add(e.mul(probes, two), e.longs(1))), Attr.i("axis", 0));
    String perm = e.op("TopK", List.of(keys, e.op("Shape", keys)), 2, Attr.i("axis", 0), Attr.i("largest", 0),
        Attr.i("sorted", 1)).get(1);
    String isRow = e.op("Less", perm, count);
    String order = e.op("Gather", perm, e.reshape(e.op("NonZero", isRow), -1L));
    String probeAt = e.reshape(e.op("NonZero", e.op("Not", isRow)), -1L);
    String upTo = e.sub(e.sub(probeAt, probes), e.longs(1));
    String upToPrevious = e.op("Concat", List.of(e.longs(-1), slice1d(e, upTo, 0, -1)), Attr.i("axis", 0));

    String rows = e.op("Gather", List.of(dy, order), Attr.i("axis", axis));
    if (type != TensorInfo.DOUBLE) rows = e.cast(rows, TensorInfo.DOUBLE);
    String prefix = e.op("CumSum", List.of(rows, e.longScalar(axis)));
    String zero = e.scalar(0, TensorInfo.DOUBLE);
    int rank = v.info(v.in(0)).rank();
    String sums = e.sub(prefixAt(e, prefix, upTo, axis, rank, zero), prefixAt(e, prefix, upToPrevious, axis, rank, zero));
    return type != TensorInfo.DOUBLE ? e.cast(sums, type) : sums;
  }

  /** prefix[at] along {@code axis}, 0 where at = -1 (no rows). */
  private static String prefixAt(GraphEmitter e, String prefix, String at, int axis, int rank, String zero) {
    String none = e.op("Less", at, e.longs(0));
    String value = e.op("Gather", List.of(prefix, e.where(none, e.longs(0), at)), Attr.i("axis", axis));
    // [E, 1, ..., 1] broadcasts along the index axis.
    long[] shape = new long[rank - axis];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return e.where(e.reshape(none, shape), zero, value);
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
