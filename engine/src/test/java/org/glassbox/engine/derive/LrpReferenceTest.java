package org.glassbox.engine.derive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.NeuronId;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;
import org.glassbox.api.attribution.Relevance;
import org.glassbox.data.Npy;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LRP against an independent layer-by-layer computation in float64 (make_lrp_fixtures.py beside
 * the fixtures; no autograd), for an MLP with batch norm, a CNN with max- and average pooling, and
 * a bias-free MLP, under six composites.
 */
class LrpReferenceTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/lrp");

  record Case(String model, String composite) {
    @Override
    public String toString() {
      return model + " / " + composite;
    }
  }

  static Stream<Case> cases() throws IOException {
    return Files.readAllLines(DIR.resolve("manifest.tsv")).stream().skip(1).filter(l -> !l.isBlank())
        .map(l -> l.split("\t")).map(f -> new Case(f[0], f[1]));
  }

  static LrpComposite composite(String name, boolean cnn) {
    LrpRule eps6 = new LrpRule.Epsilon(1e-6);
    double low = cnn ? 0 : -3;
    double high = cnn ? 1 : 3;
    return switch (name) {
      case "epsilon" -> new LrpComposite(name, new LrpRule.Epsilon(0.25), new LrpRule.Epsilon(0.25), Optional.empty(), Map.of());
      case "zero" -> new LrpComposite(name, new LrpRule.Zero(), new LrpRule.Zero(), Optional.empty(), Map.of());
      case "epsilon-plus-flat" -> new LrpComposite(name, eps6, new LrpRule.ZPlus(), Optional.of(new LrpRule.Flat()), Map.of());
      case "epsilon-gamma-box" -> new LrpComposite(name, eps6, new LrpRule.Gamma(0.25), Optional.of(new LrpRule.ZBox(low, high)), Map.of());
      case "epsilon-alpha2-beta1" -> new LrpComposite(name, eps6, new LrpRule.AlphaBeta(2, 1), Optional.empty(), Map.of());
      case "wsquare-first" -> new LrpComposite(name, eps6, eps6, Optional.of(new LrpRule.WSquare()), Map.of());
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void relevanceMatchesTheLayerByLayerReference(Case c) {
    FloatTensor x = Npy.read(DIR.resolve(c.model() + ".x.npy")).toFloat();
    try (OnnxModel m = OnnxModel.load(DIR.resolve(c.model() + ".onnx"), ExecutionOptions.defaults())) {
      Relevance r = Derivatives.of(m).relevance(m.resolve(new NeuronId.Output(0)), composite(c.composite(),
          c.model().contains("cnn")), true, x);
      double[] start = Npy.read(DIR.resolve(c.model() + ".start.npy")).values();
      AutogradReferenceTest.assertClose(start, r.start(), 1e-5, c + " start");
      double[] ref = Npy.read(DIR.resolve(c.model() + "." + c.composite() + ".npy")).values();
      AutogradReferenceTest.assertClose(ref, r.inputs().data(), 2e-4, c + " relevance");
    }
  }
}
