package org.glassbox.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glassbox.engine.derive.BackwardBuilder;
import org.glassbox.engine.derive.GradientRules;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.Layer;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Print a model's inputs, outputs, layers and how to address their neurons.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "ONNX model file")
  Path model;

  @Option(names = "--tensors", description = "Also list every intermediate tensor with its shape.")
  boolean tensors;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Main.checkModelFile(model);
    try (OnnxModel m = OnnxModel.load(model, ExecutionOptions.defaults().withThreads(1))) {
      out.printf("Model    %s%n", model);
      out.printf("SHA-256  %s%n", m.sha256());
      out.printf("Producer %s, ONNX opset %d%n", m.producer().isEmpty() ? "(unknown)" : m.producer(), m.opset());
      for (TensorInfo t : m.inputs()) out.printf("Input    %-24s %s%n", t.name(), t.shapeText());
      for (TensorInfo t : m.outputs()) out.printf("Output   %-24s %s%n", t.name(), t.shapeText());
      if (m.inputs().size() > 1) {
        out.println("         (several inputs: map each to an array of an NPZ or HDF5 file with data.inputs; masks and indices"
            + " with differentiable: false;");
        out.println("          'glassbox gradient " + model + " DATA.npz' takes an .npz with one array per input, named like it)");
      }
      out.println();
      out.println("Layers (seed 000's count: a dense or convolution operator with the activation that follows it)");
      out.printf("  %-5s %-14s %-11s %7s  %-14s %s%n", "layer", "operator", "activation", "width", "shape", "output tensor");
      for (Layer l : m.layers()) {
        out.printf("  L%-4d %-14s %-11s %7d  %-14s %s%n", l.index(), l.linearOp(), l.activation().isEmpty() ? "-" : l.activation(),
            l.width(), l.info().shapeText(), l.output());
      }
      out.println();
      out.println("Address neurons as:");
      out.println("  " + String.format("%-20s", "output" + (m.outputs().get(0).eventSize() > 1 ? "[k]" : "")) + " the model output"
          + (m.outputs().get(0).eventSize() > 1 ? " (k = 0 ... " + (m.outputs().get(0).eventSize() - 1) + ")" : ""));
      if (!m.layers().isEmpty()) {
        Layer first = m.layers().get(0);
        out.println("  L{k}N{j}             neuron j of layer k, e.g. L1N0 ... L1N" + (first.width() - 1));
      }
      out.println("  <tensor>[i]          element i (flattened per event) of any tensor (--tensors lists them)");
      Map<String, String> missing = BackwardBuilder.unsupported(m, GradientRules.standard());
      out.println();
      if (missing.isEmpty()) {
        out.println("Derivatives: every operator on the path from the input has a rule.");
      } else {
        out.println("Derivatives: NOT available; these operators have no rule yet:");
        missing.forEach((node, op) -> out.printf("  %-14s node '%s'%n", op, node));
      }
      if (tensors) {
        out.println();
        out.println("Tensors");
        m.tensors().forEach(t -> out.printf("  %-40s %s%n", t.name(), t.shapeText()));
      }
    }
    return 0;
  }
}
