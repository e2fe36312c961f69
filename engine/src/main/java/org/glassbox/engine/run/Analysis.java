package org.glassbox.engine.run;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.api.Progress;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.report.OutputFolder;
import org.glassbox.engine.report.ReportWriter;

/**
 * The engine's front door: parse and validate an analysis file, run it, and write the results
 * folder atomically.
 */
public final class Analysis {
  private final Injector injector;

  public Analysis(List<Path> pluginDirs) {
    this.injector = Guice.createInjector(new EngineModule(org.glassbox.engine.host.PluginHost.discover(pluginDirs)));
  }

  public MethodCatalog catalog() {
    return injector.getInstance(MethodCatalog.class);
  }

  /** Parses and validates; nothing is read or written beyond the analysis file. */
  public RunSpec validate(Path file) {
    return injector.getInstance(RunSpecParser.class).parse(file);
  }

  /** What a finished run leaves: its results folder and the sentences that open its report. */
  public record Outcome(Path folder, List<String> findings) {}

  /**
   * Checks, before any work starts, that the run may write its results folder: it is new, empty, or
   * (with {@code overwrite}) a previous Glassbox results folder holding nothing else. A file, a folder
   * Glassbox did not write, and a folder holding the analysis file, a model or the data are never
   * replaced.
   */
  public void checkOutput(RunSpec spec, boolean overwrite) {
    OutputFolder.checkWritable(spec.output(), overwrite, inputs(spec));
  }

  /** The files a run reads: the analysis file, the models and their checkpoints, the data file. */
  static List<Path> inputs(RunSpec spec) {
    List<Path> files = new java.util.ArrayList<>();
    if (spec.source() != null) files.add(spec.source());
    for (RunSpec.ModelSpec m : spec.models()) {
      if (m.file() != null) files.add(m.file());
      for (RunSpec.Checkpoint c : m.checkpoints()) files.add(c.file());
    }
    if (spec.data() instanceof DataSource.File f) files.add(f.spec().file());
    return files;
  }

  /** Runs a validated analysis into a fresh results folder. */
  public Outcome run(RunSpec spec, boolean overwrite, Progress progress, java.util.function.Consumer<OutputFolder> onStart) {
    return run(spec, overwrite, progress, onStart, null);
  }

  /**
   * Runs a validated analysis whose attribution scores and AUCs over every event come from
   * {@code distributed} (e.g. a cluster); the rest runs here on the first chunk of the data.
   */
  public Outcome run(RunSpec spec, boolean overwrite, Progress progress, java.util.function.Consumer<OutputFolder> onStart,
      DistributedScores distributed) {
    checkOutput(spec, overwrite);
    try (OutputFolder out = OutputFolder.create(spec.output())) {
      onStart.accept(out);
      RunResult result = injector.getInstance(RunExecutor.class).execute(spec, progress, distributed);
      if (distributed != null) result = distributed.complete(result, out.partialPath(), progress);
      injector.getInstance(ReportWriter.class).write(result, out);
      out.commit();
      return new Outcome(out.target(), org.glassbox.engine.report.Findings.of(result));
    }
  }
}
