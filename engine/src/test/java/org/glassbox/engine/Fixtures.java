package org.glassbox.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.data.Npy;

/** The PyTorch-generated reference models of {@code src/test/resources/fixtures/derivatives}. */
public final class Fixtures {
  public static final Path DIR = Path.of("src/test/resources/fixtures/derivatives");

  /** One row of manifest.tsv. */
  public record Case(String name, int target, String inputShape, boolean hasHessian, int opset, String description) {
    public Path model() {
      return DIR.resolve(name + ".onnx");
    }

    public Npy.Array array(String kind) {
      return Npy.read(DIR.resolve(name + "." + kind + ".npy"));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Fixtures() {}

  public static List<Case> cases() {
    try {
      return Files.readAllLines(DIR.resolve("manifest.tsv")).stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
        String[] f = l.split("\t");
        return new Case(f[0], Integer.parseInt(f[1]), f[2], Boolean.parseBoolean(f[3]), Integer.parseInt(f[4]), f[5]);
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path exampleModel(String name) {
    return Path.of("..", "examples", "models", name);
  }
}
