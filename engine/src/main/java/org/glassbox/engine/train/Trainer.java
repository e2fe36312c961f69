package org.glassbox.engine.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;
import org.glassbox.engine.derive.BackwardBuilder;
import org.glassbox.engine.derive.GradientRules;
import org.glassbox.engine.derive.Seed;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.ShapeProbe;
import org.glassbox.engine.model.Shapes;

/**
 * Trains a {@link Network} with Adam on event-weighted binary cross-entropy, with early stopping on
 * a validation split; everything seeded.
 *
 * <p>The gradient of the loss with respect to the weights comes from the engine's backward
 * builder: the training graph (network plus per-event loss) is differentiated with respect to its
 * parameter tensors, with the per-event loss seeded by the event's share of the batch weight, so
 * one ONNX Runtime call returns Σ_e w_e ∂L_e/∂θ / Σ_e w_e for every parameter θ.
 */
public final class Trainer {
  /** Losses after one epoch (weighted means; validation NaN without a validation split). */
  public record Epoch(int epoch, double trainingLoss, double validationLoss) {}

  /** The network as it was after {@code step} Adam steps. */
  public record Checkpoint(long step, int epoch, ModelProto model) {}

  /**
   * @param model the exported classifier (best validation loss), input {@code x}, output {@code p_signal}
   * @param history one entry per epoch run
   * @param bestEpoch the epoch whose weights were kept (1-based)
   * @param logits the trainer's own logits of every training event (all N, in order) at the kept weights,
   *     from the training network itself (standardisation not folded), in float32
   */
  public record Result(ModelProto model, List<Epoch> history, int bestEpoch, List<Checkpoint> checkpoints, float[] logits) {
    public Result {
      history = List.copyOf(history);
      checkpoints = List.copyOf(checkpoints);
    }
  }

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final Network network;
  private final TrainingOptions options;
  private final ExecutionOptions exec;

  public Trainer(Network network, TrainingOptions options, ExecutionOptions exec) {
    this.network = network;
    this.options = options;
    this.exec = exec;
  }

  /**
   * Trains on events x [N, F] with labels (1 signal, 0 background) and weights (null for 1).
   *
   * @param name shown in the progress bar and recorded as the model's producer
   */
  public Result train(String name, FloatTensor x, int[] labels, double[] weights, Progress progress) {
    int n = x.events();
    int f = x.eventSize();
    if (!java.util.Arrays.equals(x.eventShape(), network.inputShape())) {
      throw new GlassboxException("The trainer's network takes events of shape " + java.util.Arrays.toString(
          network.inputShape()) + "; the data has " + java.util.Arrays.toString(x.eventShape()) + ".");
    }
    if (labels == null) throw new GlassboxException("Training needs labels: add 'label:' to the data block.");
    double[] w = weights != null ? weights : ones(n);
    for (int e = 0; e < n; e++) {
      if (labels[e] != 0 && labels[e] != 1) {
        throw new GlassboxException("Training needs labels 0 (background) and 1 (signal); event " + e + " has " + labels[e] + ".");
      }
      if (!(w[e] >= 0) || Double.isInfinite(w[e])) {
        throw new GlassboxException("Training needs finite non-negative event weights; event " + e + " has " + w[e] + ".");
      }
    }
    SplittableRandom random = new SplittableRandom(options.seed());
    int[] order = permutation(n, random);
    int validation = (int) Math.round(options.validationFraction() * n);
    int[] train = java.util.Arrays.copyOfRange(order, validation, n);
    int[] held = java.util.Arrays.copyOfRange(order, 0, validation);
    checkBothClasses(train, labels, "training");
    if (validation > 0) checkBothClasses(held, labels, "validation");

    float[] data = x.data();
    int constants = (int) NetworkGraphs.standardisationSize(network);
    float[] mean = new float[constants];
    float[] scale = new float[constants];
    standardisation(data, f, train, mean, scale);
    List<String> names = NetworkGraphs.parameterNames(network);
    List<long[]> shapes = NetworkGraphs.parameterShapes(network);
    List<float[]> theta = initialParameters(shapes, random);

    ModelProto training = NetworkGraphs.training(network, mean, scale, theta);
    Shapes probed = ShapeProbe.probe(training);
    String weightInput = "loss_weight";
    BackwardBuilder.Derived derived = BackwardBuilder.derive(training, probed, GradientRules.standard(),
        new BackwardBuilder.Request(NetworkGraphs.LOSS, new Seed.Input(weightInput), names, List.of(NetworkGraphs.LOSS)));
    ModelProto stepGraph = NetworkGraphs.parametersAsInputs(derived.model(), names);
    List<String> outputs = new ArrayList<>(derived.gradientOutputs());
    outputs.add(NetworkGraphs.LOSS);

    List<Epoch> history = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<float[]> best = copy(theta);
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int stale = 0;
    long step = 0;
    double[][] m1 = new double[theta.size()][];
    double[][] m2 = new double[theta.size()][];
    for (int p = 0; p < theta.size(); p++) {
      m1[p] = new double[theta.get(p).length];
      m2[p] = new double[theta.get(p).length];
    }
    int batch = Math.min(options.batchSize(), train.length);
    try (CompiledGraph graph = new CompiledGraph(stepGraph.toByteArray(), exec, "the training graph");
        CompiledGraph logits = new CompiledGraph(NetworkGraphs.logitWithParameterInputs(network, mean, scale, theta)
            .toByteArray(), exec, "the prediction graph")) {
      progress.start("training " + name + " (" + network.parameters() + " parameters)", options.epochs());
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        shuffle(train, random);
        double lossSum = 0;
        double weightSum = 0;
        for (int from = 0; from < train.length; from += batch) {
          progress.checkCancelled();
          int to = Math.min(train.length, from + batch);
          int b = to - from;
          float[] xb = new float[b * f];
          float[] yb = new float[b];
          float[] cot = new float[b];
          double sw = 0;
          for (int i = 0; i < b; i++) sw += w[train[from + i]];
          if (sw <= 0) continue;
          for (int i = 0; i < b; i++) {
            int e = train[from + i];
            System.arraycopy(data, e * f, xb, i * f, f);
            yb[i] = labels[e];
            cot[i] = (float) (w[e] / sw);
          }
          Map<String, FloatTensor> feeds = new HashMap<>();
          feeds.put(NetworkGraphs.INPUT, batchOf(xb, b));
          feeds.put(NetworkGraphs.LABEL, FloatTensor.of(yb, b, 1));
          feeds.put(weightInput, FloatTensor.of(cot, b, 1));
          for (int p = 0; p < names.size(); p++) feeds.put(names.get(p), new FloatTensor(theta.get(p), shapes.get(p)));
          List<FloatTensor> out = graph.run(feeds, outputs);
          float[] loss = out.get(names.size()).data();
          for (int i = 0; i < b; i++) lossSum += w[train[from + i]] * loss[i];
          weightSum += sw;
          step++;
          adam(theta, out, m1, m2, step);
          if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0) {
            checkpoints.add(new Checkpoint(step, epoch, export(mean, scale, theta, name + " step " + step)));
          }
        }
        double trainLoss = lossSum / weightSum;
        double validationLoss = validation > 0 ? loss(logits, names, shapes, theta, data, network.inputShape(), held, labels, w) : Double.NaN;
        history.add(new Epoch(epoch, trainLoss, validationLoss));
        progress.step(epoch);
        progress.message(String.format(Locale.ROOT, "loss %.4f%s", trainLoss,
            validation > 0 ? String.format(Locale.ROOT, ", validation %.4f", validationLoss) : ""));
        double monitored = validation > 0 ? validationLoss : trainLoss;
        if (!Double.isFinite(trainLoss)) {
          throw new GlassboxException("Training " + name + " diverged at epoch " + epoch + " (loss " + trainLoss + "); lower"
              + " the learning_rate.");
        }
        if (monitored < bestLoss) {
          bestLoss = monitored;
          bestEpoch = epoch;
          best = copy(theta);
          stale = 0;
        } else if (validation > 0 && ++stale >= options.patience()) {
          break;
        }
      }
      int[] all = new int[n];
      for (int e = 0; e < n; e++) all[e] = e;
      float[] z = logits(logits, names, shapes, best, data, network.inputShape(), all);
      return new Result(export(mean, scale, best, name), history, bestEpoch, checkpoints, z);
    }
  }

  private FloatTensor batchOf(float[] xb, int events) {
    return new FloatTensor(xb, shapeOf(network.inputShape(), events));
  }

  private static long[] shapeOf(long[] eventShape, int events) {
    long[] s = new long[eventShape.length + 1];
    s[0] = events;
    System.arraycopy(eventShape, 0, s, 1, eventShape.length);
    return s;
  }

  private ModelProto export(float[] mean, float[] scale, List<float[]> theta, String name) {
    return NetworkGraphs.exported(network, mean, scale, theta, "glassbox trainer (" + name + ")");
  }

  /** Adam (Kingma and Ba), bias-corrected, in double precision; the parameters stay float32. */
  private void adam(List<float[]> theta, List<FloatTensor> grads, double[][] m1, double[][] m2, long step) {
    double lr = options.learningRate() * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
    for (int p = 0; p < theta.size(); p++) {
      float[] t = theta.get(p);
      float[] g = grads.get(p).data();
      double[] a = m1[p];
      double[] v = m2[p];
      for (int i = 0; i < t.length; i++) {
        a[i] = BETA1 * a[i] + (1 - BETA1) * g[i];
        v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
        t[i] -= (float) (lr * a[i] / (Math.sqrt(v[i]) + EPS));
      }
    }
  }

  /** Weighted mean binary cross-entropy of the held-out events, from the logits in double precision. */
  private static double loss(CompiledGraph graph, List<String> names, List<long[]> shapes, List<float[]> theta, float[] data,
      long[] shape, int[] events, int[] labels, double[] w) {
    float[] z = logits(graph, names, shapes, theta, data, shape, events);
    double sum = 0;
    double sw = 0;
    for (int i = 0; i < events.length; i++) {
      double zi = z[i];
      sum += w[events[i]] * (Math.max(zi, 0) - labels[events[i]] * zi + Math.log1p(Math.exp(-Math.abs(zi))));
      sw += w[events[i]];
    }
    return sum / sw;
  }

  /** The logits of the given events, in chunks. */
  private static float[] logits(CompiledGraph graph, List<String> names, List<long[]> shapes, List<float[]> theta, float[] data,
      long[] shape, int[] events) {
    int f = 1;
    for (long d : shape) f *= (int) d;
    float[] z = new float[events.length];
    int chunk = Math.max(1, Math.min(65_536, (1 << 22) / f));
    for (int from = 0; from < events.length; from += chunk) {
      int to = Math.min(events.length, from + chunk);
      float[] xb = new float[(to - from) * f];
      for (int i = from; i < to; i++) System.arraycopy(data, events[i] * f, xb, (i - from) * f, f);
      Map<String, FloatTensor> feeds = new HashMap<>();
      feeds.put(NetworkGraphs.INPUT, new FloatTensor(xb, shapeOf(shape, to - from)));
      for (int p = 0; p < names.size(); p++) feeds.put(names.get(p), new FloatTensor(theta.get(p), shapes.get(p)));
      System.arraycopy(graph.run(feeds, List.of(NetworkGraphs.LOGIT)).get(0).data(), 0, z, from, to - from);
    }
    return z;
  }

  /**
   * He-uniform for (leaky) ReLU, Glorot-uniform for tanh and ELU; biases 0. Dense weights are
   * [in, out]; convolution weights [out, in, kernel...], whose fans count the kernel.
   */
  private List<float[]> initialParameters(List<long[]> shapes, SplittableRandom random) {
    List<float[]> theta = new ArrayList<>();
    boolean relu = network.activation() == Network.Activation.RELU || network.activation() == Network.Activation.LEAKY_RELU;
    for (long[] s : shapes) {
      long size = 1;
      for (long d : s) size *= d;
      float[] t = new float[(int) size];
      if (s.length >= 2) {
        long fanIn;
        long fanOut;
        if (s.length == 2) {
          fanIn = s[0];
          fanOut = s[1];
        } else {
          long kernel = size / (s[0] * s[1]);
          fanIn = s[1] * kernel;
          fanOut = s[0] * kernel;
        }
        double limit = relu ? Math.sqrt(6.0 / fanIn) : Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < t.length; i++) t[i] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
      theta.add(t);
    }
    return theta;
  }

  /**
   * Mean and standard deviation of each input over the training events (scale 1 for a constant
   * input); with one constant (convolutional networks), the root mean square of all input values.
   */
  private static void standardisation(float[] data, int f, int[] events, float[] mean, float[] scale) {
    if (scale.length == 1 && f > 1) {
      double s2 = 0;
      for (int e : events) for (int j = 0; j < f; j++) s2 += (double) data[e * f + j] * data[e * f + j];
      double rms = Math.sqrt(s2 / ((double) events.length * f));
      scale[0] = rms > 1e-12 ? (float) rms : 1f;
      return;
    }
    double[] s = new double[f];
    double[] s2 = new double[f];
    for (int e : events) {
      for (int j = 0; j < f; j++) {
        double v = data[e * f + j];
        s[j] += v;
        s2[j] += v * v;
      }
    }
    for (int j = 0; j < f; j++) {
      double mu = s[j] / events.length;
      double var = s2[j] / events.length - mu * mu;
      mean[j] = (float) mu;
      scale[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
    }
  }

  private static void checkBothClasses(int[] events, int[] labels, String what) {
    int signal = 0;
    for (int e : events) signal += labels[e];
    if (signal == 0 || signal == events.length) {
      throw new GlassboxException("The " + what + " events hold only " + (signal == 0 ? "background" : "signal")
          + "; training needs both classes.");
    }
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    shuffle(p, random);
    return p;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static List<float[]> copy(List<float[]> theta) {
    List<float[]> c = new ArrayList<>();
    for (float[] t : theta) c.add(t.clone());
    return c;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1);
    return w;
  }
}
