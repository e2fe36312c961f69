package org.glassbox.engine.derive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.TensorInfo;

/**
 * Backward rules of convolution and pooling. Pooling is expressed through grouped convolutions
 * with one-hot kernels, so that every emitted operator is itself differentiable (closure) and
 * overlapping windows accumulate correctly.
 */
final class ConvRules {
  private ConvRules() {}

  /** Fewest input channels for which a stride-1 input gradient is emitted as a flipped-kernel Conv. */
  private static final long MIN_FLIPPED_CHANNELS = 8;

  /** Window geometry of a convolution or pooling node over its spatial axes. */
  private record Window(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd) {
    int rank() {
      return kernel.length;
    }

    long[] pads() {
      long[] p = Arrays.copyOf(padBegin, 2 * rank());
      System.arraycopy(padEnd, 0, p, rank(), rank());
      return p;
    }
  }

  private static Window window(Vjp v, long[] kernel, long[] inSpatial) {
    int r = kernel.length;
    long[] ones = new long[r];
    Arrays.fill(ones, 1);
    long[] s = v.attrInts("strides", ones);
    long[] d = v.attrInts("dilations", ones);
    long[] begin = new long[r];
    long[] end = new long[r];
    String auto = v.attrString("auto_pad", "NOTSET");
    switch (auto) {
      case "NOTSET" -> {
        long[] p = v.attrInts("pads", new long[2 * r]);
        System.arraycopy(p, 0, begin, 0, r);
        System.arraycopy(p, r, end, 0, r);
      }
      case "VALID" -> { }
      case "SAME_UPPER", "SAME_LOWER" -> {
        for (int i = 0; i < r; i++) {
          long out = (inSpatial[i] + s[i] - 1) / s[i];
          long total = Math.max(0, (out - 1) * s[i] + (kernel[i] - 1) * d[i] + 1 - inSpatial[i]);
          begin[i] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
          end[i] = total - begin[i];
        }
      }
      default -> throw v.unsupported("auto_pad '" + auto + "'");
    }
    return new Window(kernel, s, d, begin, end);
  }

  private static long[] spatial(TensorInfo t, Vjp v) {
    long[] s = Arrays.copyOfRange(t.dims(), 2, t.rank());
    for (long d : s) if (d == TensorInfo.DYNAMIC) throw v.unsupported("spatial sizes must not depend on the batch.");
    return s;
  }

  static void conv(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    TensorInfo w = v.info(v.in(1));
    long[] xs = spatial(x, v);
    long[] ys = spatial(v.info(v.out(0)), v);
    Window win = window(v, Arrays.copyOfRange(w.dims(), 2, w.rank()), xs);
    long group = v.attrInt("group", 1);
    String flipped = v.wants(0) ? flippedKernel(v, w, group, win) : null;
    if (flipped != null) {
      // Stride 1: the input gradient is a plain convolution of dy with the flipped, transposed kernel,
      // which ONNX Runtime runs much faster than ConvTranspose.
      long[] pads = new long[2 * win.rank()];
      for (int i = 0; i < win.rank(); i++) {
        long reach = win.dilations()[i] * (win.kernel()[i] - 1);
        pads[i] = reach - win.padBegin()[i];
        pads[win.rank() + i] = reach - win.padEnd()[i];
      }
      v.grad(0, e.op("Conv", List.of(v.dy(), flipped), Attr.ints("dilations", win.dilations()), Attr.ints("pads", pads),
          Attr.i("group", group), Attr.ints("kernel_shape", win.kernel())));
    } else if (v.wants(0)) {
      long[] outPad = new long[win.rank()];
      for (int i = 0; i < outPad.length; i++) {
        outPad[i] = xs[i] - ((ys[i] - 1) * win.strides()[i] - win.padBegin()[i] - win.padEnd()[i]
            + win.dilations()[i] * (win.kernel()[i] - 1) + 1);
      }
      v.grad(0, e.op("ConvTranspose", List.of(v.dy(), v.in(1)), Attr.ints("strides", win.strides()),
          Attr.ints("dilations", win.dilations()), Attr.ints("pads", win.pads()), Attr.i("group", group),
          Attr.ints("output_padding", outPad), Attr.ints("kernel_shape", win.kernel())));
    }
    if (v.wants(1)) {
      // dW[m, c, k] = Σ_n Σ_o dy[n, m, o] x[n, c, o·s + k·d − p]: a convolution of x with dy in which the batch
      // and channel axes trade places and stride and dilation trade roles; its output covers at least the
      // kernel, which it is cropped to.
      if (group != 1) throw v.unsupported("weight gradients of grouped convolutions (group " + group + ")");
      long[] swap = new long[x.rank()];
      for (int i = 0; i < swap.length; i++) swap[i] = i;
      swap[0] = 1;
      swap[1] = 0;
      String xt = e.transpose(v.in(0), swap);
      String dyt = e.transpose(v.dy(), swap);
      String full = e.op("Conv", List.of(xt, dyt), Attr.ints("strides", win.dilations()),
          Attr.ints("dilations", win.strides()), Attr.ints("pads", win.pads()), Attr.ints("kernel_shape", ys));
      long[] starts = new long[win.rank()];
      long[] axes = new long[win.rank()];
      for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
      String cropped = e.op("Slice", List.of(full, e.longs(starts), e.longs(win.kernel()), e.longs(axes)));
      v.grad(1, e.transpose(cropped, swap));
    }
    if (v.wants(2)) {
      long[] axes = new long[x.rank() - 1];
      axes[0] = 0;
      for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
      v.grad(2, e.reduceSum(v.dy(), axes, false));
    }
  }

  /**
   * For a stride-1 convolution with constant weights W[m, c, k...] (groups g) and pads no wider
   * than the kernel's reach, the weights of the equivalent backward convolution:
   * W'[g*(C/g) + c, m', k...] = W[g*(M/g) + m', c, K-1-k...]; otherwise null.
   */
  private static String flippedKernel(Vjp v, TensorInfo w, long group, Window win) {
    // ONNX Runtime runs the flipped convolution in its blocked layout (NCHWc), whose channel blocks (8 or 16
    // wide) pad the few output channels of a first layer's input gradient (an image's 1 or 3) and add layout
    // reorders; ConvTranspose (GEMM on the plain layout) is then faster (about a tenth of a jet-image CNN's
    // gradient time).
    if (w.dim(1) * group < MIN_FLIPPED_CHANNELS) return null;
    for (int i = 0; i < win.rank(); i++) {
      long reach = win.dilations()[i] * (win.kernel()[i] - 1);
      if (win.strides()[i] != 1 || win.padBegin()[i] > reach || win.padEnd()[i] > reach) return null;
    }
    TensorProto weights = v.constant(1);
    if (weights == null) return null;
    double[] src = Protos.doubles(weights);
    int m = (int) w.dim(0);
    int cg = (int) w.dim(1);
    int mg = m / (int) group;
    int k = 1;
    for (long d : win.kernel()) k *= (int) d;
    double[] dst = new double[src.length];
    for (int g = 0; g < group; g++) {
      for (int mo = 0; mo < mg; mo++) {
        for (int c = 0; c < cg; c++) {
          int from = ((g * mg + mo) * cg + c) * k;
          int to = ((g * cg + c) * mg + mo) * k;
          for (int j = 0; j < k; j++) dst[to + (k - 1 - j)] = src[from + j];
        }
      }
    }
    long[] dims = w.dims().clone();
    dims[0] = (long) cg * group;
    dims[1] = mg;
    return v.emit().tensor(dst, dims, w.elemType());
  }

  static void convTranspose(Vjp v) {
    GraphEmitter e = v.emit();
    if (Protos_hasOutputShape(v)) throw v.unsupported("ConvTranspose with output_shape is not supported; give pads.");
    TensorInfo w = v.info(v.in(1));
    TensorInfo x = v.info(v.in(0));
    long[] kernel = Arrays.copyOfRange(w.dims(), 2, w.rank());
    String auto = v.attrString("auto_pad", "NOTSET");
    if (!auto.equals("NOTSET") && !auto.equals("VALID")) throw v.unsupported("ConvTranspose with auto_pad " + auto);
    Window win = window(v, kernel, spatial(x, v));
    long group = v.attrInt("group", 1);
    if (v.wants(0)) {
      v.grad(0, e.op("Conv", List.of(v.dy(), v.in(1)), Attr.ints("strides", win.strides()),
          Attr.ints("dilations", win.dilations()), Attr.ints("pads", win.pads()), Attr.i("group", group),
          Attr.ints("kernel_shape", kernel)));
    }
    if (v.wants(1)) throw v.unsupported("gradients with respect to convolution weights are not supported yet.");
    if (v.wants(2)) {
      long[] axes = new long[x.rank() - 1];
      for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
      v.grad(2, e.reduceSum(v.dy(), axes, false));
    }
  }

  private static boolean Protos_hasOutputShape(Vjp v) {
    return v.attrInts("output_shape", new long[0]).length > 0;
  }

  /** One-hot kernels: channel c*K + j of the result holds window position j of input channel c. */
  private static String oneHotKernels(Vjp v, long channels, long[] kernel) {
    int k = 1;
    for (long d : kernel) k *= (int) d;
    double[] values = new double[(int) channels * k * k];
    for (int c = 0; c < channels; c++) {
      for (int j = 0; j < k; j++) values[(c * k + j) * k + j] = 1;
    }
    long[] dims = new long[kernel.length + 2];
    dims[0] = channels * k;
    dims[1] = 1;
    System.arraycopy(kernel, 0, dims, 2, kernel.length);
    return v.emit().tensor(values, dims, v.type());
  }

  /**
   * Per axis: how far the windows reach past the input's end (may be negative when the last
   * elements are in no window), so that the backward ConvTranspose returns the input's size.
   */
  private static long[] effectiveEnd(Window w, long[] xs, long[] ys) {
    long[] end = new long[w.rank()];
    for (int i = 0; i < end.length; i++) {
      end[i] = (ys[i] - 1) * w.strides()[i] + w.dilations()[i] * (w.kernel()[i] - 1) + 1 - xs[i] - w.padBegin()[i];
    }
    return end;
  }

  private static String scatterBack(Vjp v, String contributions, String kernels, long channels, Window w, long[] end) {
    int r = w.rank();
    long[] pads = new long[2 * r];
    long[] outPad = new long[r];
    for (int i = 0; i < r; i++) {
      pads[i] = w.padBegin()[i];
      pads[r + i] = Math.max(end[i], 0);
      outPad[i] = Math.max(-end[i], 0);
    }
    return v.emit().op("ConvTranspose", List.of(contributions, kernels), Attr.ints("strides", w.strides()),
        Attr.ints("dilations", w.dilations()), Attr.ints("pads", pads), Attr.i("group", channels),
        Attr.ints("output_padding", outPad), Attr.ints("kernel_shape", w.kernel()));
  }

  static void maxPool(Vjp v) {
    maxPool(v, true);
  }

  /** Max-pooling routes to the window's first maximum; {@code fuseRelu} may fold a preceding ReLU's mask in. */
  static void maxPool(Vjp v, boolean fuseRelu) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    long channels = x.dim(1);
    long[] xs = spatial(x, v);
    long[] ys = spatial(v.info(v.out(0)), v);
    long[] kernel = v.attrInts("kernel_shape", null);
    Window w = window(v, kernel, xs);
    int r = w.rank();
    boolean disjoint = v.attrInt("storage_order", 0) == 0;
    for (int i = 0; i < r; i++) {
      disjoint &= (kernel[i] - 1) * w.dilations()[i] + 1 <= w.strides()[i];
      // MaxUnpool cannot write past the input: no ceil-mode window may overhang the padded input.
      disjoint &= (ys[i] - 1) * w.strides()[i] + kernel[i] - w.padBegin()[i] - w.padEnd()[i] <= xs[i];
    }
    if (fuseRelu && convReluPool(v, kernel, w, xs, ys)) return;
    if (disjoint) {
      // Windows do not overlap: each input element wins at most one window, so the gradient is dy
      // placed at the winners (first maximum), whose indices the forward MaxPool reports.
      String dy = v.dy();
      String target = v.in(0);
      NodeProto relu = fuseRelu ? v.soleProducer(0) : null;
      if (relu != null && relu.getOpType().equals("Relu")) {
        // ReLU then max-pool: the ReLU mask at each winner is (pooled value > 0), a tensor as small as
        // the pool's output, so the ReLU's own backward over the large tensor is skipped.
        dy = e.mul(dy, GradientRules.positive(v, v.out(0)));
        target = relu.getInput(0);
      }
      String indices = v.forwardOutput(1);
      List<ai.onnx.proto.OnnxMl.AttributeProto> attrs = new ArrayList<>();
      attrs.add(Attr.ints("kernel_shape", kernel));
      attrs.add(Attr.ints("strides", w.strides()));
      attrs.add(Attr.ints("pads", w.pads()));
      String unpooled = e.op("MaxUnpool", List.of(dy, indices, e.op("Shape", v.in(0))),
          attrs.toArray(new ai.onnx.proto.OnnxMl.AttributeProto[0]));
      if (target.equals(v.in(0))) v.grad(0, unpooled);
      else v.gradUpstream(target, unpooled);
      return;
    }
    int k = 1;
    for (long d : kernel) k *= (int) d;
    long[] end = effectiveEnd(w, xs, ys);
    String padded = v.in(0);
    boolean anyPad = false;
    long[] pads = new long[2 * (r + 2)];
    for (int i = 0; i < r; i++) {
      pads[2 + i] = w.padBegin()[i];
      pads[r + 4 + i] = end[i];
      anyPad |= w.padBegin()[i] != 0 || end[i] != 0;
    }
    if (anyPad) {
      double lowest = v.type() == TensorInfo.DOUBLE ? -Double.MAX_VALUE : -Float.MAX_VALUE;
      padded = e.op("Pad", List.of(v.in(0), e.longs(pads), v.scalar(lowest)));
    }
    String kernels = oneHotKernels(v, channels, kernel);
    String windows = e.op("Conv", List.of(padded, kernels), Attr.ints("strides", w.strides()),
        Attr.ints("dilations", w.dilations()), Attr.i("group", channels), Attr.ints("kernel_shape", kernel));
    long[] split = new long[r + 3];
    split[0] = 0;
    split[1] = channels;
    split[2] = k;
    System.arraycopy(ys, 0, split, 3, r);
    String byPosition = e.reshape(windows, split);
    String isMax = e.op("Equal", byPosition, e.unsqueeze(v.out(0), 2L));
    // Only the first maximum of a window (in row-major order, as ONNX Runtime and PyTorch pick it)
    // receives the gradient.
    String seen = e.op("CumSum", List.of(e.op("Cast", List.of(isMax), Attr.i("to", v.type())), e.longs(2)));
    String first = e.op("Cast", List.of(e.op("And", isMax, e.op("Equal", seen, v.scalar(1)))), Attr.i("to", v.type()));
    String routed = e.mul(first, e.unsqueeze(v.dy(), 2L));
    long[] merged = new long[r + 2];
    merged[0] = 0;
    merged[1] = channels * k;
    System.arraycopy(ys, 0, merged, 2, r);
    v.grad(0, scatterBack(v, e.reshape(routed, merged), kernels, channels, w, end));
  }

  /**
   * Conv (constant weights, stride 1, few input channels) → ReLU → max-pool with windows that tile the image
   * (kernel = strides, no padding): the first block of an image CNN. ONNX Runtime's MaxPool with indices and
   * MaxUnpool are slow and the full-resolution tensors between them cost layout reorders, so the backward pass
   * recomputes the convolution "space-to-depth": one strided convolution whose output channel q·M + m holds
   * window position q of channel m (a kernel that embeds the original one at each window offset). The pooled
   * value is the maximum over q, the first maximum (in row-major order, as ONNX Runtime and PyTorch pick it)
   * receives dy, and the input gradient is the transposed strided convolution: no full-resolution tensor in
   * the plain layout. About a quarter of a jet-image CNN's gradient time. Two window positions equal in
   * exact arithmetic may round apart differently here than in the forward convolution (another summation
   * order), so on such a tie the winner can differ from the forward MaxPool's: either is a valid
   * subgradient, and exactly one element of a window receives dy. Returns false where the pattern does
   * not apply.
   */
  private static boolean convReluPool(Vjp v, long[] kernel, Window pool, long[] xs, long[] ys) {
    NodeProto relu = v.soleProducer(0);
    if (relu == null || !relu.getOpType().equals("Relu") || kernel.length != 2) return false;
    String c = relu.getInput(0);
    NodeProto conv = v.producerOf(c);
    if (conv == null || !conv.getOpType().equals("Conv") || conv.getOutputCount() != 1 || v.consumersOf(c) != 1) return false;
    String x = conv.getInput(0);
    if (!v.isActive(c) || !v.isActive(x) || v.isActive(conv.getInput(1))) return false;
    boolean hasBias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty();
    if (hasBias && v.isActive(conv.getInput(2))) return false;
    TensorProto wt = v.constant(conv, 1);
    TensorProto bt = hasBias ? v.constant(conv, 2) : null;
    if (wt == null || (hasBias && bt == null) || v.type() != TensorInfo.FLOAT) return false;
    if (Protos.attrInt(conv, "group", 1) != 1) return false;
    TensorInfo xi = v.info(x);
    TensorInfo wi = v.info(conv.getInput(1));
    if (xi.rank() != 4 || wi.rank() != 4 || wi.dim(1) >= MIN_FLIPPED_CHANNELS) return false;
    long[] xsIn = Arrays.copyOfRange(xi.dims(), 2, 4);
    for (long d : xsIn) if (d == TensorInfo.DYNAMIC) return false;
    if (!Protos.attrString(conv, "auto_pad", "NOTSET").equals("NOTSET")) return false;
    for (long s : Protos.attrInts(conv, "strides", new long[] {1, 1})) if (s != 1) return false;
    for (long d : Protos.attrInts(conv, "dilations", new long[] {1, 1})) if (d != 1) return false;
    long[] cpads = Protos.attrInts(conv, "pads", new long[4]);
    // The pooling windows must tile the convolution's output exactly.
    if (v.attrInt("storage_order", 0) != 0 || !v.attrString("auto_pad", "NOTSET").equals("NOTSET")) return false;
    for (int i = 0; i < 2; i++) {
      if (pool.strides()[i] != kernel[i] || pool.dilations()[i] != 1 || pool.padBegin()[i] != 0 || pool.padEnd()[i] != 0
          || xs[i] != ys[i] * kernel[i]) {
        return false;
      }
    }
    int m = (int) wi.dim(0);
    int cin = (int) wi.dim(1);
    int kh = (int) wi.dim(2);
    int kw = (int) wi.dim(3);
    int ph = (int) kernel[0];
    int pw = (int) kernel[1];
    int q = ph * pw;
    // Space-to-depth kernel: K[(qy·pw + qx)·M + m, c, qy + i, qx + j] = W[m, c, i, j].
    double[] w = Protos.doubles(wt);
    int sh = kh + ph - 1;
    int sw = kw + pw - 1;
    double[] k = new double[q * m * cin * sh * sw];
    for (int qy = 0; qy < ph; qy++) {
      for (int qx = 0; qx < pw; qx++) {
        for (int o = 0; o < m; o++) {
          for (int ci = 0; ci < cin; ci++) {
            for (int i = 0; i < kh; i++) {
              for (int j = 0; j < kw; j++) {
                k[((((qy * pw + qx) * m + o) * cin + ci) * sh + qy + i) * sw + qx + j] = w[((o * cin + ci) * kh + i) * kw + j];
              }
            }
          }
        }
      }
    }
    GraphEmitter e = v.emit();
    String kernels = e.tensor(k, new long[] {(long) q * m, cin, sh, sw}, TensorInfo.FLOAT);
    List<String> inputs = new ArrayList<>(List.of(x, kernels));
    if (hasBias) {
      double[] b = Protos.doubles(bt);
      double[] tiled = new double[q * m];
      for (int i = 0; i < tiled.length; i++) tiled[i] = b[i % m];
      inputs.add(e.tensor(tiled, new long[] {(long) q * m}, TensorInfo.FLOAT));
    }
    long[] strides = {ph, pw};
    long[] ksize = {sh, sw};
    String windows = e.op("Relu", e.op("Conv", inputs, Attr.ints("strides", strides), Attr.ints("pads", cpads),
        Attr.ints("kernel_shape", ksize)));
    String byPosition = e.reshape(windows, 0, q, m, ys[0], ys[1]);
    String max = e.reduce("ReduceMax", byPosition, new long[] {1}, true);
    String isMax = e.op("Equal", byPosition, max);
    // The first maximum of each window: position j wins if it is a maximum and no earlier one is.
    List<String> first = new ArrayList<>();
    String taken = null;
    for (int j = 0; j < q; j++) {
      String at = e.op("Slice", List.of(isMax, e.longs(j), e.longs(j + 1), e.longs(1)));
      if (taken == null) {
        first.add(at);
        taken = at;
      } else if (j < q - 1) {
        first.add(e.op("And", at, e.op("Not", taken)));
        taken = e.op("Or", taken, at);
      } else {
        first.add(e.op("Not", taken)); // one position holds the maximum
      }
    }
    String winner = q == 1 ? first.get(0) : e.op("Concat", first, Attr.i("axis", 1));
    // ReLU's derivative at the winner: the pooled value is > 0.
    String dy = e.mul(e.unsqueeze(v.dy(), 1L), GradientRules.positive(v, max));
    String routed = e.reshape(e.mul(e.cast(winner, TensorInfo.FLOAT), dy), 0, (long) q * m, ys[0], ys[1]);
    v.gradUpstream(x, e.op("ConvTranspose", List.of(routed, kernels), Attr.ints("strides", strides),
        Attr.ints("pads", cpads), Attr.ints("kernel_shape", ksize)));
    return true;
  }

  static void averagePool(Vjp v) {
    GraphEmitter e = v.emit();
    TensorInfo x = v.info(v.in(0));
    long channels = x.dim(1);
    long[] xs = spatial(x, v);
    long[] ys = spatial(v.info(v.out(0)), v);
    long[] kernel = v.attrInts("kernel_shape", null);
    Window w = window(v, kernel, xs);
    boolean includePad = v.attrInt("count_include_pad", 0) != 0;
    long[] end = effectiveEnd(w, xs, ys);
    String divisor = divisor(v, w, xs, ys, includePad);
    int k = 1;
    for (long d : kernel) k *= (int) d;
    double[] ones = new double[(int) channels * k];
    Arrays.fill(ones, 1);
    long[] dims = new long[kernel.length + 2];
    dims[0] = channels;
    dims[1] = 1;
    System.arraycopy(kernel, 0, dims, 2, kernel.length);
    String kernels = e.tensor(ones, dims, v.type());
    v.grad(0, scatterBack(v, e.div(v.dy(), divisor), kernels, channels, w, end));
  }

  /** How many elements each output averaged: a scalar, or a map over output positions. */
  private static String divisor(Vjp v, Window w, long[] xs, long[] ys, boolean includePad) {
    int r = w.rank();
    List<long[]> perAxis = new ArrayList<>();
    boolean uniform = true;
    long full = 1;
    for (int i = 0; i < r; i++) {
      long[] counts = new long[(int) ys[i]];
      long lo = includePad ? -w.padBegin()[i] : 0;
      long hi = includePad ? xs[i] + w.padEnd()[i] : xs[i];
      for (int o = 0; o < counts.length; o++) {
        long start = o * w.strides()[i] - w.padBegin()[i];
        long stop = start + (w.kernel()[i] - 1) * w.dilations()[i] + 1;
        long c = 0;
        for (long p = start; p < stop; p += w.dilations()[i]) if (p >= lo && p < hi) c++;
        counts[o] = c;
        uniform &= c == w.kernel()[i];
      }
      perAxis.add(counts);
      full *= w.kernel()[i];
    }
    if (uniform) return v.scalar(full);
    int total = 1;
    for (long y : ys) total *= (int) y;
    double[] map = new double[total];
    for (int flat = 0; flat < total; flat++) {
      int rest = flat;
      double prod = 1;
      for (int i = r - 1; i >= 0; i--) {
        int o = (int) (rest % ys[i]);
        rest /= (int) ys[i];
        prod *= perAxis.get(i)[o];
      }
      map[flat] = prod;
    }
    return v.emit().tensor(map, ys, v.type());
  }

  static void globalAveragePool(Vjp v) {
    GraphEmitter e = v.emit();
    long[] xs = spatial(v.info(v.in(0)), v);
    long count = 1;
    for (long d : xs) count *= d;
    v.grad(0, e.div(e.op("Expand", v.dy(), e.op("Shape", v.in(0))), v.scalar(count)));
  }
}
