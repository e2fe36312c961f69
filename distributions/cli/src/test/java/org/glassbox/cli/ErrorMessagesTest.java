package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.glassbox.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a new user runs into: every mistake ends with one line saying what is wrong and what to do
 * (exit code 2), never "internal error" and a stack trace, and leaves no file behind.
 */
class ErrorMessagesTest {
  static final Path MODEL = MainTest.MODEL;
  static final Path EXAMPLE = Path.of("..", "..", "examples", "product-sign");
  @TempDir Path tmp;

  /** A user error: exit code 2, one "error: " line naming the problem, no stack trace. */
  static String userError(String... args) {
    MainTest.Run r = MainTest.run(args);
    assertEquals(2, r.code(), "exit code of " + List.of(args) + ": " + r.err() + r.out());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), "no stack trace: " + r.err());
    return r.err();
  }

  private static List<String> entries(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void everySubcommandTakesHelp() {
    CommandLine root = new CommandLine(new Main());
    for (String name : root.getSubcommands().keySet()) {
      if (name.equals("help")) continue;
      for (String flag : List.of("--help", "-h")) {
        MainTest.Run r = MainTest.run(name, flag);
        assertEquals(0, r.code(), name + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: glassbox " + name), name + " " + flag + ": " + r.out());
      }
    }
  }

  @Test
  void deriveIntoADirectoryOrAMissingFolderIsRefused() throws IOException {
    Path folder = Files.createDirectory(tmp.resolve("out"));
    String e = userError("derive", MODEL.toString(), "-o", folder.toString());
    assertTrue(e.contains(folder + " is a directory; -o names the file to write, e.g. -o " + folder.resolve("gradient.onnx")), e);
    assertEquals(List.of(), entries(folder));
    Path missing = tmp.resolve("nonexist").resolve("x.onnx");
    e = userError("derive", MODEL.toString(), "-o", missing.toString());
    assertTrue(e.contains("Cannot write " + missing + ": the folder " + missing.getParent() + " does not exist"), e);
    assertEquals(List.of("out"), entries(tmp));
    // A good one leaves the graph and nothing else.
    assertEquals(0, MainTest.run("derive", MODEL.toString(), "-o", folder.resolve("g.onnx").toString()).code());
    assertEquals(List.of("g.onnx"), entries(folder));
  }

  @Test
  void initIntoAMissingFolderOrADirectoryIsRefused() throws IOException {
    Path missing = tmp.resolve("nonexist").resolve("a.yaml");
    String e = userError("init", missing.toString());
    assertTrue(e.contains("the folder " + missing.getParent() + " does not exist"), e);
    e = userError("init", tmp.toString());
    assertTrue(e.contains(tmp + " is a directory; name the analysis file to write, e.g. glassbox init "
        + tmp.resolve("analysis.yaml")), e);
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  void aModelThatIsADirectoryIsNamedSo() {
    for (String command : List.of("inspect", "derive", "gradient")) {
      List<String> args = new java.util.ArrayList<>(List.of(command, tmp.toString()));
      if (command.equals("gradient")) args.add(tmp.resolve("x.npy").toString());
      if (!command.equals("inspect")) args.addAll(List.of("-o", tmp.resolve("g." + (command.equals("derive") ? "onnx" : "npy")).toString()));
      String e = userError(args.toArray(String[]::new));
      assertTrue(e.contains(tmp + " is a directory; a model file (.onnx) is expected."), command + ": " + e);
    }
  }

  @Test
  void analysisErrorsFromRunCheckAreOneLine() throws IOException {
    Files.copy(EXAMPLE.resolve("product_sign.onnx"), tmp.resolve("model.onnx"));
    Files.copy(EXAMPLE.resolve("product_sign.csv"), tmp.resolve("events.csv"));
    Path file = tmp.resolve("analysis.yaml");
    Files.writeString(file, """
        model: model.onnx
        data: {file: events.csv, features: [x, y, noise], label: label}
        neurons: []
        methods: {gradient: {}}
        """);
    String e = userError("run", "--check", file.toString());
    assertTrue(e.contains("analysis.yaml:3:10: 'neurons': no neurons listed") && e.contains("neurons: [output]"), e);
    Files.writeString(file, """
        model: model.onnx
        data: {file: events.csv, features: [x, y, noise], label: label}
        methods: {gradient: {}, integrated-gradients: {steps: -3}}
        """);
    e = userError("run", "--check", file.toString());
    assertTrue(e.contains("analysis.yaml:3:55: 'methods.integrated-gradients.steps': steps is the number of quadrature"
        + " nodes, 1 to 10000, got -3."), e);
  }

  @Test
  void gradientSaysWhatIsWrongWithItsFiles() throws IOException {
    Path data = tmp.resolve("events.npy");
    try (OutputStream os = Files.newOutputStream(data)) {
      Npy.write(os, new float[2 * 19], new long[] {2, 19});
    }
    String missing = tmp.resolve("nothere.npy").toString();
    String e = userError("gradient", MODEL.toString(), missing, "-o", tmp.resolve("g.npy").toString());
    assertEquals("error: " + missing + " does not exist.", e.strip());
    e = userError("gradient", MODEL.toString(), data.toString(), "-o", tmp.resolve("a.txt").toString());
    assertTrue(e.contains("the gradient is written as NumPy .npy (one array) or .npz (one array per input); name the file"
        + " so, e.g. -o " + tmp.resolve("a.npy") + "."), e);
    e = userError("gradient", MODEL.toString(), data.toString(), "-o", tmp.resolve("nonexist").resolve("g.npy").toString());
    assertTrue(e.contains("does not exist; create it first"), e);
    assertEquals(List.of("events.npy"), entries(tmp));
  }

  @Test
  void gradientOfEventsWithNanSaysWhereInsteadOfSuggestingNanDrop() throws IOException {
    float[] x = new float[4 * 19];
    x[2 * 19 + 5] = Float.NaN;
    Path data = tmp.resolve("events.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(data))) {
      zip.putNextEntry(new ZipEntry("x.npy"));
      Npy.write(zip, x, new long[] {4, 19});
      zip.closeEntry();
    }
    String e = userError("gradient", MODEL.toString(), data.toString(), "-o", tmp.resolve("g.npy").toString());
    assertTrue(e.contains(data + ": array 'x', event 2, position [5] is NaN. gradient writes one row per event and skips"
        + " none: remove or fix the events with NaN or Inf (in every array) first."), e);
    assertFalse(e.contains("nan: drop"), e);

    // A model with several inputs: the position is the index within the array's event shape.
    Path pn = MultiInputCommandsTest.PARTICLENET;
    Path several = tmp.resolve("jets.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(several))) {
      for (String name : List.of("points", "features", "mask")) {
        int width = name.equals("points") ? 2 : name.equals("features") ? 3 : 1;
        float[] v = new float[3 * 16 * width];
        if (name.equals("features")) v[(1 * 16 + 4) * 3 + 2] = Float.POSITIVE_INFINITY;
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.write(zip, v, new long[] {3, 16, width});
        zip.closeEntry();
      }
    }
    e = userError("gradient", pn.toString(), several.toString(), "-o", tmp.resolve("g.npz").toString());
    assertTrue(e.contains(several + ": array 'features', event 1, position [4, 2] is +Inf."), e);
    assertEquals(List.of("events.npz", "jets.npz"), entries(tmp).stream().sorted().toList());
  }

  @Test
  void inspectOfAModelWithSeveralInputsPointsToGradient() {
    MainTest.Run r = MainTest.run("inspect", MultiInputCommandsTest.PARTICLENET.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("'glassbox gradient " + MultiInputCommandsTest.PARTICLENET + " DATA.npz' takes an .npz with"
        + " one array per input, named like it"), r.out());
  }
}
