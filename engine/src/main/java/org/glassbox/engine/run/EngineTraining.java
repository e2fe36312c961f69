package org.glassbox.engine.run;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.api.surrogate.ClassifierTraining;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.train.Network;
import org.glassbox.engine.train.Trainer;
import org.glassbox.engine.train.TrainingOptions;

/** The built-in trainer behind the api's {@link ClassifierTraining}, for surrogate searches. */
final class EngineTraining implements ClassifierTraining {
  static final Set<String> SETTINGS = Set.of("hidden", "activation", "epochs", "batch_size", "learning_rate", "validation",
      "patience");

  private final ExecutionOptions exec;
  private final Progress progress;

  EngineTraining(ExecutionOptions exec, Progress progress) {
    this.exec = exec;
    this.progress = progress;
  }

  @Override
  public double[] trainAndScore(String name, List<double[]> columns, int[] labels, double[] weights,
      Map<String, Object> settings, long seed) {
    for (String key : settings.keySet()) {
      if (!SETTINGS.contains(key)) {
        throw new GlassboxException("Unknown training setting '" + key + "' for " + name + "; the settings are "
            + new java.util.TreeSet<>(SETTINGS) + ".");
      }
    }
    if (columns.isEmpty()) throw new GlassboxException("Cannot train " + name + " on no columns.");
    int n = columns.get(0).length;
    int f = columns.size();
    float[] x = new float[n * f];
    for (int j = 0; j < f; j++) {
      double[] c = columns.get(j);
      if (c.length != n) throw new GlassboxException("Columns of " + name + " differ in length.");
      for (int e = 0; e < n; e++) x[e * f + j] = (float) c[e];
    }
    TrainingOptions d = TrainingOptions.defaults();
    TrainingOptions o = new TrainingOptions(intOf(settings, "epochs", d.epochs()), intOf(settings, "batch_size", d.batchSize()),
        numberOf(settings, "learning_rate", d.learningRate()), numberOf(settings, "validation", d.validationFraction()),
        intOf(settings, "patience", d.patience()), seed, 0);
    int[] hidden = {32, 32};
    if (settings.get("hidden") instanceof List<?> widths) {
      hidden = new int[widths.size()];
      for (int i = 0; i < hidden.length; i++) hidden[i] = ((Number) widths.get(i)).intValue();
    }
    Network.Activation activation = settings.containsKey("activation")
        ? Network.Activation.of(String.valueOf(settings.get("activation"))) : Network.Activation.RELU;
    Trainer.Result r = new Trainer(new Network(f, hidden, activation), o, exec).train(name, FloatTensor.of(x, n, f), labels,
        weights, progress);
    double[] z = new double[n];
    for (int e = 0; e < n; e++) z[e] = r.logits()[e];
    return z;
  }

  private static int intOf(Map<String, Object> s, String key, int fallback) {
    return s.get(key) instanceof Number v ? v.intValue() : fallback;
  }

  private static double numberOf(Map<String, Object> s, String key, double fallback) {
    return s.get(key) instanceof Number v ? v.doubleValue() : fallback;
  }
}
