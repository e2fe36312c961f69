package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.Protos;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.TensorInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Convolution weight and bias gradients (what the trainer needs for CNNs) against the definition,
 * dW[m, c, k] = Σ_n Σ_o dy[n, m, o] · x[n, c, o·s + k·d − p], evaluated in double precision here.
 */
class ConvWeightGradientTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "2-D stride 1 pad 1; 2; 3; 6; 6; 3; 3; 1; 1; 1; 1; 1; 1",
      "2-D stride 2 dilation 2 uneven pads; 1; 2; 7; 8; 2; 3; 2; 2; 2; 1; 0; 2",
      "2-D stride 2 no pad; 3; 4; 9; 9; 3; 3; 2; 1; 0; 0; 0; 0",
      "1-D stride 2 pad 1; 2; 3; 1; 11; 1; 3; 2; 1; 0; 1; 0; 1"})
  void weightAndBiasGradientsFollowTheDefinition(String name, int c, int m, int h, int w, int kh, int kw, int s, int d,
      int pTop, int pLeft, int pBottom, int pRight) {
    boolean oneD = h == 1 && kh == 1;
    int n = 3;
    SplittableRandom r = new SplittableRandom(name.hashCode());
    float[] x = new float[n * c * h * w];
    float[] wt = new float[m * c * kh * kw];
    float[] bias = new float[m];
    for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
    for (int i = 0; i < wt.length; i++) wt[i] = (float) (r.nextDouble() - 0.5);
    for (int i = 0; i < bias.length; i++) bias[i] = (float) (r.nextDouble() - 0.5);
    int ho = oneD ? 1 : (h + pTop + pBottom - d * (kh - 1) - 1) / s + 1;
    int wo = (w + pLeft + pRight - d * (kw - 1) - 1) / s + 1;

    long[] xShape = oneD ? new long[] {TensorInfo.DYNAMIC, c, w} : new long[] {TensorInfo.DYNAMIC, c, h, w};
    long[] wShape = oneD ? new long[] {m, c, kw} : new long[] {m, c, kh, kw};
    long[] ints = oneD ? new long[] {s} : new long[] {s, s};
    long[] dil = oneD ? new long[] {d} : new long[] {d, d};
    long[] pads = oneD ? new long[] {pLeft, pRight} : new long[] {pTop, pLeft, pBottom, pRight};
    NodeProto conv = NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("x").addInput("W").addInput("B")
        .addOutput("y").addAttribute(ints("strides", ints)).addAttribute(ints("dilations", dil))
        .addAttribute(ints("pads", pads)).build();
    GraphProto g = GraphProto.newBuilder().setName("conv").addNode(conv)
        .addInput(Protos.valueInfo("x", TensorInfo.FLOAT, xShape))
        .addOutput(Protos.valueInfo("y", TensorInfo.FLOAT, oneD ? new long[] {TensorInfo.DYNAMIC, m, wo}
            : new long[] {TensorInfo.DYNAMIC, m, ho, wo}))
        .addInitializer(tensor("W", wt, wShape)).addInitializer(tensor("B", bias, m)).build();
    ModelProto model = ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    BackwardBuilder.Derived derived = BackwardBuilder.derive(model, ShapeProbe.probe(model), GradientRules.standard(),
        new BackwardBuilder.Request("y", new Seed.Input("dy"), List.of("W", "B"), List.of()));

    float[] dy = new float[n * m * ho * wo];
    for (int i = 0; i < dy.length; i++) dy[i] = (float) (r.nextDouble() * 2 - 1);
    Map<String, FloatTensor> feeds = new HashMap<>();
    feeds.put("x", oneD ? FloatTensor.of(x, n, c, w) : FloatTensor.of(x, n, c, h, w));
    feeds.put("dy", oneD ? FloatTensor.of(dy, n, m, wo) : FloatTensor.of(dy, n, m, ho, wo));
    List<FloatTensor> out;
    try (CompiledGraph cg = new CompiledGraph(derived.model().toByteArray(), ExecutionOptions.defaults(), "test")) {
      out = cg.run(feeds, derived.gradientOutputs());
    }
    for (int mm = 0; mm < m; mm++) {
      double db = 0;
      for (int b = 0; b < n; b++) for (int o = 0; o < ho * wo; o++) db += dy[(b * m + mm) * ho * wo + o];
      assertEquals(db, out.get(1).data()[mm], 1e-4, "dB[" + mm + "]");
      for (int cc = 0; cc < c; cc++) {
        for (int a = 0; a < kh; a++) {
          for (int bb = 0; bb < kw; bb++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
              for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                  int row = oneD ? 0 : i * s + a * d - pTop;
                  int col = j * s + bb * d - pLeft;
                  if (row < 0 || row >= h || col < 0 || col >= w) continue;
                  sum += (double) dy[((b * m + mm) * ho + i) * wo + j] * x[((b * c + cc) * h + row) * w + col];
                }
              }
            }
            float got = out.get(0).data()[((mm * c + cc) * kh + a) * kw + bb];
            assertEquals(sum, got, 1e-4 * Math.max(1, Math.abs(sum)), "dW[" + mm + "," + cc + "," + a + "," + bb + "]");
          }
        }
      }
    }
  }

  private static AttributeProto ints(String name, long[] v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) a.addInts(x);
    return a.build();
  }

  private static TensorProto tensor(String name, float[] v, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.FLOAT);
    for (long d : dims) t.addDims(d);
    for (float f : v) t.addFloatData(f);
    return t.build();
  }
}
