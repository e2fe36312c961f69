package org.glassbox.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.OptionSpec;
import org.glassbox.engine.host.Installed;
import org.glassbox.engine.run.Analysis;
import org.glassbox.toys.ToyGenerator;
import org.glassbox.toys.ToyGenerators;
import org.glassbox.toys.ToyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "methods", description = "List every installed method with its options and defaults, and the toy data"
    + " sets with theirs.")
final class MethodsCommand implements Callable<Integer> {
  @Mixin PluginOptions plugins;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var all = new Analysis(plugins.all()).catalog().all();
    if (all.isEmpty()) out.println("No methods installed.");
    for (Installed<? extends MethodProvider> i : all) {
      MethodProvider p = i.provider();
      out.printf("%-20s %-13s %s%n", p.id(), i.spi(), p.description());
      out.printf("%-20s %-13s from %s, version %s%n", "", "", i.origin(), p.version());
      for (OptionSpec o : p.options()) {
        out.printf("%-20s   %s: %s (default %s)%s — %s%n", "", o.name(), o.type().yamlName(), o.defaultValue(),
            o.choices().isEmpty() ? "" : " one of " + String.join(", ", o.choices()), o.description());
      }
      if (!p.conventions().isEmpty()) out.printf("%-20s   note: %s%n", "", p.conventions());
    }
    out.printf("%nToy data sets (data: {generator: NAME, option: value, ...}):%n");
    for (ToyGenerator g : ToyGenerators.all()) {
      out.printf("%-20s %-13s %s%n", g.name(), "toy data", g.description());
      for (ToyOption o : g.options()) {
        out.printf("%-20s   %s: %s (default %s)%s — %s%n", "", o.name(), o.type().name().toLowerCase(java.util.Locale.ROOT),
            o.defaultValue(), o.allowed().isEmpty() ? "" : " one of " + String.join(", ", o.allowed()), o.description());
      }
    }
    return 0;
  }
}
