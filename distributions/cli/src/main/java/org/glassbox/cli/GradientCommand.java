package org.glassbox.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.api.FloatTensor;
import org.glassbox.data.Npy;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "gradient",
    description = "Per-event gradient (or Hessian) of a neuron for the events of an .npy file, written as .npy.")
final class GradientCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file")
  Path model;

  @Parameters(index = "1", paramLabel = "DATA", description = ".npy array of events (events x input shape)")
  Path data;

  @Option(names = {"-n", "--neuron"}, defaultValue = "output", description = "neuron to differentiate (default: ${DEFAULT-VALUE})")
  String neuron;

  @Option(names = "--wrt", description = "tensor to differentiate with respect to (default: the model input)")
  String wrt;

  @Option(names = "--hessian", description = "write the per-event Hessian (events x F x F) instead of the gradient")
  boolean hessian;

  @Option(names = {"-o", "--out"}, required = true, description = "output .npy file")
  Path out;

  @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: all cores)")
  int threads;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    FloatTensor x = Npy.read(data).toFloat();
    try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults().withThreads(threads))) {
      ResolvedNeuron z = m.resolve(NeuronId.parse(neuron));
      Derivatives d = Derivatives.of(m);
      FloatTensor result;
      if (hessian) {
        if (wrt != null) throw new GlassboxException("--hessian is taken with respect to the model input; drop --wrt.");
        result = d.hessian(z, x);
      } else {
        result = d.gradient(z, wrt == null ? m.input().name() : wrt, x);
      }
      // Write next to the target and move into place, so an interrupted run leaves no partial file.
      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".glassbox-", ".npy.part");
      try (OutputStream os = Files.newOutputStream(tmp)) {
        Npy.write(os, result.data(), result.shape());
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.printf("%s of %s (%s) for %d events -> %s %s%n", hessian ? "Hessian" : "gradient", z.label(), z.tensor() + "[" + z.index() + "]",
          x.events(), out, java.util.Arrays.toString(result.shape()));
    }
    return 0;
  }
}
