package org.glassbox.engine.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a result came from: versions, platform, the analysis file and its hash, the seed. */
final class Provenance {
  private Provenance() {}

  static Map<String, Object> of(RunSpec spec) {
    Map<String, Object> p = new LinkedHashMap<>();
    String version = Provenance.class.getPackage().getImplementationVersion();
    p.put("glassbox", version == null ? "development build" : version);
    p.put("onnxruntime", ortVersion());
    p.put("java", Runtime.version().toString());
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    p.put("arch", System.getProperty("os.arch"));
    p.put("analysis", spec.source().getFileName().toString());
    p.put("analysis_sha256", sha256(spec.source()));
    p.put("seed", spec.seed());
    return p;
  }

  private static String ortVersion() {
    try {
      return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  static String sha256(java.nio.file.Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unavailable";
    }
  }
}
