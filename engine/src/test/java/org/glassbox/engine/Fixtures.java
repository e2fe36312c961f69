package org.glassbox.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.data.Npy;

/**
 * The PyTorch-generated reference models: {@code src/test/resources/fixtures/derivatives} and the
 * folders in the same manifest format (recurrent, taggers).
 */
public final class Fixtures {
  public static final Path DIR = Path.of("src/test/resources/fixtures/derivatives");

  /** One row of a manifest.tsv, in its folder. */
  public record Case(Path dir, String name, int target, String inputShape, boolean hasHessian, int opset,
      String description) {
    public Path model() {
      return dir.resolve(name + ".onnx");
    }

    public Npy.Array array(String kind) {
      return Npy.read(dir.resolve(name + "." + kind + ".npy"));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Fixtures() {}

  public static List<Case> cases() {
    return cases(DIR);
  }

  /** The cases of a folder's manifest.tsv. */
  public static List<Case> cases(Path dir) {
    try {
      return Files.readAllLines(dir.resolve("manifest.tsv")).stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
        String[] f = l.split("\t");
        return new Case(dir, f[0], Integer.parseInt(f[1]), f[2], Boolean.parseBoolean(f[3]), Integer.parseInt(f[4]), f[5]);
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path exampleModel(String name) {
    return Path.of("..", "examples", "models", name);
  }
}
