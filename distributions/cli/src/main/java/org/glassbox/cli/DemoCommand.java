package org.glassbox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.engine.report.IndexPage;
import org.glassbox.engine.report.OutputFolder;
import org.glassbox.engine.run.Analysis;
import org.glassbox.engine.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo: the example analyses of examples/product-sign, taylor-toys, two-prong-jets and particle-tagger, embedded in the
 * command's jar so that it runs from any folder. Each is unpacked into a temporary folder and run
 * like any other analysis, into one results folder with an index of what they found.
 */
@Command(name = "demo", description = "Run the embedded demo: seed 000's product-sign network (shipped), a network"
    + " Glassbox trains on seed 003's correlation toy, and a jet tagger it trains on seed 002-style jets (ADO, guided EFP"
    + " search), and a shipped three-input graph-network tagger, explained side by side into one report.")
final class DemoCommand implements Callable<Integer> {
  /** Not a package name, so the files are readable resources of this module. */
  static final String RESOURCES = "/glassbox-demo/";

  /** An embedded analysis: its folder under RESOURCES, its files, and what it shows. */
  record Part(String folder, List<String> files, String title) {}

  static final List<Part> PARTS = List.of(
      new Part("product-sign", List.of("analysis.yaml", "product_sign.onnx", "product_sign.csv"),
          "Seed 000's product-sign toy: a shipped network that separates x*y > 0 from x*y < 0 (noise is a decoy)"),
      new Part("taylor-toys", List.of("analysis.yaml"),
          "Seed 003's correlation toy: a network Glassbox trains here, on classes that differ only in corr(x1, x2)"),
      new Part("two-prong-jets", List.of("analysis.yaml"),
          "Seed 002's question: a jet-image tagger trained here, compared with mass, pT and energy flow polynomials by"
              + " ADO, and the guided search for the observables it uses"),
      new Part("particle-tagger", List.of("analysis.yaml", "particlenet.onnx", "jets.npz"),
          "A tagger as experiments deploy it: a shipped ParticleNet-style graph network with three input tensors (particle"
              + " features, neighbour-search coordinates, mask), explained per particle slot and per feature"));

  @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: glassbox-results/demo); an earlier"
      + " demo's results there are replaced, anything else is refused")
  Path out = Path.of("glassbox-results", "demo");

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Mixin PluginOptions plugins;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    Path target = out.toAbsolutePath();
    // Replaces only an earlier demo's results folder; refuses anything else before any work starts.
    OutputFolder.checkReplaceable(target, OutputFolder.Kind.DEMO);
    Path dir = Files.createTempDirectory("glassbox-demo");
    Analysis analysis = new Analysis(plugins.all());
    Progress progress = TerminalProgress.forTerminal(quiet);
    java.util.concurrent.atomic.AtomicReference<OutputFolder> folder = new java.util.concurrent.atomic.AtomicReference<>();
    // Ctrl-C: stop between batches, remove the partial results folder and the unpacked examples, as 'run' does.
    Thread hook = new Thread(() -> {
      if (progress instanceof TerminalProgress t) t.cancel();
      OutputFolder f = folder.get();
      if (f != null) f.discard();
      delete(dir);
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try (OutputFolder root = OutputFolder.create(target, OutputFolder.Kind.DEMO)) {
      folder.set(root);
      List<IndexPage.Part> index = new ArrayList<>();
      for (Part part : PARTS) {
        Path yaml = unpack(part, dir);
        RunSpec run = analysis.validate(yaml).withOutput(root.partialPath().resolve(part.folder()));
        stdout.printf("%n%s%n  methods %s%n", part.title(), run.attribution().stream().map(RunSpec.MethodSpec::id).toList());
        Analysis.Outcome done = analysis.run(run, false, progress, f -> { });
        for (String f : done.findings()) stdout.printf("* %s%n", f);
        index.add(new IndexPage.Part(part.folder(), part.title(), done.findings()));
      }
      IndexPage.write(root, "Glassbox demo", "Four toy networks, three from the seed documents and a graph-network tagger, each explained by every bundled"
          + " method side by side. Each section opens with what the methods found; the toy's known truth is what they"
          + " should find.", index);
      root.commit();
      stdout.printf("%nResults in %s%n  open %s%n", target, target.resolve("index.html"));
    } finally {
      if (progress instanceof TerminalProgress t) t.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      delete(dir);
    }
    return 0;
  }

  private static Path unpack(Part part, Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(part.folder()));
    for (String f : part.files()) {
      try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + part.folder() + "/" + f)) {
        if (in == null) {
          throw new GlassboxException("The demo file " + part.folder() + "/" + f + " is missing from the glassbox jar;"
              + " rebuild with ./mvnw install.");
        }
        Files.copy(in, folder.resolve(f));
      }
    }
    return folder.resolve("analysis.yaml");
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
