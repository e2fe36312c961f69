package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.data.Npy;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glassbox gradient} and {@code glassbox derive} on models with several inputs: the
 * engine's multi-input fixtures (a ParticleNet-style tagger with inputs points, features, mask;
 * a deep-sets model with an int64 and a bool input). Every gradient written is compared with
 * PyTorch autograd's in float64 (make_multi_input.py beside the fixtures: the gradient of
 * y[:, 0], i.e. of neuron "output", for every float input).
 */
class MultiInputCommandsTest {
  static final Path DIR = Path.of("..", "..", "engine", "src", "test", "resources", "fixtures", "multi-input");
  static final Path PARTICLENET = DIR.resolve("particlenet.onnx");
  static final Path PARTICLENET_DATA = DIR.resolve("particlenet.inputs.npz");
  static final Path EMBEDDING = DIR.resolve("embedding.onnx");
  static final Path EMBEDDING_DATA = DIR.resolve("embedding.inputs.npz");
  /** As the engine's MultiInputTest: relative to the largest reference value (float32 against float64). */
  static final double TOL = 2e-5;

  @TempDir Path tmp;

  /** Every member of an .npz, read member by member with the plain .npy reader. */
  private Map<String, Npy.Array> readNpz(Path file) throws IOException {
    Map<String, Npy.Array> out = new LinkedHashMap<>();
    Path scratch = Files.createTempDirectory(tmp, "npz");
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        assertTrue(e.getName().endsWith(".npy"), e.getName());
        Path member = scratch.resolve("member.npy");
        try (var in = zip.getInputStream(e)) {
          Files.copy(in, member, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        out.put(e.getName().substring(0, e.getName().length() - 4), Npy.read(member));
      }
    }
    return out;
  }

  private static void writeNpz(Path file, Map<String, Npy.Array> arrays) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (var a : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
        Npy.write(zip, a.getValue().values(), a.getValue().shape());
        zip.closeEntry();
      }
    }
  }

  private static void assertClose(Npy.Array ref, Npy.Array got, String what) {
    assertArrayEquals(ref.shape(), got.shape(), what + " shape");
    assertEquals("f4", got.dtype(), what + " is float32");
    double scale = Arrays.stream(ref.values()).map(Math::abs).max().orElse(0);
    assertTrue(scale > 0, what + ": the reference is not all zeros");
    for (int i = 0; i < ref.values().length; i++) {
      double err = Math.abs(ref.values()[i] - got.values()[i]);
      final int at = i;
      assertTrue(err <= TOL * scale + 1e-7, () -> what + ": error " + err + " at " + at + " (ref " + ref.values()[at]
          + ", got " + got.values()[at] + ")");
    }
  }

  private static Npy.Array reference(String model, String input) {
    return Npy.read(DIR.resolve(model + ".grad_" + input + ".npy"));
  }

  /** The files in the temporary folder other than those a test put there itself. */
  private List<String> leftOver(String... own) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(tmp)) {
      files.map(p -> p.getFileName().toString()).filter(n -> !List.of(own).contains(n) && !n.startsWith("npz")).forEach(out::add);
    }
    return out;
  }

  private static void assertUserError(MainTest.Run r, String... parts) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: ") && !r.err().contains("\tat "), "a message, no stack trace: " + r.err());
    for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' missing from: " + r.err());
  }

  @Test
  void particleNetGradientOfEveryInputMatchesAutograd() throws IOException {
    Path out = tmp.resolve("grad.npz");
    MainTest.Run r = MainTest.run("gradient", PARTICLENET.toString(), PARTICLENET_DATA.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("for 8 events") && r.out().contains("points [8, 16, 2], features [8, 16, 3], mask [8, 16, 1]"),
        r.out());
    Map<String, Npy.Array> written = readNpz(out);
    assertEquals(List.of("points", "features", "mask"), List.copyOf(written.keySet()), "one array per input, in model order");
    for (String in : written.keySet()) assertClose(reference("particlenet", in), written.get(in), "d y / d " + in);
    assertEquals(List.of("grad.npz"), leftOver(), "no partial files left");
  }

  @Test
  void integerAndBooleanInputsGetNoGradientAndAreReported() throws IOException {
    Path out = tmp.resolve("grad.npz");
    MainTest.Run r = MainTest.run("gradient", EMBEDDING.toString(), EMBEDDING_DATA.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("no gradient for pid (int64), mask (bool)"), r.out());
    Map<String, Npy.Array> written = readNpz(out);
    assertEquals(List.of("features"), List.copyOf(written.keySet()));
    assertClose(reference("embedding", "features"), written.get("features"), "d y / d features");
  }

  @Test
  void wrtOneInputWritesJustThatArrayAsNpy() {
    Path out = tmp.resolve("features.npy");
    MainTest.Run r = MainTest.run("gradient", PARTICLENET.toString(), PARTICLENET_DATA.toString(), "--wrt", "features", "-o",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertClose(reference("particlenet", "features"), Npy.read(out), "d y / d features");
  }

  /**
   * A hidden tensor of a model with several inputs: the input of the head's last Linear before
   * the Sigmoid, so d y / d h = y (1 - y) W per event, with W the same for every event.
   */
  @Test
  void wrtAHiddenTensorOfAModelWithSeveralInputs() {
    Path out = tmp.resolve("hidden.npy");
    MainTest.Run r = MainTest.run("gradient", PARTICLENET.toString(), PARTICLENET_DATA.toString(), "--wrt",
        "/head/head.1/Relu_output_0", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    Npy.Array g = Npy.read(out);
    assertArrayEquals(new long[] {8, 16}, g.shape());
    double[] y = Npy.read(DIR.resolve("particlenet.y.npy")).values();
    double[] w = new double[16];
    for (int j = 0; j < 16; j++) w[j] = g.values()[j] / (y[0] * (1 - y[0]));
    double scale = Arrays.stream(w).map(Math::abs).max().orElse(0);
    assertTrue(scale > 0);
    for (int e = 1; e < 8; e++) {
      for (int j = 0; j < 16; j++) {
        assertEquals(w[j], g.values()[e * 16 + j] / (y[e] * (1 - y[e])), 1e-4 * scale, "event " + e + ", unit " + j);
      }
    }
  }

  @Test
  void errorsSayWhatIsWrongAndLeaveNoFile() throws IOException {
    Path out = tmp.resolve("grad.npz");
    // The embedding model's data has features and mask, but no points.
    assertUserError(MainTest.run("gradient", PARTICLENET.toString(), EMBEDDING_DATA.toString(), "-o", out.toString()),
        "[points]", "embedding.inputs.npz", "[features, pid, mask, label]");
    assertUserError(MainTest.run("gradient", PARTICLENET.toString(), PARTICLENET_DATA.toString(), "--hessian", "-o",
        out.toString()), "--hessian", "[points, features, mask]", "data.inputs", "taylor");
    assertUserError(MainTest.run("gradient", PARTICLENET.toString(), PARTICLENET_DATA.toString(), "-o",
        tmp.resolve("grad.npy").toString()), "3 gradients", ".npz", "--wrt");
    assertUserError(MainTest.run("gradient", EMBEDDING.toString(), EMBEDDING_DATA.toString(), "--wrt", "pid", "-o",
        out.toString()), "'pid'", "int64");

    Map<String, Npy.Array> data = new LinkedHashMap<>();
    for (String in : List.of("points", "features", "mask")) {
      data.put(in, new Npy.Array(new double[8 * 16 * 3], new long[] {8, 16, 3}, "f8"));
    }
    Path badShape = tmp.resolve("bad_shape.npz");
    writeNpz(badShape, data);
    assertUserError(MainTest.run("gradient", PARTICLENET.toString(), badShape.toString(), "-o", out.toString()),
        "bad_shape.npz", "'points'", "[8, 16, 3]", "[N, 16, 2]");
    data.put("points", new Npy.Array(new double[5 * 16 * 2], new long[] {5, 16, 2}, "f8"));
    data.put("mask", new Npy.Array(new double[8 * 16], new long[] {8, 16, 1}, "f8"));
    Path badCount = tmp.resolve("bad_count.npz");
    writeNpz(badCount, data);
    assertUserError(MainTest.run("gradient", PARTICLENET.toString(), badCount.toString(), "-o", out.toString()),
        "'features'", "8 events", "'points' has 5");

    assertEquals(List.of(), leftOver("bad_shape.npz", "bad_count.npz"), "no output or partial file");
  }

  @Test
  void singleInputModelAlsoReadsAnNpzAndWritesOne() throws IOException {
    Path model = MainTest.MODEL;
    double[] v = new double[3 * 19];
    for (int i = 0; i < v.length; i++) v[i] = Math.sin(i);
    Path data = tmp.resolve("events.npz");
    Npy.Array events = new Npy.Array(v, new long[] {3, 19}, "f8");
    writeNpz(data, Map.of("x", events));
    Path out = tmp.resolve("grad.npz");
    MainTest.Run r = MainTest.run("gradient", model.toString(), data.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    Npy.Array written = readNpz(out).get("x");
    try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults())) {
      FloatTensor g = Derivatives.of(m).gradient(m.resolve(NeuronId.parse("output")), events.toFloat());
      assertArrayEquals(g.shape(), written.shape());
      for (int i = 0; i < g.data().length; i++) assertEquals(g.data()[i], written.values()[i], 0.0);
    }
  }

  @Test
  void deriveWithSeveralInputsNeedsWrt() throws IOException {
    Path out = tmp.resolve("grad.onnx");
    assertUserError(MainTest.run("derive", PARTICLENET.toString(), "-o", out.toString()), "points", "features", "mask", "--wrt");
    assertEquals(List.of(), leftOver());
  }

  /** The saved graph takes every model input and, run in ONNX Runtime, gives autograd's gradient. */
  @Test
  void derivedGraphOfOneInputRunsInOnnxRuntimeAndMatchesAutograd() throws IOException {
    Path out = tmp.resolve("grad_features.onnx");
    MainTest.Run r = MainTest.run("derive", PARTICLENET.toString(), "--wrt", "features", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("inputs 'points', 'features', 'mask'"), r.out());
    String output = r.out().replaceAll("(?s).*output '([^']*)'.*", "$1");
    Map<String, FloatTensor> feeds = new LinkedHashMap<>();
    readNpz(PARTICLENET_DATA).forEach((k, a) -> {
      if (!k.equals("label")) feeds.put(k, a.toFloat());
    });
    try (CompiledGraph g = new CompiledGraph(Files.readAllBytes(out), ExecutionOptions.defaults(), out.toString())) {
      assertEquals(List.of("points", "features", "mask"), g.inputNames());
      FloatTensor grad = g.run(feeds, List.of(output)).get(0);
      float[] data = grad.data();
      double[] values = new double[data.length];
      for (int i = 0; i < data.length; i++) values[i] = data[i];
      assertClose(reference("particlenet", "features"), new Npy.Array(values, grad.shape(), "f4"), "derived graph");
    }
  }
}
