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

/** Runs an analysis: reads the data, and for each model and neuron runs every method and compares them. */
public final class RunExecutor {
  private final MethodCatalog catalog;

  @jakarta.inject.Inject
  public RunExecutor(MethodCatalog catalog) {
    this.catalog = catalog;
  }

  public RunResult execute(RunSpec spec, Progress progress) {
    EventTable table = spec.data().load();
    if (table.features().events() == 0) {
      throw new GlassboxException(spec.data().describe() + " has no events" + (table.droppedRows() > 0 ? " left after dropping "
          + table.droppedRows() + " with NaN or Inf" : "") + ".");
    }
    RunResult.DataSummary summary = new RunResult.DataSummary(table.source(), table.sha256(),
        table.features().events(), table.droppedRows(), table.featureNames(), table.labels() != null, table.weights() != null);
    List<RunResult.ModelResult> models = new ArrayList<>();
    ExecutionOptions exec = new ExecutionOptions(spec.threads(), spec.batchSize());
    for (RunSpec.ModelSpec ms : spec.models()) {
      try (OnnxModel model = OnnxModel.load(ms.file(), exec); OnnxModelAccess access = new OnnxModelAccess(model)) {
        TableEventData data = new TableEventData(shapeFor(model, table, spec), table.featureNames(), table.weights(), table.labels());
        List<RunResult.NeuronResult> neurons = new ArrayList<>();
        for (String text : spec.neurons()) {
          Neuron neuron = access.neuron(text, spec.direction());
          neurons.add(runNeuron(spec, access, neuron, data, progress));
        }
        models.add(new RunResult.ModelResult(ms.name(), ms.file().toString(), model.sha256(), model.producer(), model.opset(),
            neurons));
      }
    }
    return new RunResult(spec, Provenance.of(spec), summary, models);
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
        double area = 0;
        for (int s = 0; s < steps; s++) area += 0.5 * (curve[s] + curve[s + 1]) * (counts[s + 1] - counts[s]) / inputs;
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
