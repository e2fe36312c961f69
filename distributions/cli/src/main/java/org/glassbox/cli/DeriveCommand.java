package org.glassbox.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.model.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "derive",
    description = {"Write the ONNX graph that computes a neuron's per-event gradient (runs in any ONNX runtime).",
        "For a model with several inputs (e.g. points, features, mask), name the one to differentiate with respect to"
            + " with --wrt; the written graph still takes every model input."})
final class DeriveCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "ONNX model file")
  Path model;

  @Option(names = {"-n", "--neuron"}, defaultValue = "output", description = "neuron to differentiate (default: ${DEFAULT-VALUE})")
  String neuron;

  @Option(names = "--wrt", paramLabel = "TENSOR",
      description = "model input or hidden tensor to differentiate with respect to (default: the model input; required"
          + " for a model with several inputs)")
  String wrt;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "output .onnx file")
  Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Main.checkModelFile(model);
    Main.checkOutputFile(out, "-o", "gradient.onnx");
    try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults().withThreads(1))) {
      ResolvedNeuron z = m.resolve(NeuronId.parse(neuron));
      String variable = wrt != null ? wrt : onlyInput(m);
      TensorInfo t = m.shapes().find(variable).orElse(null);
      if (t != null && !t.isFloating()) {
        throw new GlassboxException("'" + variable + "' of " + m.name() + " holds integers or booleans, which have no"
            + " gradient; name a float input or tensor with --wrt.");
      }
      var saved = save(Derivatives.of(m), z, variable);
      String inputs = saved.inputs().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
      spec.commandLine().getOut().printf("gradient graph of %s -> %s (%d nodes; input%s %s, output '%s')%n", z.label(), out,
          saved.nodes(), saved.inputs().size() == 1 ? "" : "s", inputs, saved.output());
    }
    return 0;
  }

  /** Writes the graph beside OUT and moves it into place, so that a failed write leaves no partial file. */
  private Derivatives.SavedGraph save(Derivatives d, ResolvedNeuron z, String variable) {
    return Main.writeInPlace(out, tmp -> d.saveGradientModel(z, variable, tmp));
  }

  /** The model's one input; a model with several has no default, as any of them could be meant. */
  private static String onlyInput(OnnxModel m) {
    List<TensorInfo> in = m.inputs();
    if (in.size() == 1) return in.get(0).name();
    String example = in.stream().filter(t -> t.elemType() == TensorInfo.FLOAT).map(TensorInfo::name).findFirst()
        .orElse(in.get(0).name());
    throw new GlassboxException(m.name() + " has " + in.size() + " inputs " + in.stream().map(TensorInfo::toString).toList()
        + "; name the one to differentiate with respect to with --wrt (e.g. --wrt " + example + "). The written graph"
        + " takes every input.");
  }
}
