package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonization for LRP (Zennit's "merge batch norm"): a BatchNormalization (inference) directly
 * after a Gemm or Conv with constant parameters is folded into that layer's weights and bias, so
 * that relevance rules see one linear layer. A graph rewrite that runs before rules are attached.
 */
public final class BatchNormCanonizer {
  private BatchNormCanonizer() {}

  /** The rewritten model and how many normalisations were folded. */
  public record Folded(ModelProto model, int folded) {}

  public static Folded fold(ModelProto model) {
    GraphProto g = model.getGraph();
    Map<String, TensorProto> constants = Protos.constants(g);
    Map<String, Integer> consumers = new HashMap<>();
    Map<String, NodeProto> producer = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      n.getInputList().forEach(i -> consumers.merge(i, 1, Integer::sum));
      n.getOutputList().forEach(o -> producer.put(o, n));
    }
    g.getOutputList().forEach(o -> consumers.merge(o.getName(), 1, Integer::sum));
    Map<NodeProto, NodeProto> replaced = new HashMap<>();
    Set<NodeProto> removed = new HashSet<>();
    List<TensorProto> added = new ArrayList<>();
    int folded = 0;
    for (NodeProto bn : g.getNodeList()) {
      if (!bn.getOpType().equals("BatchNormalization") || Protos.attrInt(bn, "training_mode", 0) != 0) continue;
      NodeProto lin = producer.get(bn.getInput(0));
      if (lin == null || consumers.getOrDefault(bn.getInput(0), 0) != 1) continue;
      boolean gemm = lin.getOpType().equals("Gemm") && Protos.attrInt(lin, "transA", 0) == 0;
      boolean conv = lin.getOpType().equals("Conv");
      if (!gemm && !conv) continue;
      TensorProto w = constants.get(lin.getInput(1));
      TensorProto b = lin.getInputCount() > 2 && !lin.getInput(2).isEmpty() ? constants.get(lin.getInput(2)) : null;
      if (w == null || (lin.getInputCount() > 2 && !lin.getInput(2).isEmpty() && b == null)) continue;
      double[] scale = Protos.doubles(constants.getOrDefault(bn.getInput(1), null));
      double[] shift = Protos.doubles(constants.get(bn.getInput(2)));
      double[] mean = Protos.doubles(constants.get(bn.getInput(3)));
      double[] var = Protos.doubles(constants.get(bn.getInput(4)));
      double eps = Protos.attrFloat(bn, "epsilon", 1e-5f);
      int out = scale.length;
      double[] f = new double[out];
      for (int k = 0; k < out; k++) f[k] = scale[k] / Math.sqrt(var[k] + eps);
      double[] wv = Protos.doubles(w);
      long[] wd = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
      double alpha = gemm ? Protos.attrFloat(lin, "alpha", 1f) : 1;
      double beta = gemm ? Protos.attrFloat(lin, "beta", 1f) : 1;
      boolean transB = gemm && Protos.attrInt(lin, "transB", 0) != 0;
      double[] nw = new double[wv.length];
      for (int i = 0; i < wv.length; i++) {
        int k;
        if (conv) k = (int) (i / (wv.length / wd[0]));
        else k = transB ? (int) (i / wd[1]) : (int) (i % wd[1]);
        nw[i] = wv[i] * alpha * f[k];
      }
      double[] bv = b == null ? new double[out] : broadcast(Protos.doubles(b), out);
      double[] nb = new double[out];
      for (int k = 0; k < out; k++) nb[k] = (beta * bv[k] - mean[k]) * f[k] + shift[k];
      String wName = bn.getOutput(0) + "/folded_weight";
      String bName = bn.getOutput(0) + "/folded_bias";
      added.add(tensor(wName, nw, wd, w.getDataType()));
      added.add(tensor(bName, nb, new long[] {out}, w.getDataType()));
      NodeProto.Builder nl = lin.toBuilder().clearInput().addInput(lin.getInput(0)).addInput(wName).addInput(bName)
          .setOutput(0, bn.getOutput(0));
      if (gemm) {
        nl.clearAttribute();
        for (var a : lin.getAttributeList()) if (!a.getName().equals("alpha") && !a.getName().equals("beta")) nl.addAttribute(a);
      }
      replaced.put(lin, nl.build());
      removed.add(bn);
      folded++;
    }
    if (folded == 0) return new Folded(model, 0);
    GraphProto.Builder gb = g.toBuilder().clearNode();
    for (NodeProto n : g.getNodeList()) {
      if (removed.contains(n)) continue;
      gb.addNode(replaced.getOrDefault(n, n));
    }
    gb.addAllInitializer(added);
    return new Folded(model.toBuilder().setGraph(gb).build(), folded);
  }

  private static double[] broadcast(double[] v, int n) {
    if (v.length == n) return v;
    double[] out = new double[n];
    java.util.Arrays.fill(out, v[0]);
    return out;
  }

  private static TensorProto tensor(String name, double[] v, long[] dims, int type) {
    boolean dbl = type == TensorInfo.DOUBLE;
    ByteBuffer bb = ByteBuffer.allocate(v.length * (dbl ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      if (dbl) bb.putDouble(x);
      else bb.putFloat((float) x);
    }
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dbl ? TensorInfo.DOUBLE : TensorInfo.FLOAT)
        .setRawData(ByteString.copyFrom(bb.array()));
    for (long d : dims) t.addDims(d);
    return t.build();
  }
}
