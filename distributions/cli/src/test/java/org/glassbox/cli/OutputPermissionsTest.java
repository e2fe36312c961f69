package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the commands write are readable as any file the user makes (Files.createTempFile would make them owner-only). */
class OutputPermissionsTest {
  @TempDir Path tmp;

  @Test
  void deriveAndGradientWriteFilesWithTheUsersUsualPermissions() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path usual = Files.createFile(tmp.resolve("usual"));
    Path onnx = tmp.resolve("grad.onnx");
    MainTest.Run d = MainTest.run("derive", MainTest.MODEL.toString(), "-o", onnx.toString());
    assertEquals(0, d.code(), d.err());
    assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(onnx));

    Path x = tmp.resolve("x.npy");
    try (var os = Files.newOutputStream(x)) {
      org.glassbox.data.Npy.write(os, new float[19 * 3], new long[] {3, 19});
    }
    Path g = tmp.resolve("g.npy");
    MainTest.Run r = MainTest.run("gradient", MainTest.MODEL.toString(), x.toString(), "-o", g.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(g));
  }
}
