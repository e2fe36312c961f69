package org.glassbox.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --plugins, shared by the commands that discover methods. */
final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR",
      description = "extra folder of plugin jars (repeatable); the plugins/ folder beside Glassbox is always searched")
  List<Path> dirs = new ArrayList<>();

  List<Path> all() {
    List<Path> out = new ArrayList<>();
    String home = System.getProperty("glassbox.plugins");
    if (home != null) out.add(Path.of(home));
    String env = System.getenv("GLASSBOX_PLUGINS");
    if (env != null && !env.isBlank()) out.add(Path.of(env));
    out.addAll(dirs);
    return out;
  }
}
