package org.glassbox.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "derive",
    description = "Write the ONNX graph that computes a neuron's per-event gradient (runs in any ONNX runtime).")
final class DeriveCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "ONNX model file")
  Path model;

  @Option(names = {"-n", "--neuron"}, defaultValue = "output", description = "neuron to differentiate (default: ${DEFAULT-VALUE})")
  String neuron;

  @Option(names = "--wrt", description = "tensor to differentiate with respect to (default: the model input)")
  String wrt;

  @Option(names = {"-o", "--out"}, required = true, description = "output .onnx file")
  Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = m.resolve(NeuronId.parse(neuron));
      var saved = Derivatives.of(m).saveGradientModel(z, wrt == null ? m.input().name() : wrt, out);
      spec.commandLine().getOut().printf("gradient graph of %s -> %s (%d nodes; input '%s', output '%s')%n", z.label(), out,
          saved.nodes(), saved.input(), saved.output());
    }
    return 0;
  }
}
