package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.glassbox.api.FloatTensor;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integrated gradients from each event's own reference event ({@code baseline: reference}, issue
 * 9), run as a user runs it: an NPZ file with the events and their references, the product-sign
 * network. Completeness is checked against the model's values at the event and at its reference,
 * computed here by a plain forward pass.
 */
class ReferenceBaselineTest {
  static final Path MODEL = Path.of("..", "..", "examples", "product-sign", "product_sign.onnx");
  static final int N = 300;
  @TempDir Path dir;

  static OutputStream nonClosing(OutputStream o) {
    return new java.io.FilterOutputStream(o) {
      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private Path write(float[] x, float[] ref) throws IOException {
    long[] labels = new long[N];
    for (int e = 0; e < N; e++) labels[e] = x[3 * e] * x[3 * e + 1] > 0 ? 1 : 0;
    Path f = dir.resolve("events.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
      zip.putNextEntry(new ZipEntry("x.npy"));
      Npy.write(nonClosing(zip), x, new long[] {N, 3});
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("x_ref.npy"));
      Npy.write(nonClosing(zip), ref, new long[] {N, 3});
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("label.npy"));
      Npy.write(nonClosing(zip), labels, new long[] {N});
      zip.closeEntry();
    }
    Files.copy(MODEL, dir.resolve("model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path yaml = dir.resolve("analysis.yaml");
    Files.writeString(yaml, """
        model: model.onnx
        data: {file: events.npz, dataset: x, label: label, reference: x_ref}
        methods:
          integrated-gradients: {baseline: reference, steps: 1000, per_event: true}
        compare: {faithfulness: false}
        output: out
        """);
    return yaml;
  }

  private float[] attributions(Path yaml) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new String[] {"run", yaml.toString(), "--overwrite", "-q"}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    try (var files = Files.list(dir.resolve("out/arrays"))) {
      Path npy = files.filter(p -> p.toString().contains("integrated-gradients")).findFirst().orElseThrow();
      Npy.Array a = Npy.read(npy);
      float[] f = new float[a.values().length];
      for (int i = 0; i < f.length; i++) f[i] = (float) a.values()[i];
      return f;
    }
  }

  private static float[] uniform(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[N * 3];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
    return x;
  }

  @Test
  void eachEventIsAttributedAgainstItsOwnReference() throws IOException {
    float[] x = uniform(1);
    float[] ref = uniform(2);
    float[] a = attributions(write(x, ref));
    float[] zx;
    float[] zr;
    try (OnnxModel m = OnnxModel.load(MODEL, ExecutionOptions.defaults())) {
      zx = m.evaluate(FloatTensor.of(x, N, 3)).data();
      zr = m.evaluate(FloatTensor.of(ref, N, 3)).data();
    }
    double worst = 0;
    for (int e = 0; e < N; e++) {
      double sum = a[3 * e] + a[3 * e + 1] + a[3 * e + 2];
      worst = Math.max(worst, Math.abs(sum - (zx[e] - zr[e])));
    }
    // The network's sigmoid output is steep across x = 0 and y = 0; 1000 Gauss-Legendre nodes resolve it.
    assertTrue(worst < 1e-4, "completeness against z(x) - z(reference): worst gap " + worst);
  }

  @Test
  void anEventThatIsItsOwnReferenceGetsNothing() throws IOException {
    float[] x = uniform(3);
    float[] a = attributions(write(x, x.clone()));
    for (float v : a) assertEquals(0.0, Math.abs(v), "x - x' is 0 for every input");
  }
}
