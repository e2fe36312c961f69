package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Neuron;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.Attribution;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.data.EventTable;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.TensorInfo;
import org.glassbox.engine.train.Network;
import org.glassbox.engine.train.Trainer;

/** Runs an analysis: reads the data, and for each model and neuron runs every method and compares them. */
public final class RunExecutor {
  private final MethodCatalog catalog;

  @jakarta.inject.Inject
  public RunExecutor(MethodCatalog catalog) {
    this.catalog = catalog;
  }

  public RunResult execute(RunSpec spec, Progress progress) {
    DataSource.Loaded loaded = spec.data().load();
    EventTable table = loaded.table();
    if (table.features().events() == 0) {
      throw new GlassboxException(spec.data().describe() + " has no events" + (table.droppedRows() > 0 ? " left after dropping "
          + table.droppedRows() + " with NaN or Inf" : "") + ".");
    }
    RunResult.DataSummary summary = new RunResult.DataSummary(table.source(), table.sha256(),
        table.features().events(), table.droppedRows(), table.featureNames(), table.labels() != null, table.weights() != null, loaded.truth().orElse(null));
    List<RunResult.ModelResult> models = new ArrayList<>();
    ExecutionOptions exec = new ExecutionOptions(spec.threads(), spec.batchSize());
    for (RunSpec.ModelSpec ms : spec.models()) {
      progress.checkCancelled();
      RunResult.Training training = ms.train() == null ? null : train(ms, table, exec, progress);
      try (OnnxModel model = training == null ? OnnxModel.load(ms.file(), exec)
              : OnnxModel.of(parse(training.onnx()), ms.name() + ".onnx", exec);
          OnnxModelAccess access = new OnnxModelAccess(model)) {
        TableEventData data = new TableEventData(shapeFor(model, table, spec), table.featureNames(), table.weights(), table.labels());
        List<RunResult.NeuronResult> neurons = new ArrayList<>();
        for (String text : spec.neurons()) {
          Neuron neuron = access.neuron(text, spec.direction());
          neurons.add(runNeuron(spec, access, neuron, data, progress));
        }
        String file = training == null ? ms.file().toString() : "models/" + ms.name() + ".onnx";
        List<RunResult.LearningProgress> learning = learningProgress(spec, ms, training, table, exec, progress);
        models.add(new RunResult.ModelResult(ms.name(), file, model.sha256(), model.producer(), model.opset(), neurons,
            training, learning));
      }
    }
    return new RunResult(spec, Provenance.of(spec), summary, models);
  }

  /**
   * Seed 003's learning progress: every method's scores on every checkpoint of the model (the
   * trainer's, or the files named by 'checkpoints:'), on the first compare.faithfulness_events events.
   */
  private List<RunResult.LearningProgress> learningProgress(RunSpec spec, RunSpec.ModelSpec ms, RunResult.Training training,
      EventTable table, ExecutionOptions exec, Progress progress) {
    List<Long> steps = new ArrayList<>();
    List<java.util.function.Supplier<OnnxModel>> loaders = new ArrayList<>();
    if (training != null) {
      for (RunResult.Checkpoint c : training.checkpoints()) {
        steps.add(c.step());
        loaders.add(() -> OnnxModel.of(parse(c.onnx()), ms.name() + "@" + c.step(), exec));
      }
    }
    for (RunSpec.Checkpoint c : ms.checkpoints()) {
      steps.add(c.step());
      loaders.add(() -> OnnxModel.load(c.file(), exec));
    }
    if (steps.isEmpty() || spec.attribution().isEmpty()) return List.of();
    int n = Math.min(table.features().events(), spec.compare().faithfulnessEvents());
    EventTable part = new EventTable(table.source(), table.sha256(), table.featureNames(), table.features().slice(0, n),
        table.labels() == null ? null : Arrays.copyOf(table.labels(), n), table.weights() == null ? null
        : Arrays.copyOf(table.weights(), n), 0, n);
    // [neuron][method][checkpoint] scores, features from the checkpoint's attribution.
    int neurons = spec.neurons().size();
    int methods = spec.attribution().size();
    double[][][][] scores = new double[neurons][methods][steps.size()][];
    List<List<List<String>>> features = new ArrayList<>();
    for (int k = 0; k < neurons; k++) {
      List<List<String>> perMethod = new ArrayList<>();
      for (int m = 0; m < methods; m++) perMethod.add(null);
      features.add(perMethod);
    }
    for (int c = 0; c < steps.size(); c++) {
      progress.checkCancelled();
      progress.start(ms.name() + ": learning progress, checkpoint " + (c + 1) + " of " + steps.size(), 1);
      try (OnnxModel model = loaders.get(c).get(); OnnxModelAccess access = new OnnxModelAccess(model)) {
        TableEventData data = new TableEventData(shapeFor(model, part, spec), part.featureNames(), part.weights(), part.labels());
        for (int k = 0; k < neurons; k++) {
          Neuron neuron = access.neuron(spec.neurons().get(k), spec.direction());
          for (int m = 0; m < methods; m++) {
            RunSpec.MethodSpec ms2 = spec.attribution().get(m);
            Attribution a = catalog.attribution().get(ms2.id()).attribute(context(access, neuron, data, ms2.options(), spec.seed(),
                Progress.NONE));
            scores[k][m][c] = a.values();
            features.get(k).set(m, a.features());
          }
        }
      }
      progress.step(1);
    }
    long[] stepArray = steps.stream().mapToLong(Long::longValue).toArray();
    List<RunResult.LearningProgress> out = new ArrayList<>();
    for (int k = 0; k < neurons; k++) {
      for (int m = 0; m < methods; m++) {
        out.add(new RunResult.LearningProgress(spec.neurons().get(k), spec.attribution().get(m).id(), stepArray,
            features.get(k).get(m), scores[k][m]));
      }
    }
    return out;
  }

  /** Trains a model the analysis asks for on the run's events (all of them; the trainer holds out its validation split). */
  private static RunResult.Training train(RunSpec.ModelSpec ms, EventTable table, ExecutionOptions exec, Progress progress) {
    FloatTensor x = table.features();
    if (x.shape().length != 2) {
      throw new GlassboxException("Model " + ms.name() + ": the built-in trainer takes events x features; this data has "
          + Arrays.toString(x.eventShape()) + " per event.");
    }
    if (table.labels() == null) {
      throw new GlassboxException("Model " + ms.name() + " is to be trained, but the data has no labels: add 'label:' to the"
          + " data block.");
    }
    RunSpec.TrainSpec t = ms.train();
    Network network = new Network(x.eventSize(), t.hidden(), t.activation());
    Trainer.Result r = new Trainer(network, t.options(), exec).train(ms.name(), x, table.labels(), table.weights(), progress);
    List<RunResult.Checkpoint> checkpoints = new ArrayList<>();
    for (Trainer.Checkpoint c : r.checkpoints()) checkpoints.add(new RunResult.Checkpoint(c.step(), c.epoch(), c.model().toByteArray()));
    return new RunResult.Training(t, x.eventSize(), network.parameters(), r.model().toByteArray(), r.history(), r.bestEpoch(),
        checkpoints);
  }

  private static ai.onnx.proto.OnnxMl.ModelProto parse(byte[] onnx) {
    try {
      return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("the trainer's own model does not parse", e);
    }
  }

  /** The data's features shaped as the model's input; a flat row may fill an image input of the same size. */
  private static FloatTensor shapeFor(OnnxModel model, EventTable table, RunSpec spec) {
    TensorInfo in = model.input();
    FloatTensor x = table.features();
    long want = 1;
    for (long d : in.eventShape()) want *= d;
    if (x.eventSize() != want) {
      throw new GlassboxException("The data (" + spec.data().describe() + ") has " + x.eventSize() + " values per event ("
          + table.featureNames().size() + " features) but model " + model.name() + " expects input '" + in.name() + "' of shape "
          + in.shapeText() + " (" + want + " values per event). Select the model's inputs with data.features.");
    }
    long[] shape = new long[in.rank()];
    shape[0] = x.events();
    System.arraycopy(in.eventShape(), 0, shape, 1, in.rank() - 1);
    return new FloatTensor(x.data(), shape);
  }

  private RunResult.NeuronResult runNeuron(RunSpec spec, OnnxModelAccess access, Neuron neuron, TableEventData data,
      Progress progress) {
    List<RunResult.MethodResult> results = new ArrayList<>();
    int inputs = data.inputs().eventSize();
    for (RunSpec.MethodSpec m : spec.attribution()) {
      progress.checkCancelled();
      AttributionMethod method = catalog.attribution().get(m.id());
      long start = System.nanoTime();
      progress.start(access.name() + " " + neuron.label() + ": " + m.id(), 1);
      Attribution a = method.attribute(context(access, neuron, data, m.options(), spec.seed(), progress));
      progress.step(1);
      double seconds = (System.nanoTime() - start) / 1e9;
      results.add(new RunResult.MethodResult(m.id(), method.version(), m.options(), method.conventions(), a,
          inputScores(a, inputs), seconds));
    }
    double auc = Double.NaN;
    if (data.labelsOrNull() != null) auc = auc(access, neuron, data.inputs(), data.labelsOrNull(), data.weightsOrNull());
    return new RunResult.NeuronResult(neuron, auc, results, compare(spec, access, neuron, data, results, progress));
  }

  private static AttributionContext context(OnnxModelAccess access, Neuron neuron, TableEventData data, Options options,
      long seed, Progress progress) {
    return new AttributionContext() {
      @Override
      public org.glassbox.api.ModelAccess model() {
        return access;
      }

      @Override
      public Neuron neuron() {
        return neuron;
      }

      @Override
      public org.glassbox.api.EventData data() {
        return data;
      }

      @Override
      public Options options() {
        return options;
      }

      @Override
      public long seed() {
        return seed;
      }

      @Override
      public Progress progress() {
        return progress;
      }
    };
  }

  /** A score per model input: the best score of any feature that involves it (Taylor ranks monomials). */
  static double[] inputScores(Attribution a, int inputs) {
    double[] s = new double[inputs];
    Arrays.fill(s, Double.NEGATIVE_INFINITY);
    double[] v = a.values();
    for (int f = 0; f < v.length; f++) {
      for (int i : a.inputsOf().get(f)) if (i < inputs) s[i] = Math.max(s[i], v[f]);
    }
    for (int i = 0; i < inputs; i++) if (s[i] == Double.NEGATIVE_INFINITY) s[i] = 0;
    return s;
  }

  private static double auc(OnnxModelAccess access, Neuron neuron, FloatTensor x, int[] labels, double[] weights) {
    float[] z = access.value(neuron, x).data();
    if (neuron.direction() < 0) for (int i = 0; i < z.length; i++) z[i] = -z[i];
    return RankStatistics.auc(z, labels, weights);
  }

  private static RunResult.ComparisonResult compare(RunSpec spec, OnnxModelAccess access, Neuron neuron, TableEventData data,
      List<RunResult.MethodResult> results, Progress progress) {
    int k = results.size();
    List<String> names = results.stream().map(RunResult.MethodResult::id).toList();
    double[][] sp = new double[k][k];
    double[][] kt = new double[k][k];
    double[][] top = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double[] a = results.get(i).inputScores();
        double[] b = results.get(j).inputScores();
        sp[i][j] = RankStatistics.spearman(a, b);
        kt[i][j] = RankStatistics.kendall(a, b);
        top[i][j] = RankStatistics.topKOverlap(a, b, spec.compare().topK());
      }
    }
    Map<String, double[]> curves = new LinkedHashMap<>();
    Map<String, Double> areas = new LinkedHashMap<>();
    int inputs = data.inputs().eventSize();
    int steps = Math.min(inputs, 20);
    int[] counts = new int[steps + 1];
    for (int s = 0; s <= steps; s++) counts[s] = (int) Math.round((double) s * inputs / steps);
    if (spec.compare().faithfulness() && data.labelsOrNull() != null) {
      int n = Math.min(data.events(), spec.compare().faithfulnessEvents());
      FloatTensor x = data.inputs().slice(0, n);
      int[] labels = Arrays.copyOf(data.labelsOrNull(), n);
      double[] weights = data.weightsOrNull() == null ? null : Arrays.copyOf(data.weightsOrNull(), n);
      for (RunResult.MethodResult r : results) {
        progress.checkCancelled();
        int[] order = RankStatistics.order(r.inputScores());
        double[] curve = new double[steps + 1];
        float[] permuted = x.data().clone();
        SplittableRandom random = new SplittableRandom(spec.seed());
        for (int s = 0; s <= steps; s++) {
          if (s > 0) {
            for (int q = counts[s - 1]; q < counts[s]; q++) permuteColumn(permuted, n, inputs, order[q], random);
          }
          curve[s] = auc(access, neuron, new FloatTensor(permuted.clone(), x.shape()), labels, weights);
        }
        curves.put(r.id(), curve);
        // The separation left, |AUC - 1/2|, so that a neuron anti-correlated with the labels (AUC < 1/2)
        // reads the same way: a small area means the ranking put first what the separation needs.
        double area = 0;
        for (int s = 0; s < steps; s++) {
          area += 0.5 * (Math.abs(curve[s] - 0.5) + Math.abs(curve[s + 1] - 0.5)) * (counts[s + 1] - counts[s]) / inputs;
        }
        areas.put(r.id(), area);
      }
    }
    return new RunResult.ComparisonResult(names, sp, kt, top, spec.compare().topK(), counts, curves, areas);
  }

  /** Shuffles one input across events (Fisher-Yates), which breaks its relation to everything else. */
  private static void permuteColumn(float[] x, int events, int width, int column, SplittableRandom random) {
    for (int i = events - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float t = x[i * width + column];
      x[i * width + column] = x[j * width + column];
      x[j * width + column] = t;
    }
  }
}
