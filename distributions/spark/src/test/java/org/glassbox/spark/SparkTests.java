package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Java releases Spark starts on, and what a user on a newer one is told. */
class SparkTests {
  /** Skips a test that starts Spark on a Java it cannot start on (see {@link SparkRun#checkJava}). */
  static void assumeSparkStarts() {
    int java = Runtime.version().feature();
    assumeTrue(SparkRun.runsOn(java), "Apache Spark 4.0 does not start on Java " + java + " (its Hadoop client calls"
        + " Subject.getSubject); run the Spark module's tests on Java 17 or 21");
  }

  @Test
  void theJavaReleasesSparkSupportsPassAndNewerOnesAreRefusedByName() {
    assertDoesNotThrow(() -> SparkRun.checkJava(17));
    assertDoesNotThrow(() -> SparkRun.checkJava(21));
    GlassboxException e = assertThrows(GlassboxException.class, () -> SparkRun.checkJava(25));
    assertTrue(e.getMessage().contains("Java 25") && e.getMessage().contains("Java 17 or 21")
        && e.getMessage().contains("JAVA_HOME"), e.getMessage());
  }

  /**
   * On a Java that Spark does not start on, a run of the shipped product-sign analysis ends with that
   * message, before Spark fails with a stack trace, and writes nothing.
   */
  @Test
  void aRunOnANewerJavaEndsWithTheMessage(@TempDir Path dir) throws IOException {
    int java = Runtime.version().feature();
    assumeTrue(!SparkRun.runsOn(java), "Spark starts on Java " + java);
    Path example = Path.of("../../examples/product-sign");
    for (String f : List.of("analysis.yaml", "product_sign.onnx", "product_sign.csv")) {
      Files.copy(example.resolve(f), dir.resolve(f));
    }
    Path out = dir.resolve("results");
    GlassboxException e = assertThrows(GlassboxException.class, () -> SparkRun.run(
        SparkRun.Settings.parse(new String[] {dir.resolve("analysis.yaml").toString(), "--out", out.toString()}), System.out));
    assertTrue(e.getMessage().contains("Java " + java), e.getMessage());
    assertTrue(Files.notExists(out), "nothing written");
  }
}
