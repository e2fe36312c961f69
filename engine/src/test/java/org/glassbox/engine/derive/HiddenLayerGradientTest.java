package org.glassbox.engine.derive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.Fixtures;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.Layer;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.junit.jupiter.api.Test;

/** The gradient with respect to a hidden layer equals the gradient of the model cut at that layer. */
class HiddenLayerGradientTest {

  @Test
  void gradientAtHiddenLayerEqualsGradientOfCutModel() {
    Fixtures.Case c = Fixtures.cases().stream().filter(k -> k.name().equals("mlp_bn_softmax")).findFirst().orElseThrow();
    FloatTensor x = c.array("x").toFloat();
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      Layer hidden = model.layers().get(0);
      ResolvedNeuron z = model.resolve(new NeuronId.Output(1));
      FloatTensor viaHidden = Derivatives.of(model).gradient(z, hidden.output(), x);

      FloatTensor activations = model.evaluate(x, List.of(hidden.output())).get(0);
      try (OnnxModel cut = model.cutAt(hidden.output())) {
        FloatTensor viaCut = Derivatives.of(cut).gradient(cut.resolve(new NeuronId.Output(1)), activations);
        assertArrayEquals(viaCut.shape(), viaHidden.shape());
        AutogradReferenceTest.assertClose(toDouble(viaCut.data()), viaHidden.data(), 1e-5, "hidden-layer gradient");
        // The cut model computes the same outputs from the activations.
        AutogradReferenceTest.assertClose(toDouble(model.evaluate(x).data()), cut.evaluate(activations).data(), 1e-6,
            "cut model output");
      }
    }
  }

  @Test
  void hiddenNeuronGradientMatchesFiniteDifferencesOfTheCutAtTheInput() {
    // A hidden neuron (L2N3) as the target: its gradient wrt the input equals the gradient of the
    // layer tensor element, and the layer output is what L2N3 addresses.
    Fixtures.Case c = Fixtures.cases().stream().filter(k -> k.name().equals("mlp_tanh")).findFirst().orElseThrow();
    FloatTensor x = c.array("x").toFloat();
    try (OnnxModel model = OnnxModel.load(c.model(), ExecutionOptions.defaults())) {
      ResolvedNeuron z = model.resolve(NeuronId.parse("L2N3"));
      float[] g = Derivatives.of(model).gradient(z, x).data();
      int f = x.eventSize();
      double h = 1e-2;
      double[] fd = new double[g.length];
      for (int j = 0; j < f; j++) {
        float[] plus = x.data().clone();
        float[] minus = x.data().clone();
        for (int n = 0; n < x.events(); n++) {
          plus[n * f + j] += (float) h;
          minus[n * f + j] -= (float) h;
        }
        float[] yp = model.evaluate(FloatTensor.of(plus, x.shape()), List.of(z.tensor())).get(0).data();
        float[] ym = model.evaluate(FloatTensor.of(minus, x.shape()), List.of(z.tensor())).get(0).data();
        int width = yp.length / x.events();
        for (int n = 0; n < x.events(); n++) fd[n * f + j] = (yp[n * width + z.index()] - ym[n * width + z.index()]) / (2 * h);
      }
      AutogradReferenceTest.assertClose(fd, g, 1e-3, "hidden neuron gradient");
    }
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }
}
