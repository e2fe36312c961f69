package org.glassbox.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.api.GlassboxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "init", description = "Write a commented analysis file to start from.")
final class InitCommand implements Callable<Integer> {
  static final String TEMPLATE = """
      # Glassbox analysis. Paths are relative to this file. 'glassbox run THIS_FILE' runs it;
      # 'glassbox run --check THIS_FILE' only validates it; 'glassbox methods' lists the methods.
      name: my-analysis
      seed: 1                       # all randomness (sampling, permutations) follows this seed

      model: model.onnx             # or several:  models: [{name: cnn, file: cnn.onnx}, {name: dnn, file: dnn.onnx}]
      # models:                     # a network trained here on the data's first train_fraction of events:
      #   - {name: dnn, train: {hidden: [32, 32], activation: relu, epochs: 30, checkpoint_every: 0}}
      # train_fraction: 0.5

      data:
        file: events.csv            # .csv (with a header row), .npy, .npz or .h5
        features: [pt, eta, phi]    # the model's inputs, in order (default: every column but label/weight)
        label: label                # optional: 1 = signal, 0 = background (enables AUC and the faithfulness check)
        weight: weight              # optional: event weights
        # events: 100000            # optional: use the first N events
        # nan: error                # or drop: skip events with NaN/Inf (counted in the report)
        # dataset: /events/features # HDF5: the dataset to read; NPZ: the array name
        # inputs:                   # a model with several inputs: each ONNX input from an NPZ/HDF5 array
        #   features: {array: pf_features, axes: [particle, feature], names: [pt, eta, phi]}
        #   mask: {array: pf_mask, differentiable: false}   # fed as it is, not attributed
      # data: {generator: taylor-toys, scenario: correlation, events: 20000, seed: 3}   # or a seeded toy data set:
      #                             # product-sign, taylor-toys, xaug-jets, two-prong-jets, dilepton-toy

      neurons: [output]             # output, output[k], L{layer}N{neuron} (e.g. L3N5), or <tensor>[i]
      direction: signal-high        # or signal-low when small values are signal-like

      methods:                      # method: {options}; {} takes the defaults; 'glassbox methods' lists them all
        gradient: {}
        gradient-x-input: {per_event: true}
        lrp: {composite: epsilon}               # tabular inputs; epsilon-plus-flat for images; layer_rules: ['L1: zplus'] overrides one layer
        taylor: {order: 2}                      # F + F(F+1)/2 coefficients from exact per-event Hessians
        activation-difference: {samples: 2}     # seed 000 eq. 2; layer: <tensor> for a hidden layer's neurons

      # observables:                # columns computed from particle lists (jet toys, particle data)
      #   efp: {max_degree: 3, kappa: [1], beta: [0.5, 1, 2]}
      # similarity:                 # compare models and observables (data columns: data.observables)
      #   ado: {functions: [my-model, mass, pt]}
      # surrogates:                 # which observables imitate the model? (seed 002's guided search)
      #   guided-search: {start: [mass, pt], passes: 3}

      compare:
        top_k: 3                    # size of the top-k overlap between rankings
        faithfulness: true          # AUC as inputs are permuted in each method's order

      output: glassbox-results/my-analysis   # a fresh folder; --out overrides, --overwrite replaces
      """;

  @Parameters(paramLabel = "FILE", description = "where to write the template")
  Path file;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (Files.isDirectory(file)) {
      throw new GlassboxException(file + " is a directory; name the analysis file to write, e.g. glassbox init "
          + file.resolve("analysis.yaml") + ".");
    }
    if (Files.exists(file)) throw new GlassboxException(file + " already exists; choose another name.");
    Main.checkFolderOf(file);
    Files.writeString(file, TEMPLATE);
    spec.commandLine().getOut().printf("Wrote %s; edit the model, data and features, then: glassbox run %s%n", file, file);
    return 0;
  }
}
