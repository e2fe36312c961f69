package org.glassbox.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.Fixtures;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.derive.Attr;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.testing.TinyGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, layers, neuron addresses, and the messages a user sees for bad input. */
class ModelLoadingTest {
  @TempDir Path tmp;

  private static final Path SEED_MLP = Fixtures.exampleModel("seed000_mlp.onnx");

  @Test
  void seed000NetworkHasElevenHiddenLayersAndAnOutputLayer() {
    try (OnnxModel m = OnnxModel.load(SEED_MLP, ExecutionOptions.defaults())) {
      assertEquals(12, m.layers().size());
      long[] widths = m.layers().stream().mapToLong(Layer::width).toArray();
      assertEquals("[128, 64, 32, 16, 16, 8, 8, 4, 4, 2, 2, 1]", Arrays.toString(widths));
      assertEquals("LeakyRelu", m.layers().get(0).activation());
      assertEquals("Tanh", m.layers().get(11).activation());
      assertEquals(m.outputs().get(0).name(), m.layers().get(11).output());
      ResolvedNeuron n = m.resolve(NeuronId.parse("L3N5"));
      assertEquals(m.layers().get(2).output(), n.tensor());
      assertEquals(5, n.index());
      assertEquals(0, m.resolve(NeuronId.parse("output")).index());
      assertEquals(19, m.input().dim(1));
      assertEquals(TensorInfo.DYNAMIC, m.input().dim(0));
    }
  }

  @Test
  void neuronErrorsSayWhatExists() {
    try (OnnxModel m = OnnxModel.load(SEED_MLP, ExecutionOptions.defaults())) {
      assertMessage(() -> m.resolve(NeuronId.parse("L13N0")), "has 12 layers");
      assertMessage(() -> m.resolve(NeuronId.parse("L1N128")), "N0 ... N127");
      assertMessage(() -> m.resolve(NeuronId.parse("output[3]")), "one element per event (output, or output[0])");
      assertMessage(() -> m.resolve(NeuronId.parse("nosuch[0]")), "'nosuch' is not in");
      assertMessage(() -> NeuronId.parse("layer3"), "L{layer}N{neuron}");
    }
  }

  @Test
  void missingFileNamesThePath() {
    assertMessage(() -> OnnxModel.load(tmp.resolve("absent.onnx"), ExecutionOptions.defaults()), "Model file not found: ");
  }

  @Test
  void truncatedFileIsReportedAsUnreadable() throws IOException {
    byte[] all = Files.readAllBytes(SEED_MLP);
    Path cut = tmp.resolve("truncated.onnx");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    assertMessage(() -> OnnxModel.load(cut, ExecutionOptions.defaults()), "truncated.onnx is not a readable ONNX model");
  }

  @Test
  void otherFormatsAreReportedAsNotOnnx() throws IOException {
    Path csv = tmp.resolve("data.csv");
    Files.writeString(csv, "pt,eta,phi\n1,2,3\n");
    GlassboxException e = assertThrows(GlassboxException.class, () -> OnnxModel.load(csv, ExecutionOptions.defaults()));
    assertTrue(e.getMessage().contains("data.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("ONNX"), e.getMessage());
  }

  @Test
  void unsupportedOperatorIsNamedWithItsNodeAtLoad() throws IOException {
    TinyGraph b = new TinyGraph(4, 13, 1);
    String y = b.node("Hardmax", b.node("Gemm", new String[] {"x", b.random(4, 3)}), Attr.i("axis", 1));
    ModelProto proto = b.model(y);
    Path file = tmp.resolve("hardmax.onnx");
    Files.write(file, proto.toByteArray());
    try (OnnxModel m = OnnxModel.load(file, ExecutionOptions.defaults())) {
      GlassboxException e = assertThrows(GlassboxException.class, () -> Derivatives.of(m));
      assertTrue(e.getMessage().contains("operator Hardmax"), e.getMessage());
      assertTrue(e.getMessage().contains("node 'node_hardmax_"), e.getMessage());
      assertTrue(e.getMessage().contains("Nearest supported:"), e.getMessage());
    }
  }

  @Test
  void wrongInputWidthNamesTheExpectedShape() {
    try (OnnxModel m = OnnxModel.load(SEED_MLP, ExecutionOptions.defaults())) {
      FloatTensor x = FloatTensor.of(new float[2 * 18], 2, 18);
      GlassboxException e = assertThrows(GlassboxException.class,
          () -> Derivatives.of(m).gradient(m.resolve(new NeuronId.Output(-1)), x));
      assertTrue(e.getMessage().contains("[2, 18]") && e.getMessage().contains("[N, 19]"), e.getMessage());
    }
  }

  @Test
  void externalDataOutsideTheModelFolderIsRefused() throws IOException {
    TinyGraph b = new TinyGraph(2, 13, 1);
    ModelProto proto = b.model(b.node("MatMul", "x", b.random(2, 2)));
    var g = proto.getGraph().toBuilder();
    var t = g.getInitializer(0).toBuilder().clearRawData()
        .setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL)
        .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin"));
    g.setInitializer(0, t);
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Files.write(tmp.resolve("secret.bin"), new byte[16]);
    Path file = dir.resolve("escape.onnx");
    Files.write(file, proto.toBuilder().setGraph(g).build().toByteArray());
    assertMessage(() -> OnnxModel.load(file, ExecutionOptions.defaults()), "outside the model's folder");
  }

  @Test
  void externalDataInsideTheFolderIsRead() throws IOException {
    TinyGraph b = new TinyGraph(2, 13, 1);
    ModelProto proto = b.model(b.node("MatMul", "x", b.floats(new double[] {1, 2, 3, 4}, 2, 2)));
    var g = proto.getGraph().toBuilder();
    var init = g.getInitializer(0);
    byte[] raw = init.getRawData().toByteArray();
    g.setInitializer(0, init.toBuilder().clearRawData()
        .setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL)
        .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
    Files.write(tmp.resolve("weights.bin"), raw);
    Path file = tmp.resolve("external.onnx");
    Files.write(file, proto.toBuilder().setGraph(g).build().toByteArray());
    try (OnnxModel m = OnnxModel.load(file, ExecutionOptions.defaults())) {
      float[] y = m.evaluate(FloatTensor.of(new float[] {1, 1}, 1, 2)).data();
      assertEquals("[4.0, 6.0]", Arrays.toString(y));
    }
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
    GlassboxException ex = assertThrows(GlassboxException.class, e);
    assertTrue(ex.getMessage().contains(fragment), () -> "message lacks '" + fragment + "': " + ex.getMessage());
  }
}
