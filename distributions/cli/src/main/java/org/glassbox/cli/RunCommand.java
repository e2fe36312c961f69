package org.glassbox.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.glassbox.api.Progress;
import org.glassbox.engine.report.OutputFolder;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run an analysis file: every method on every neuron, side by side, into a fresh results folder.")
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ANALYSIS", description = "analysis file (YAML); 'glassbox init FILE' writes a template")
  Path file;

  @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: the file's 'output:')")
  Path out;

  @Option(names = "--overwrite", description = "replace an existing results folder (only one Glassbox wrote, holding nothing else and none of the inputs)")
  boolean overwrite;

  @Option(names = "--check", description = "only validate the analysis file")
  boolean check;

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Mixin PluginOptions plugins;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Analysis analysis = new Analysis(plugins.all());
    RunSpec run = analysis.validate(file);
    if (out != null) run = run.withOutput(out.toAbsolutePath());
    // Before anything runs: never a file, a folder Glassbox did not write, or one holding the inputs;
    // an existing results folder only with --overwrite (--check reports only what --overwrite cannot fix).
    analysis.checkOutput(run, overwrite || check);
    if (check) {
      spec.commandLine().getOut().printf("%s is valid: %d model(s), %d neuron(s), methods %s%n", file, run.models().size(),
          run.neurons().size(), run.attribution().stream().map(RunSpec.MethodSpec::id).toList());
      return 0;
    }
    Progress progress = TerminalProgress.forTerminal(quiet);
    AtomicReference<OutputFolder> folder = new AtomicReference<>();
    // Ctrl-C: stop between batches and remove the partial folder (results appear only when complete).
    Thread hook = new Thread(() -> {
      if (progress instanceof TerminalProgress t) t.cancel();
      OutputFolder f = folder.get();
      if (f != null) f.discard();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Analysis.Outcome done = analysis.run(run, overwrite, progress, folder::set);
      print(spec.commandLine().getOut(), done);
    } finally {
      if (progress instanceof TerminalProgress t) t.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return 0;
  }

  /** The findings, then where the report is. */
  static void print(java.io.PrintWriter out, Analysis.Outcome done) {
    for (String f : done.findings()) out.printf("* %s%n", f);
    out.printf("Results in %s%n  open %s%n", done.folder(), done.folder().resolve("index.html"));
  }
}
