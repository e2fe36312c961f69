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
import org.glassbox.engine.host.Providers;
import org.glassbox.engine.model.InputPacking;
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
    return execute(spec, progress, null);
  }

  /**
   * Runs an analysis whose attribution scores and AUCs over every event come from {@code distributed}
   * (null: from the data as read, or streamed when data.stream is set).
   */
  public RunResult execute(RunSpec spec, Progress progress, DistributedScores distributed) {
    DataSource.Loaded loaded = spec.data().load();
    EventTable table = loaded.table();
    if (table.features().events() == 0) {
      throw new GlassboxException(spec.data().describe() + " has no events" + (table.droppedRows() > 0 ? " left after dropping "
          + table.droppedRows() + " with NaN or Inf" : "") + ".");
    }
    List<RunResult.ModelResult> models = new ArrayList<>();
    FloatTensor reference = loaded.reference().orElse(null);
    ExecutionOptions exec = new ExecutionOptions(spec.threads(), spec.batchSize());
    Map<String, double[]> observables = new LinkedHashMap<>(loaded.observables());
    List<RunResult.ObservableColumn> computed = computeObservables(spec, loaded, observables, progress);
    // Networks trained here learn from the first train_fraction of the events; everything is then measured on the rest,
    // so no method, AUC or ADO is computed on the events a network was trained on.
    EventTable trainTable = null;
    if (spec.models().stream().anyMatch(m -> m.train() != null)) {
      int n = table.events();
      int cut = (int) Math.round(spec.trainFraction() * n);
      if (cut < 2 || n - cut < 2) {
        throw new GlassboxException("train_fraction " + spec.trainFraction() + " of " + n + " events leaves too few events to"
            + " train on or to analyse; use more events.");
      }
      trainTable = rows(table, 0, cut);
      table = rows(table, cut, n);
      if (reference != null) reference = reference.slice(cut, n);
      for (var e : observables.entrySet()) e.setValue(Arrays.copyOfRange(e.getValue(), cut, n));
    }
    RunResult.DataSummary summary = new RunResult.DataSummary(table.source(), table.sha256(),
        table.features().events(), table.droppedRows(), table.featureNames(), table.labels() != null, table.weights() != null,
        loaded.truth().orElse(null), trainTable == null ? 0 : trainTable.events(), 0, loaded.layout().orElse(null));
    InputPacking packing = loaded.layout().map(InputLayout::packing).orElse(null);
    java.util.BitSet fixed = loaded.layout().map(InputLayout::fixed).orElse(null);
    Map<String, double[]> modelScores = new LinkedHashMap<>();
    Map<String, double[]> neuronScores = new LinkedHashMap<>();
    List<RunResult.SurrogateResult> surrogates = new ArrayList<>();
    for (RunSpec.ModelSpec ms : spec.models()) {
      if (ms.train() != null && packing != null) {
        throw new GlassboxException("Model " + ms.name() + ": networks trained in the run take one input; with data.inputs"
            + " bring a trained ONNX model (file:) instead.");
      }
    }
    EngineTraining training0 = new EngineTraining(exec, progress);
    for (RunSpec.ModelSpec ms : spec.models()) {
      progress.checkCancelled();
      RunResult.Training training = ms.train() == null ? null : train(ms, trainTable, exec, progress);
      try (OnnxModel model = training == null ? OnnxModel.load(ms.file(), exec, packing)
              : OnnxModel.of(parse(training.onnx()), ms.name() + ".onnx", exec);
          OnnxModelAccess access = new OnnxModelAccess(model)) {
        TableEventData data = new TableEventData(shapeFor(model, table, spec), table.featureNames(), table.weights(), table.labels(),
            fixed, reference);
        List<RunResult.NeuronResult> neurons = new ArrayList<>();
        List<RunResult.PopulationResult> populations = new ArrayList<>();
        for (String text : spec.neurons()) {
          Neuron neuron = access.neuron(text, spec.direction());
          RunResult.NeuronResult nr = runNeuron(spec, access, neuron, data, progress);
          neurons.add(nr);
          for (RunSpec.MethodSpec mm : spec.maximization()) {
            populations.add(population(spec, ms, text, mm, access, neuron, data, nr, distributed, progress));
          }
        }
        DistributedScores everyEvent = distributed != null ? distributed
            : spec.data() instanceof DataSource.File f && f.stream() > 0 ? new DistributedScores.Streamed(catalog, f,
                loaded.layout().orElse(null)) : null;
        if (everyEvent != null && training == null) {
          DistributedScores.Totals totals = everyEvent.totals(spec, ms, progress);
          neurons = withTotals(totals, model, neurons);
          summary = summary.withStreamedEvents(totals.events());
        }
        String file = training == null ? ms.file().toString() : "models/" + ms.name() + ".onnx";
        List<RunResult.LearningProgress> learning = learningProgress(spec, ms, training, table, exec, packing, fixed,
            reference, progress);
        // Every neuron as "<model>:<neuron>", so similarity can ask which neuron resembles an observable (seed 000
        // Fig. 9); the model itself stands for its first neuron.
        for (RunResult.NeuronResult nr : neurons) {
          neuronScores.put(ms.name() + ":" + nr.neuron().label(), signed(access.value(nr.neuron(), data.inputs()).data(),
              nr.neuron().direction()));
        }
        modelScores.put(ms.name(), neuronScores.get(ms.name() + ":" + neurons.get(0).neuron().label()));
        for (RunSpec.SurrogateSpec ss : spec.surrogates()) {
          if (!ss.model().equals(ms.name())) continue;
          surrogates.add(surrogate(spec, ss, access, data, observables, training0, progress));
        }
        models.add(new RunResult.ModelResult(ms.name(), file, model.sha256(), model.producer(), model.opset(), neurons,
            training, learning, populations));
      }
    }
    List<RunResult.SimilarityResult> similarity = new ArrayList<>();
    for (RunSpec.SimilaritySpec ss : spec.similarity()) {
      similarity.add(similarity(spec, ss, table, modelScores, neuronScores, observables, progress));
    }
    return new RunResult(spec, Provenance.of(spec), summary, models, computed, similarity, surrogates);
  }

  /**
   * A maximization method's population for a neuron, clustered by every clustering method on the
   * neuron's two leading inputs (by activation difference when it ran, else the first attribution
   * method, else the inputs whose population mean moved furthest from the data's, in data standard deviations).
   * The starts are climbed by {@code distributed} when it takes them ({@link DistributedScores#population}), else here.
   */
  private RunResult.PopulationResult population(RunSpec spec, RunSpec.ModelSpec ms, String text, RunSpec.MethodSpec mm,
      OnnxModelAccess access, Neuron neuron, TableEventData data, RunResult.NeuronResult nr, DistributedScores distributed,
      Progress progress) {
    progress.checkCancelled();
    if (data.inputs().shape().length != 2) {
      throw new GlassboxException(mm.where() + ": maximization works on vector inputs (events x features); model "
          + access.name() + " takes " + Arrays.toString(data.inputs().eventShape()) + " per event.");
    }
    long start = System.nanoTime();
    var method = catalog.maximization().get(mm.id());
    org.glassbox.api.maximization.Population pop = distributed == null ? null
        : distributed.population(spec, ms, mm, text, data, progress);
    if (pop == null) {
      pop = placed(spec, "maximization", mm,
          () -> method.maximize(new Contexts.Maximization(access, neuron, data, mm.options(), spec.seed(), progress)));
    }
    int f = data.inputs().eventSize();
    double[] importance = null;
    for (RunResult.MethodResult mr : nr.methods()) {
      if (mr.id().equals("activation-difference")) importance = mr.inputScores();
    }
    if (importance == null && !nr.methods().isEmpty()) importance = nr.methods().get(0).inputScores();
    if (importance == null) importance = meanShift(pop, data);
    int[] order = RankStatistics.order(importance);
    int dims = Math.min(2, f);
    List<String> names = data.featureNames().size() == f ? data.featureNames() : null;
    List<String> projection = new ArrayList<>();
    int[] cols = new int[dims];
    for (int k = 0; k < dims; k++) {
      cols[k] = order[k];
      projection.add(names != null ? names.get(order[k]) : "x" + order[k]);
    }
    List<RunResult.ClusterResult> clusters = new ArrayList<>();
    int m = pop.points().events();
    if (m > 0) {
      float[] projected = new float[m * dims];
      for (int p = 0; p < m; p++) for (int k = 0; k < dims; k++) projected[p * dims + k] = pop.points().data()[p * f + cols[k]];
      FloatTensor points = FloatTensor.of(projected, m, dims);
      for (RunSpec.MethodSpec cm : spec.clustering()) {
        progress.checkCancelled();
        org.glassbox.api.clustering.Clusters c = placed(spec, "clustering", cm, () -> catalog.clustering().get(cm.id()).cluster(
            new Contexts.Clustering(points, projection, cm.options(), spec.seed())));
        clusters.add(new RunResult.ClusterResult(cm.id(), cm.options(), projection, c));
      }
    }
    return new RunResult.PopulationResult(neuron.label(), mm.id(), mm.options(), pop, projection,
        dependentPair(spec, pop, names), clusters, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The two inputs that depend most on each other within a population (seed 000: the pairs to show as
   * 2-D histograms), by the installed mutual-information method; empty without it.
   */
  private List<String> dependentPair(RunSpec spec, org.glassbox.api.maximization.Population pop, List<String> names) {
    int f = pop.features().size();
    int m = pop.points().events();
    if (f < 3 || m < 20 || !catalog.similarity().has("mutual-information")) return List.of();
    var mi = catalog.similarity().get("mutual-information");
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (int j = 0; j < f; j++) {
      double[] c = new double[m];
      for (int p = 0; p < m; p++) c[p] = pop.points().data()[p * f + j];
      columns.put(pop.features().get(j), c);
    }
    Options defaults = Options.defaults(mi.options());
    double[] ones = ones(m);
    org.glassbox.api.similarity.Similarity s = mi.compare(new Contexts.Similarity(columns, java.util.Optional.empty(), ones,
        defaults, spec.seed()));
    int bi = -1;
    int bj = -1;
    for (int i = 0; i < f; i++) {
      for (int j = i + 1; j < f; j++) {
        double v = s.matrix()[i][j];
        if (Double.isFinite(v) && (bi < 0 || v > s.matrix()[bi][bj])) {
          bi = i;
          bj = j;
        }
      }
    }
    return bi < 0 ? List.of() : List.of(s.names().get(bi), s.names().get(bj));
  }

  /** |population mean − data mean| / data standard deviation, per input. */
  private static double[] meanShift(org.glassbox.api.maximization.Population pop, TableEventData data) {
    int f = data.inputs().eventSize();
    int n = data.inputs().events();
    int m = pop.points().events();
    double[] out = new double[f];
    for (int j = 0; j < f; j++) {
      double s = 0;
      double s2 = 0;
      for (int e = 0; e < n; e++) {
        double v = data.inputs().data()[e * f + j];
        s += v;
        s2 += v * v;
      }
      double mean = s / n;
      double sd = Math.sqrt(Math.max(s2 / n - mean * mean, 1e-24));
      double pm = 0;
      for (int p = 0; p < m; p++) pm += pop.points().data()[p * f + j];
      out[j] = m == 0 ? 0 : Math.abs(pm / m - mean) / sd;
    }
    return out;
  }

  /** Events [from, to) of a table. */
  private static EventTable rows(EventTable t, int from, int to) {
    return new EventTable(t.source(), t.sha256(), t.featureNames(), t.features().slice(from, to),
        t.labels() == null ? null : Arrays.copyOfRange(t.labels(), from, to),
        t.weights() == null ? null : Arrays.copyOfRange(t.weights(), from, to), t.droppedRows(), t.totalRows());
  }

  private static double[] signed(float[] z, int direction) {
    double[] out = new double[z.length];
    for (int e = 0; e < z.length; e++) out[e] = direction * (double) z[e];
    return out;
  }

  /** Runs the observable providers on the data's particle lists; their columns join the observables. */
  private List<RunResult.ObservableColumn> computeObservables(RunSpec spec, DataSource.Loaded loaded,
      Map<String, double[]> observables, Progress progress) {
    List<RunResult.ObservableColumn> out = new ArrayList<>();
    for (RunSpec.MethodSpec m : spec.observables()) {
      progress.checkCancelled();
      org.glassbox.api.observables.ParticleData particles = loaded.particles().orElseThrow(() -> new GlassboxException(
          "Observable provider '" + m.id() + "' (" + m.where() + ") computes columns from particle lists, but "
              + spec.data().describe() + " has none; use a jet toy (two-prong-jets, xaug-jets) or a data set with particles."));
      var provider = catalog.observables().get(m.id());
      Map<String, double[]> columns = placed(spec, "observables", m, () -> provider.compute(particles, m.options(), progress));
      for (var e : columns.entrySet()) {
        if (observables.containsKey(e.getKey())) {
          throw new GlassboxException("Observable provider '" + m.id() + "' makes a column '" + e.getKey() + "' that the"
              + " data already has; rename one of them.");
        }
        observables.put(e.getKey(), e.getValue());
        out.add(new RunResult.ObservableColumn(e.getKey(), m.id(), provider.describe(e.getKey(), m.options())));
      }
    }
    return out;
  }

  /** A similarity method over models (their first neuron), observables and data features. */
  private RunResult.SimilarityResult similarity(RunSpec spec, RunSpec.SimilaritySpec ss, EventTable table,
      Map<String, double[]> modelScores, Map<String, double[]> neuronScores, Map<String, double[]> observables,
      Progress progress) {
    progress.checkCancelled();
    Map<String, double[]> functions = new LinkedHashMap<>();
    List<String> names = ss.functions();
    if (names.isEmpty()) {
      functions.putAll(modelScores);
      functions.putAll(observables);
    } else {
      for (String name : names) {
        double[] f = modelScores.containsKey(name) ? modelScores.get(name)
            : neuronScores.containsKey(name) ? neuronScores.get(name) : observables.get(name);
        if (f == null && table.featureNames().contains(name)) {
          int j = table.featureNames().indexOf(name);
          int n = table.features().events();
          int w = table.features().eventSize();
          f = new double[n];
          for (int e = 0; e < n; e++) f[e] = table.features().data()[e * w + j];
        }
        if (f == null) {
          List<String> known = new ArrayList<>(modelScores.keySet());
          known.addAll(neuronScores.keySet());
          known.addAll(observables.keySet());
          known.addAll(table.featureNames());
          throw new GlassboxException(ss.method().where() + ": 'functions' names '" + name + "', which is neither a model,"
              + " a model's neuron (<model>:<neuron>, from 'neurons'), an observable nor a data column. " + Providers.suggestion(name, known) + " Known: "
              + String.join(", ", known.size() > 30 ? known.subList(0, 30) : known) + (known.size() > 30 ? ", ..." : "") + ".");
        }
        functions.put(name, f);
      }
    }
    long start = System.nanoTime();
    var method = catalog.similarity().get(ss.method().id());
    progress.start("similarity: " + ss.method().id() + " over " + functions.size() + " functions", 1);
    double[] weights = table.weights() != null ? table.weights() : ones(table.features().events());
    org.glassbox.api.similarity.Similarity sim = placed(spec, "similarity", ss.method(), () -> method.compare(new Contexts.Similarity(
        functions, java.util.Optional.ofNullable(table.labels()), weights, ss.method().options(), spec.seed())));
    progress.step(1);
    return new RunResult.SimilarityResult(ss.method().id(), ss.method().options(), sim, (System.nanoTime() - start) / 1e9);
  }

  /** A surrogate method for one model's neuron, with the observables as candidates and the trainer as a service. */
  private RunResult.SurrogateResult surrogate(RunSpec spec, RunSpec.SurrogateSpec ss, OnnxModelAccess access,
      TableEventData data, Map<String, double[]> observables, EngineTraining training, Progress progress) {
    progress.checkCancelled();
    Neuron neuron = access.neuron(ss.neuron(), spec.direction());
    var method = catalog.surrogate().get(ss.method().id());
    long start = System.nanoTime();
    org.glassbox.api.surrogate.Surrogate result = placed(spec, "surrogates", ss.method(), () -> method.fit(new Contexts.Surrogate(
        access, neuron, data, observables, ss.method().options(), training, spec.seed(), progress)));
    return new RunResult.SurrogateResult(ss.method().id(), ss.model(), neuron.label(), ss.method().options(), result,
        (System.nanoTime() - start) / 1e9);
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }

  /**
   * Seed 003's learning progress: every method's scores on every checkpoint of the model (the
   * trainer's, or the files named by 'checkpoints:'), on the first compare.faithfulness_events events.
   */
  private List<RunResult.LearningProgress> learningProgress(RunSpec spec, RunSpec.ModelSpec ms, RunResult.Training training,
      EventTable table, ExecutionOptions exec, InputPacking packing, java.util.BitSet fixed, FloatTensor reference,
      Progress progress) {
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
      loaders.add(() -> OnnxModel.load(c.file(), exec, packing));
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
        TableEventData data = new TableEventData(shapeFor(model, part, spec), part.featureNames(), part.weights(), part.labels(),
            fixed, reference == null ? null : reference.slice(0, n));
        for (int k = 0; k < neurons; k++) {
          Neuron neuron = access.neuron(spec.neurons().get(k), spec.direction());
          for (int m = 0; m < methods; m++) {
            RunSpec.MethodSpec ms2 = spec.attribution().get(m);
            Attribution a = placed(spec, "methods", ms2, () -> catalog.attribution().get(ms2.id()).attribute(context(access, neuron,
                data, ms2.options(), spec.seed(), Progress.NONE)));
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
    if (table.labels() == null) {
      throw new GlassboxException("Model " + ms.name() + " is to be trained, but the data has no labels: add 'label:' to the"
          + " data block.");
    }
    RunSpec.TrainSpec t = ms.train();
    Network network = new Network(x.eventShape(), t.conv(), t.hidden(), t.activation());
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
  static FloatTensor shapeFor(OnnxModel model, EventTable table, RunSpec spec) {
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
      Attribution a = placed(spec, "methods", m, () -> method.attribute(context(access, neuron, data, m.options(), spec.seed(),
          progress)));
      progress.step(1);
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] scores = inputScores(a, inputs);
      boolean perInput = a.perEvent().isPresent() && a.perEvent().get().eventSize() == inputs
          && a.perEvent().get().events() == data.inputs().events();
      List<RunResult.Profile> profiles = perInput ? profiles(a, data, scores) : List.of();
      RunResult.HeatMaps maps = perInput ? heatMaps(a, data) : null;
      results.add(new RunResult.MethodResult(m.id(), method.version(), m.options(), method.conventions(), a, scores, seconds,
          profiles, maps));
    }
    double auc = Double.NaN;
    if (data.labelsOrNull() != null) auc = auc(access, neuron, data.inputs(), data.labelsOrNull(), data.weightsOrNull());
    return new RunResult.NeuronResult(neuron, auc, results, compare(spec, access, neuron, data, results, progress));
  }

  /**
   * The methods' scores and each neuron's AUC over every event, from {@code scores}, put into the
   * neuron results of the first chunk (whose per-event arrays, profiles, maps and comparisons stay).
   */
  private static List<RunResult.NeuronResult> withTotals(DistributedScores.Totals totals, OnnxModel model,
      List<RunResult.NeuronResult> head) {
    List<RunResult.NeuronResult> out = new ArrayList<>();
    int inputs = (int) java.util.Arrays.stream(model.input().eventShape()).reduce(1, (a, b) -> a * b);
    for (int i = 0; i < head.size(); i++) {
      RunResult.NeuronResult nr = head.get(i);
      List<RunResult.MethodResult> methods = new ArrayList<>();
      for (int m = 0; m < nr.methods().size(); m++) {
        RunResult.MethodResult mr = nr.methods().get(m);
        Attribution all = totals.attributions()[i][m];
        Attribution a = new Attribution(all.features(), all.inputsOf(), all.scores(), mr.attribution().perEvent(),
            all.summary(), all.scoreName());
        methods.add(new RunResult.MethodResult(mr.id(), mr.version(), mr.options(), mr.conventions(), a, inputScores(a, inputs),
            mr.seconds(), mr.profiles(), mr.heatMaps()));
      }
      double auc = Double.isNaN(totals.auc()[i]) ? nr.auc() : totals.auc()[i];
      out.add(new RunResult.NeuronResult(nr.neuron(), auc, methods, nr.comparison()));
    }
    return out;
  }







  /** Profiles of the three leading inputs: 20 quantile bins of the input, the mean per-event value in each. */
  static List<RunResult.Profile> profiles(Attribution a, TableEventData data, double[] scores) {
    float[] v = a.perEvent().get().data();
    float[] x = data.inputs().data();
    int n = data.inputs().events();
    int f = data.inputs().eventSize();
    int[] order = RankStatistics.order(scores);
    List<RunResult.Profile> out = new ArrayList<>();
    for (int k = 0; k < Math.min(3, order.length); k++) {
      int j = order[k];
      Integer[] idx = new Integer[n];
      for (int e = 0; e < n; e++) idx[e] = e;
      final int col = j;
      Arrays.sort(idx, (p, q) -> Float.compare(x[p * f + col], x[q * f + col]));
      int bins = Math.min(20, n);
      double[] cx = new double[bins];
      double[] mean = new double[bins];
      long[] count = new long[bins];
      for (int b = 0; b < bins; b++) {
        int from = (int) ((long) b * n / bins);
        int to = (int) ((long) (b + 1) * n / bins);
        for (int q = from; q < to; q++) {
          cx[b] += x[idx[q] * f + j];
          mean[b] += v[idx[q] * f + j];
        }
        count[b] = to - from;
        cx[b] /= Math.max(1, to - from);
        mean[b] /= Math.max(1, to - from);
      }
      String name = j < data.featureNames().size() ? data.featureNames().get(j) : "x" + j;
      out.add(new RunResult.Profile(name, cx, mean, count));
    }
    return out;
  }

  /** For image inputs ([N, C, H, W] or [N, H, W]) with labels: the mean per-event value per pixel, by class. */
  static RunResult.HeatMaps heatMaps(Attribution a, TableEventData data) {
    long[] shape = data.inputs().shape();
    if (shape.length < 3 || data.labelsOrNull() == null) return null;
    int h = (int) shape[shape.length - 2];
    int w = (int) shape[shape.length - 1];
    int f = data.inputs().eventSize();
    int channels = f / (h * w);
    float[] v = a.perEvent().get().data();
    int[] labels = data.labelsOrNull();
    double[] sig = new double[h * w];
    double[] bkg = new double[h * w];
    long ns = 0;
    long nb = 0;
    for (int e = 0; e < labels.length; e++) {
      double[] target = labels[e] == 1 ? sig : bkg;
      if (labels[e] == 1) ns++;
      else nb++;
      for (int c = 0; c < channels; c++) for (int p = 0; p < h * w; p++) target[p] += v[e * f + c * h * w + p];
    }
    for (int p = 0; p < h * w; p++) {
      sig[p] = ns > 0 ? sig[p] / ns : Double.NaN;
      bkg[p] = nb > 0 ? bkg[p] / nb : Double.NaN;
    }
    return new RunResult.HeatMaps(h, w, sig, bkg);
  }

  private static AttributionContext context(OnnxModelAccess access, Neuron neuron, TableEventData data, Options options,
      long seed, Progress progress) {
    return new Contexts.Attribution(access, neuron, data, options, seed, progress);
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
    // Inputs fed as they are (masks, indices) score 0 in every method: left out, they would only add ties.
    java.util.BitSet fixed = data.fixed();
    int width = data.inputs().eventSize();
    int[] attributed = java.util.stream.IntStream.range(0, width).filter(i -> !fixed.get(i)).toArray();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double[] a = attributedScores(results.get(i).inputScores(), attributed);
        double[] b = attributedScores(results.get(j).inputScores(), attributed);
        sp[i][j] = RankStatistics.spearman(a, b);
        kt[i][j] = RankStatistics.kendall(a, b);
        top[i][j] = RankStatistics.topKOverlap(a, b, spec.compare().topK());
      }
    }
    Map<String, double[]> curves = new LinkedHashMap<>();
    Map<String, Double> areas = new LinkedHashMap<>();
    int inputs = attributed.length;
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
        int[] order = RankStatistics.order(attributedScores(r.inputScores(), attributed));
        double[] curve = new double[steps + 1];
        float[] permuted = x.data().clone();
        SplittableRandom random = new SplittableRandom(spec.seed());
        for (int s = 0; s <= steps; s++) {
          if (s > 0) {
            for (int q = counts[s - 1]; q < counts[s]; q++) permuteColumn(permuted, n, width, attributed[order[q]], random);
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

  /** The scores of the attributed inputs only (all of them unless some are fed as they are). */
  private static double[] attributedScores(double[] scores, int[] attributed) {
    if (attributed.length == scores.length) return scores;
    double[] out = new double[attributed.length];
    for (int i = 0; i < out.length; i++) out[i] = attributed[i] < scores.length ? scores[attributed[i]] : 0;
    return out;
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

  /**
   * Calls a method of the analysis; an option error it raises during the run (one that needs the data)
   * is placed at the option's line of the analysis file, as validation places the others.
   */
  private static <T> T placed(RunSpec spec, String section, RunSpec.MethodSpec m, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (org.glassbox.api.OptionException e) {
      throw RunSpecParser.atOption(spec, section, m, e);
    }
  }
}
