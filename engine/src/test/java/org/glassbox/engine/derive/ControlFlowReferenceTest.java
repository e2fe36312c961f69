package org.glassbox.engine.derive;

import static org.glassbox.engine.derive.AutogradReferenceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.data.Npy;
import org.glassbox.engine.Fixtures;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * If on a condition that depends on the data (issue 9): a torch.jit.script model exported by
 * PyTorch and a hand-built model with two If outputs, a branch that reads two outer tensors on the
 * differentiable path and a nested If (see make_control_fixtures.py beside the fixtures). ONNX
 * evaluates the condition once per run, on the whole batch, so each model has one reference batch
 * per branch ("set"). Per-event gradients and Hessians against PyTorch autograd in float64 and
 * against central finite differences in float64 (of the model, and of the derived gradient graph
 * for the Hessian). Tolerances as in {@link AutogradReferenceTest} and {@link OperatorRuleTest}.
 */
class ControlFlowReferenceTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/control");

  /** One reference batch of a model: the files {@code <name>.<set>.<kind>.npy}. */
  record Batch(Fixtures.Case c, String set) {
    Npy.Array array(String kind) {
      return Npy.read(DIR.resolve(c.name() + "." + set + "." + kind + ".npy"));
    }

    double[] x64() {
      return array("x").values();
    }

    @Override
    public String toString() {
      return c.name() + " " + set;
    }
  }

  static Stream<Batch> batches() {
    return Fixtures.cases(DIR).stream().flatMap(c -> {
      try (Stream<Path> files = Files.list(DIR)) {
        String head = c.name() + ".";
        return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(head) && f.endsWith(".x.npy"))
            .map(f -> f.substring(head.length(), f.length() - ".x.npy".length())).sorted()
            .map(set -> new Batch(c, set)).toList().stream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static long ifNodes(GraphProto g) {
    return g.getNodeList().stream().filter(n -> n.getOpType().equals("If")).count();
  }

  @Test
  void everyModelHasADataDependentIfAndSeveralBranchBatches() {
    assertEquals(2, Fixtures.cases(DIR).size());
    assertEquals(5, batches().count());
    for (Fixtures.Case c : Fixtures.cases(DIR)) {
      try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
        assertEquals(1, ifNodes(model.proto().getGraph()), c + " has one top-level If");
        // Not folded away: the If stays in the graph that is differentiated.
        assertEquals(model.proto(), Subgraphs.inlineConstantIfs(model.proto(), model.shapes()), c + " If is not constant");
        assertTrue(BackwardBuilder.unsupported(model, GradientRules.standard()).isEmpty(), c + " loads for derivatives");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void forwardMatchesPytorch(Batch b) {
    try (OnnxModel model = OnnxModel.load(b.c().model(), ExecutionOptions.defaults())) {
      assertClose(b.array("y").values(), model.evaluate(b.array("x").toFloat()).data(), 2e-6, b + " forward");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void gradientMatchesAutogradAndFiniteDifferences(Batch b) {
    try (OnnxModel model = OnnxModel.load(b.c().model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(b.c().target()));
      Derivatives d = Derivatives.of(model);
      ModelProto gradGraph = d.gradientModel(z, model.input().name());
      assertEquals(2, ifNodes(gradGraph.getGraph()), b + ": the forward If and the backward If on the same condition");
      NodeProto forwardIf = gradGraph.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("If")).findFirst()
          .orElseThrow();
      assertTrue(gradGraph.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("If"))
          .allMatch(n -> n.getInput(0).equals(forwardIf.getInput(0))), b + ": same condition");

      float[] g = d.gradient(z, b.array("x").toFloat()).data();
      assertClose(b.array("grad").values(), g, 2e-5, b + " gradient vs autograd");
      int f = (int) model.input().dim(1);
      double[] x = b.x64();
      try (FiniteDifferences fd = FiniteDifferences.inDouble(model.proto())) {
        double[] ref = fd.jacobian(x, x.length / f, 1e-5);
        assertClose(ref, g, 2e-4, b + " gradient vs float64 finite differences");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void hessianMatchesAutogradAndFiniteDifferences(Batch b) {
    try (OnnxModel model = OnnxModel.load(b.c().model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(new NeuronId.Output(b.c().target()));
      Derivatives d = Derivatives.of(model);
      assertEquals("hvp", d.hessianStrategy(z));
      // All events in one run: the tiled batch takes the branches the reference batch takes.
      float[] h = d.hessian(z, b.array("x").toFloat()).data();
      Npy.Array ref = b.array("hess");
      assertEquals(ref.values().length, h.length);
      assertClose(ref.values(), h, 1e-4, b + " Hessian vs autograd");
      int f = (int) model.input().dim(1);
      double[] x = b.x64();
      try (FiniteDifferences fd = FiniteDifferences.inDouble(d.gradientModel(z, model.input().name()))) {
        assertTrue(fd != null, "the gradient graph (with its backward If) runs in float64");
        assertClose(fd.jacobian(x, x.length / f, 1e-5), h, 5e-4, b + " Hessian vs float64 finite differences of the gradient");
      }
    }
  }

  /**
   * One call over batches that take different branches: with a batch size of one reference batch,
   * each ONNX Runtime run (chunk) takes its own branch, and every event gets its branch's gradient.
   */
  @Test
  void chunksTakeTheirOwnBranch() {
    for (Fixtures.Case c : Fixtures.cases(DIR)) {
      List<Batch> sets = batches().filter(b -> b.c().name().equals(c.name())).toList();
      int n = sets.get(0).array("x").toFloat().events();
      try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults().withBatchSize(n))) {
        ResolvedNeuron z = model.resolve(new NeuronId.Output(c.target()));
        FloatTensor x = FloatTensor.concat(sets.stream().map(b -> b.array("x").toFloat()).toList());
        float[] g = Derivatives.of(model).gradient(z, x).data();
        double[] ref = sets.stream().flatMapToDouble(b -> java.util.Arrays.stream(b.array("grad").values())).toArray();
        assertClose(ref, g, 2e-5, c + ": " + sets.size() + " batches, one branch each");
      }
    }
  }
}
