package org.glassbox.engine.run;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.NeuronId;
import org.glassbox.api.OptionException;
import org.glassbox.api.Progress;
import org.glassbox.api.attribution.AttributionContext;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.api.clustering.ClusteringContext;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.maximization.MaximizationContext;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.api.similarity.SimilarityMethod;
import org.glassbox.api.surrogate.SurrogateContext;
import org.glassbox.api.surrogate.SurrogateMethod;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.data.DataReaders;
import org.glassbox.data.DataSpec;
import org.glassbox.data.EventTable;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.TensorInfo;
import org.glassbox.data.NanPolicy;
import org.glassbox.engine.train.Network;
import org.glassbox.engine.train.TrainingOptions;
import org.glassbox.toys.ToyGenerator;
import org.glassbox.toys.ToyGenerators;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.host.Providers;

/** Reads an analysis file into a {@link RunSpec}, or fails naming the file, line and column. */
public final class RunSpecParser {
  static final Set<String> TOP = Set.of("name", "seed", "model", "models", "data", "neurons", "direction", "methods",
      "observables", "similarity", "surrogates", "maximization", "clustering",
      "compare", "output", "threads", "batch_size", "train_fraction");
  static final Set<String> DATA = Set.of("file", "features", "label", "weight", "events", "nan", "dataset", "observables",
      "particles", "stream", "inputs", "reference");
  static final Set<String> MODEL = Set.of("name", "file", "train", "checkpoints");
  static final Set<String> TRAIN = Set.of("conv", "hidden", "activation", "epochs", "batch_size", "learning_rate", "validation",
      "patience", "seed", "checkpoint_every");
  static final Set<String> COMPARE = Set.of("top_k", "faithfulness", "faithfulness_events");

  private final MethodCatalog catalog;

  public RunSpecParser(MethodCatalog catalog) {
    this.catalog = catalog;
  }

  public RunSpec parse(Path file) {
    YamlNode root = YamlNode.load(file);
    Map<String, YamlNode> top = root.map(TOP);
    String name = top.containsKey("name") ? top.get("name").string()
        : file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    long seed = top.containsKey("seed") ? top.get("seed").integer() : 1;

    List<RunSpec.ModelSpec> models = new ArrayList<>();
    List<YamlNode> modelNodes = new ArrayList<>(); // where each model was given, for errors found in its file
    if (top.containsKey("model") && top.containsKey("models")) throw top.get("models").error("give either model or models, not both.");
    if (top.containsKey("model")) {
      models.add(RunSpec.ModelSpec.file(stem(top.get("model").resolvePath()), existing(top.get("model"), "model")));
      modelNodes.add(top.get("model"));
    } else if (top.containsKey("models")) {
      for (YamlNode m : top.get("models").list()) {
        Map<String, YamlNode> mm = m.map(MODEL);
        if (mm.containsKey("file") == mm.containsKey("train")) {
          throw m.error("each model needs either a 'file:' (an ONNX model) or a 'train:' block (a network the built-in"
              + " trainer trains on this data), not " + (mm.containsKey("file") ? "both." : "neither."));
        }
        if (mm.containsKey("train") && !mm.containsKey("name")) throw m.error("a trained model needs a 'name:'.");
        Path p = mm.containsKey("file") ? existing(mm.get("file"), "model") : null;
        String modelName = mm.containsKey("name") ? mm.get("name").string() : stem(p);
        if (!modelName.matches("[A-Za-z0-9._-]+")) {
          throw (mm.containsKey("name") ? mm.get("name") : m).error("model names are letters, digits, '.', '_' and '-' (they"
              + " name result files), got '" + modelName + "'.");
        }
        // Names key the result files: two models of one name would overwrite each other's tables.
        for (RunSpec.ModelSpec other : models) {
          if (other.name().equals(modelName)) {
            throw m.error("two models are named '" + modelName + "'; give each a different 'name:'.");
          }
        }
        List<RunSpec.Checkpoint> checkpoints = mm.containsKey("checkpoints") ? checkpoints(mm.get("checkpoints")) : List.of();
        if (!checkpoints.isEmpty() && mm.containsKey("train")) {
          throw mm.get("checkpoints").error("a trained model makes its own checkpoints: use 'checkpoint_every:' in 'train:'.");
        }
        models.add(new RunSpec.ModelSpec(modelName, p, mm.containsKey("train") ? train(mm.get("train"), seed) : null,
            checkpoints));
        modelNodes.add(mm.containsKey("file") ? mm.get("file") : m);
      }
    } else {
      throw root.error("no model: add 'model: path/to/model.onnx'.");
    }

    if (!top.containsKey("data")) throw root.error("no data: add a 'data:' block with at least 'file:'.");
    DataSource data = data(top.get("data"));

    List<String> neurons = top.containsKey("neurons") ? top.get("neurons").strings() : List.of("output");
    if (neurons.isEmpty()) {
      throw top.get("neurons").error("no neurons listed; name at least one, e.g. neurons: [output] (output, output[k],"
          + " L{layer}N{neuron} such as L1N0, or <tensor>[i]; 'glassbox inspect MODEL' lists them), or leave out"
          + " 'neurons:' for the output.");
    }
    if (top.containsKey("neurons")) {
      List<YamlNode> nodes = top.get("neurons").isScalar() ? List.of(top.get("neurons")) : top.get("neurons").list();
      for (YamlNode n : nodes) {
        try {
          NeuronId.parse(n.string());
        } catch (GlassboxException e) {
          throw n.error(e.getMessage());
        }
      }
    }
    int direction = 1;
    if (top.containsKey("direction")) {
      String d = top.get("direction").string();
      if (!d.equals("signal-high") && !d.equals("signal-low")) {
        throw top.get("direction").error("direction is signal-high (large values are signal-like) or signal-low, got '" + d + "'.");
      }
      direction = d.equals("signal-high") ? 1 : -1;
    }

    List<RunSpec.MethodSpec> methods = new ArrayList<>();
    if (top.containsKey("methods")) {
      for (Map.Entry<String, YamlNode> e : top.get("methods").map().entrySet()) {
        methods.add(method(e.getKey(), e.getValue(), catalog.attribution(), "method", Set.of()));
      }
      if (methods.isEmpty()) throw top.get("methods").error("no methods listed.");
    }
    List<RunSpec.MethodSpec> observables = new ArrayList<>();
    if (top.containsKey("observables")) {
      for (Map.Entry<String, YamlNode> e : top.get("observables").map().entrySet()) {
        observables.add(method(e.getKey(), e.getValue(), catalog.observables(), "observable provider", Set.of()));
      }
    }
    List<RunSpec.SimilaritySpec> similarity = new ArrayList<>();
    if (top.containsKey("similarity")) {
      for (Map.Entry<String, YamlNode> e : top.get("similarity").map().entrySet()) {
        RunSpec.MethodSpec m = method(e.getKey(), e.getValue(), catalog.similarity(), "similarity method", Set.of("functions"));
        YamlNode f = e.getValue().isMap() ? e.getValue().map().get("functions") : null;
        similarity.add(new RunSpec.SimilaritySpec(m, f == null ? List.of() : f.strings()));
      }
    }
    List<RunSpec.SurrogateSpec> surrogates = new ArrayList<>();
    if (top.containsKey("surrogates")) {
      for (Map.Entry<String, YamlNode> e : top.get("surrogates").map().entrySet()) {
        RunSpec.MethodSpec m = method(e.getKey(), e.getValue(), catalog.surrogate(), "surrogate method", Set.of("model", "neuron"));
        Map<String, YamlNode> given = e.getValue().isMap() ? e.getValue().map() : Map.of();
        String model = given.containsKey("model") ? given.get("model").string() : models.get(0).name();
        if (models.stream().noneMatch(ms -> ms.name().equals(model))) {
          throw given.get("model").error("no model is named '" + model + "'; the models are "
              + models.stream().map(RunSpec.ModelSpec::name).toList() + ".");
        }
        String neuron = given.containsKey("neuron") ? given.get("neuron").string() : neurons.get(0);
        surrogates.add(new RunSpec.SurrogateSpec(m, model, neuron));
      }
    }
    List<RunSpec.MethodSpec> maximization = new ArrayList<>();
    if (top.containsKey("maximization")) {
      for (Map.Entry<String, YamlNode> e : top.get("maximization").map().entrySet()) {
        maximization.add(method(e.getKey(), e.getValue(), catalog.maximization(), "maximization method", Set.of()));
      }
    }
    List<RunSpec.MethodSpec> clustering = new ArrayList<>();
    if (top.containsKey("clustering")) {
      if (maximization.isEmpty()) {
        throw top.get("clustering").error("clustering groups the populations of 'maximization:'; add a maximization method"
            + " (e.g. gradient-ascent: {}).");
      }
      for (Map.Entry<String, YamlNode> e : top.get("clustering").map().entrySet()) {
        clustering.add(method(e.getKey(), e.getValue(), catalog.clustering(), "clustering method", Set.of()));
      }
    }
    if (methods.isEmpty() && similarity.isEmpty() && surrogates.isEmpty() && maximization.isEmpty()) {
      throw root.error("nothing to do: add 'methods:' (e.g. {gradient: {}}), 'maximization:', 'similarity:' or 'surrogates:';"
          + " 'glassbox methods' lists them.");
    }

    RunSpec.Comparison compare = new RunSpec.Comparison(3, true, 20_000);
    if (top.containsKey("compare")) {
      Map<String, YamlNode> c = top.get("compare").map(COMPARE);
      int topK = c.containsKey("top_k") ? (int) positive(c.get("top_k")) : 3;
      boolean faith = !c.containsKey("faithfulness") || c.get("faithfulness").bool();
      int faithEvents = c.containsKey("faithfulness_events") ? (int) positive(c.get("faithfulness_events")) : 20_000;
      compare = new RunSpec.Comparison(topK, faith, faithEvents);
    }
    Path output = top.containsKey("output") ? top.get("output").resolvePath()
        : file.toAbsolutePath().getParent().resolve("glassbox-results").resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    int threads = top.containsKey("threads") ? (int) nonNegative(top.get("threads")) : 0;
    int batch = top.containsKey("batch_size") ? (int) positive(top.get("batch_size")) : 65_536;
    double trainFraction = 0.5;
    if (top.containsKey("train_fraction")) {
      trainFraction = top.get("train_fraction").number();
      if (!(trainFraction > 0 && trainFraction < 1)) {
        throw top.get("train_fraction").error("train_fraction is the share of events networks are trained on, between 0 and"
            + " 1 (exclusive), got " + trainFraction + ".");
      }
    }
    checkAgainstFiles(models, modelNodes, data, top.get("data"), top.get("neurons"));
    return new RunSpec(file, name, seed, models, data, neurons, direction, methods, observables, similarity, surrogates,
        maximization, clustering, compare, output, threads, batch, trainFraction);
  }

  /**
   * What only the model and data files can tell, checked now so that {@code run --check} catches what
   * would stop a run at once: each ONNX model is opened (its graph, not the data) to resolve the
   * neurons and to compare its inputs with {@code data.inputs} or with the data's values per event;
   * the data file is opened for its column names and first event only (no hashing, no full read;
   * HDF5 files, whose chunked datasets load whole, are left to the run).
   */
  private static void checkAgainstFiles(List<RunSpec.ModelSpec> models, List<YamlNode> modelNodes, DataSource data,
      YamlNode dataNode, YamlNode neuronsNode) {
    DataSource.File file = data instanceof DataSource.File f ? f : null;
    Map<String, YamlNode> d = file == null ? Map.of() : dataNode.map();
    EventTable head = file == null || !file.inputs().isEmpty() ? null : head(file, d, dataNode);
    List<String> arrays = file == null || file.inputs().isEmpty() ? List.of() : arrays(file, d);
    if (!arrays.isEmpty()) checkNamedArrays(file, d, arrays);
    for (int k = 0; k < models.size(); k++) {
      RunSpec.ModelSpec ms = models.get(k);
      if (ms.file() == null) continue;
      YamlNode at = modelNodes.get(k);
      try (OnnxModel m = openModel(ms.file(), at)) {
        List<TensorInfo> in = m.inputs();
        if (file != null && !file.inputs().isEmpty()) {
          checkInputs(m, file, d.get("inputs"), arrays);
        } else if (in.size() > 1) {
          throw (file != null ? dataNode : at).error(m.name() + " has " + in.size() + " inputs "
              + in.stream().map(TensorInfo::name).toList() + "; map each to an array of an NPZ or HDF5 file with"
              + " data.inputs: {<input>: {array: ...}} ('glassbox inspect " + ms.file().getFileName() + "' lists them).");
        } else if (head != null && in.size() == 1) {
          TensorInfo x = in.get(0);
          boolean known = java.util.Arrays.stream(x.eventShape()).allMatch(n -> n != TensorInfo.DYNAMIC);
          long got = head.features().eventSize();
          if (known && x.rank() > 0 && got != x.eventSize()) {
            throw (d.containsKey("features") ? d.get("features") : d.get("file")).error("the data has " + got
                + " values per event (" + head.featureNames().size() + " features " + head.featureNames() + ") but model "
                + m.name() + " expects input '" + x.name() + "' of shape " + x.shapeText() + " (" + x.eventSize()
                + " values per event). List the model's inputs, in order, under data.features.");
          }
        }
        if (neuronsNode != null) {
          for (YamlNode n : neuronsNode.isScalar() ? List.of(neuronsNode) : neuronsNode.list()) {
            try {
              m.resolve(NeuronId.parse(n.string()));
            } catch (GlassboxException e) {
              throw n.error(e.getMessage() + (models.size() > 1 ? " (model " + ms.name() + ")" : ""));
            }
          }
        }
      }
    }
  }

  /**
   * With data.inputs, the other arrays the data block names (label, weight, particles, references)
   * must be arrays of the same file: checked by name here, as the run would at start-up.
   */
  private static void checkNamedArrays(DataSource.File file, Map<String, YamlNode> d, List<String> arrays) {
    DataSpec spec = file.spec();
    requireArray(spec.label(), d.get("label"), file, arrays);
    requireArray(spec.weight(), d.get("weight"), file, arrays);
    requireArray(file.reference(), d.get("reference"), file, arrays);
    if (file.particles() != null && d.get("particles") != null) {
      YamlNode p = d.get("particles");
      requireArray(file.particles().dataset(), p.isMap() && p.map().containsKey("dataset") ? p.map().get("dataset") : p, file,
          arrays);
    }
    Map<String, YamlNode> given = d.containsKey("inputs") && d.get("inputs").isMap() ? d.get("inputs").map() : Map.of();
    for (DataSource.InputArray a : file.inputs()) {
      YamlNode at = given.get(a.input());
      YamlNode where = at != null && at.isMap() && at.map().containsKey("reference") ? at.map().get("reference") : at;
      requireArray(a.reference(), where, file, arrays);
    }
  }

  private static void requireArray(String name, YamlNode at, DataSource.File file, List<String> arrays) {
    if (name == null || at == null) return;
    String key = name.startsWith("/") ? name.substring(1) : name;
    if (arrays.contains(key) || arrays.contains(name)) return;
    String hint = Providers.suggestion(key, arrays);
    throw at.error(file.spec().file().getFileName() + " has no array '" + name + "'. " + (hint.isEmpty() ? "" : hint + " ")
        + "Its arrays are " + arrays + ".");
  }

  private static OnnxModel openModel(Path file, YamlNode at) {
    try {
      return OnnxModel.load(file, ExecutionOptions.defaults().withThreads(1));
    } catch (GlassboxException e) {
      throw at.error(e.getMessage());
    }
  }

  /**
   * The first event of a CSV, NPY or NPZ file, read with the run's column checks; null for HDF5, an
   * empty file (the Spark distribution validates Parquet input against an empty stand-in; a user's
   * empty file fails the run at once with its own message) or no events.
   */
  private static EventTable head(DataSource.File file, Map<String, YamlNode> d, YamlNode dataNode) {
    String name = file.spec().file().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) return null;
    try {
      if (Files.size(file.spec().file()) == 0) return null;
    } catch (java.io.IOException e) {
      return null; // unreadable: the run says so
    }
    List<DataSpec> specs = new ArrayList<>(List.of(file.spec()));
    if (!file.observables().isEmpty()) specs.add(file.spec().withFeatures(file.observables()));
    EventTable first = null;
    for (DataSpec spec : specs) {
      try (var chunks = DataReaders.chunks(spec.withMaxEvents(1), 1, "not hashed")) {
        EventTable t = chunks.findFirst().orElse(null);
        if (first == null) first = t;
      } catch (GlassboxException e) {
        throw located(e, d, dataNode);
      }
    }
    return first;
  }

  /** The arrays of the NPZ or HDF5 file named by data.inputs (their names only). */
  private static List<String> arrays(DataSource.File file, Map<String, YamlNode> d) {
    try {
      return DataReaders.arrays(file.spec().file());
    } catch (GlassboxException e) {
      throw d.get("file").error(e.getMessage());
    }
  }

  /** A data error placed at the data key whose value it quotes (e.g. a misspelt column), else at 'data:'. */
  private static GlassboxException located(GlassboxException e, Map<String, YamlNode> d, YamlNode dataNode) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    YamlNode best = dataNode;
    int first = Integer.MAX_VALUE; // the name quoted first is the one the message is about ("no column 'yy'. Available: ...")
    for (String key : List.of("label", "weight", "features", "observables", "dataset")) {
      YamlNode v = d.get(key);
      if (v == null) continue;
      for (YamlNode one : v.isList() ? v.list() : List.of(v)) {
        int at = one.isScalar() && one.text() != null ? message.indexOf("'" + one.text() + "'") : -1;
        if (at >= 0 && at < first) {
          first = at;
          best = one;
        }
      }
    }
    return best.error(message);
  }

  /** Every model input is mapped by data.inputs, every mapped name is a model input, and every array exists. */
  private static void checkInputs(OnnxModel m, DataSource.File file, YamlNode inputsNode, List<String> arrays) {
    List<String> names = m.inputs().stream().map(TensorInfo::name).toList();
    Map<String, YamlNode> given = inputsNode.map();
    for (DataSource.InputArray a : file.inputs()) {
      YamlNode at = given.get(a.input());
      if (!names.contains(a.input())) {
        String hint = Providers.suggestion(a.input(), names);
        throw at.error("'" + a.input() + "' is not an input of " + m.name() + ". " + (hint.isEmpty() ? "" : hint + " ")
            + "Its inputs are " + names + ".");
      }
      if (!arrays.contains(a.array())) {
        YamlNode where = at.isMap() && at.map().containsKey("array") ? at.map().get("array") : at;
        String hint = Providers.suggestion(a.array(), arrays);
        throw where.error(file.spec().file().getFileName() + " has no array '" + a.array() + "'. " + (hint.isEmpty() ? ""
            : hint + " ") + "Its arrays are " + arrays + ".");
      }
    }
    List<String> missing = names.stream().filter(n -> file.inputs().stream().noneMatch(a -> a.input().equals(n))).toList();
    if (!missing.isEmpty()) {
      throw inputsNode.error("model input" + (missing.size() == 1 ? " " : "s ") + missing + " of " + m.name() + " "
          + (missing.size() == 1 ? "has" : "have") + " no array; data.inputs maps every input " + names + ", e.g. "
          + missing.get(0) + ": {array: " + missing.get(0) + (m.inputs().stream().anyMatch(t -> t.name().equals(missing.get(0))
              && !t.isFloating()) ? ", differentiable: false" : "") + "}.");
    }
  }

  private static DataSource data(YamlNode node) {
    if (node.isMap() && node.map().containsKey("generator")) return generated(node);
    Map<String, YamlNode> d = node.map(DATA);
    if (!d.containsKey("file")) {
      throw node.error("data needs a 'file:' (CSV, NPY, NPZ or HDF5), or a 'generator:' (one of the toy data sets: "
          + String.join(", ", ToyGenerators.names()) + ").");
    }
    Path file = existing(d.get("file"), "data");
    List<String> features = d.containsKey("features") ? d.get("features").strings() : List.of();
    String label = d.containsKey("label") ? d.get("label").text() : null;
    String weight = d.containsKey("weight") ? d.get("weight").text() : null;
    long events = d.containsKey("events") ? positive(d.get("events")) : 0;
    NanPolicy nan = NanPolicy.ERROR;
    if (d.containsKey("nan")) {
      String v = d.get("nan").string();
      if (!v.equals("error") && !v.equals("drop")) throw d.get("nan").error("nan is 'error' (stop at the first NaN or Inf) or 'drop' (skip such events), got '" + v + "'.");
      nan = v.equals("drop") ? NanPolicy.DROP : NanPolicy.ERROR;
    }
    String dataset = d.containsKey("dataset") ? d.get("dataset").text() : null;
    List<String> observables = d.containsKey("observables") ? d.get("observables").strings() : List.of();
    DataSource.Particles particles = null;
    if (d.containsKey("particles")) {
      Map<String, YamlNode> p = d.get("particles").map(Set.of("dataset", "fields"));
      if (!p.containsKey("dataset") || !p.containsKey("fields")) {
        throw d.get("particles").error("particles needs 'dataset:' (the [events, particles, fields] array in the NPZ or"
            + " HDF5 file) and 'fields:' (their names, e.g. [pt, eta, phi]).");
      }
      particles = new DataSource.Particles(p.get("dataset").string(), p.get("fields").strings());
    }
    int stream = d.containsKey("stream") ? (int) positive(d.get("stream")) : 0;
    List<DataSource.InputArray> inputs = d.containsKey("inputs") ? inputs(d.get("inputs")) : List.of();
    if (!inputs.isEmpty()) {
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (!name.endsWith(".npz") && !name.endsWith(".h5") && !name.endsWith(".hdf5")) {
        throw d.get("inputs").error("inputs maps model inputs to arrays of an NPZ or HDF5 file; " + file.getFileName()
            + " is neither.");
      }
      for (String clash : List.of("features", "dataset")) {
        if (d.containsKey(clash)) {
          throw d.get(clash).error(clash + " cannot be used with inputs: each model input names its own array there.");
        }
      }
      if (nan == NanPolicy.DROP) {
        throw d.get("nan").error("nan: drop cannot be used with inputs (each array would drop its own rows); clean the"
            + " arrays or use nan: error to find the bad rows.");
      }
    }
    String reference = d.containsKey("reference") ? d.get("reference").string() : null;
    if (reference != null || inputs.stream().anyMatch(i -> i.reference() != null)) {
      YamlNode where = d.containsKey("reference") ? d.get("reference") : d.get("inputs");
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".csv")) {
        throw where.error("reference names an array of an NPZ or HDF5 file (or a sibling .npy file) holding each event's"
            + " reference event; " + file.getFileName() + " is a CSV file.");
      }
      if (reference != null && !inputs.isEmpty()) {
        throw where.error("with inputs, give each input its own reference: inputs: {<input>: {array: ..., reference: ...}}.");
      }
      if (nan == NanPolicy.DROP) throw d.get("nan").error("nan: drop cannot be used with a reference array (the rows would"
          + " no longer match); clean the data or use nan: error.");
      if (stream > 0) throw d.get("stream").error("stream cannot be used with a reference array yet.");
    }
    return new DataSource.File(new DataSpec(file, features, label, weight, events, nan, dataset), observables, particles,
        stream, inputs, reference);
  }

  /** Keys of one entry of {@code data.inputs}. */
  static final Set<String> INPUT = Set.of("array", "axes", "names", "differentiable", "reference");

  /**
   * {@code data.inputs: {<model input>: {array: KEY, axes: [particle, feature], names: [pt, eta, phi],
   * differentiable: false}}}; an entry may also be just the array's name.
   */
  private static List<DataSource.InputArray> inputs(YamlNode node) {
    List<DataSource.InputArray> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
      YamlNode v = e.getValue();
      if (v.isScalar()) {
        out.add(new DataSource.InputArray(e.getKey(), v.string(), List.of(), List.of(), true));
        continue;
      }
      Map<String, YamlNode> m = v.map(INPUT);
      out.add(new DataSource.InputArray(e.getKey(), m.containsKey("array") ? m.get("array").string() : e.getKey(),
          m.containsKey("axes") ? m.get("axes").strings() : List.of(), m.containsKey("names") ? m.get("names").strings()
              : List.of(), !m.containsKey("differentiable") || m.get("differentiable").bool(),
          m.containsKey("reference") ? m.get("reference").string() : null));
    }
    if (out.isEmpty()) throw node.error("inputs needs at least one model input: {<input name>: {array: <array name>}}.");
    if (out.stream().noneMatch(DataSource.InputArray::differentiable)) {
      throw node.error("every input in inputs is 'differentiable: false'; at least one must be attributed.");
    }
    return out;
  }

  /** {@code data: {generator: NAME, features: [...], <generator options>}}: keys checked against the generator's options. */
  private static DataSource generated(YamlNode node) {
    YamlNode g = node.map().get("generator");
    ToyGenerator generator;
    try {
      generator = ToyGenerators.get(g.string());
    } catch (GlassboxException e) {
      throw g.error(e.getMessage());
    }
    Set<String> allowed = new java.util.LinkedHashSet<>(List.of("generator", "features", "observables"));
    generator.options().forEach(o -> allowed.add(o.name()));
    Map<String, YamlNode> d = node.map(allowed);
    if (d.containsKey("events")) positive(d.get("events"));
    Map<String, String> options = new LinkedHashMap<>();
    for (var e : d.entrySet()) {
      if (!List.of("generator", "features", "observables").contains(e.getKey())) options.put(e.getKey(), e.getValue().string());
    }
    List<String> features = d.containsKey("features") ? d.get("features").strings() : List.of();
    List<String> observables = d.containsKey("observables") ? d.get("observables").strings() : List.of();
    DataSource.Generated source = new DataSource.Generated(generator.name(), options, features, observables);
    // Options are validated now, on a tiny draw, so that a bad value stops the run before any work.
    Map<String, String> probe = new LinkedHashMap<>(options);
    probe.put("events", "100");
    try {
      new DataSource.Generated(generator.name(), probe, features, observables).load();
    } catch (GlassboxException e) {
      throw node.error(e.getMessage());
    }
    return source;
  }

  /**
   * {@code checkpoints: ckpt/step_*.onnx} (a glob in one folder) or a list of files: the same network
   * at successive training steps, ordered by the step, which is the last number in each file name
   * (or the position in the list).
   */
  private static List<RunSpec.Checkpoint> checkpoints(YamlNode node) {
    List<Path> files = new ArrayList<>();
    if (node.isScalar() && node.string().contains("*")) {
      Path pattern = node.resolvePath();
      Path folder = pattern.getParent();
      var matcher = folder.getFileSystem().getPathMatcher("glob:" + pattern.getFileName());
      try (var s = Files.list(folder)) {
        s.filter(f -> matcher.matches(f.getFileName())).forEach(files::add);
      } catch (java.io.IOException e) {
        throw node.error("cannot list " + folder + ": " + e.getMessage());
      }
      if (files.isEmpty()) throw node.error("no file matches " + pattern + ".");
    } else {
      for (YamlNode f : node.isList() ? node.list() : List.of(node)) files.add(existing(f, "checkpoint"));
    }
    List<RunSpec.Checkpoint> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(?!.*\\d)").matcher(files.get(i).getFileName().toString());
      out.add(new RunSpec.Checkpoint(m.find() ? Long.parseLong(m.group(1)) : i, files.get(i)));
    }
    out.sort(java.util.Comparator.comparingLong(RunSpec.Checkpoint::step));
    return out;
  }

  /**
   * {@code train: {hidden: [32, 32], activation: relu, epochs: 50, batch_size: 256, learning_rate: 0.001,
   * validation: 0.2, patience: 5, seed: 1, checkpoint_every: 0}}; the seed defaults to the run's.
   */
  private static RunSpec.TrainSpec train(YamlNode node, long runSeed) {
    Map<String, YamlNode> t = node.map(TRAIN);
    TrainingOptions d = TrainingOptions.defaults();
    int[] hidden = {32, 32};
    if (t.containsKey("hidden")) {
      List<YamlNode> widths = t.get("hidden").list();
      hidden = new int[widths.size()];
      for (int i = 0; i < hidden.length; i++) hidden[i] = (int) positive(widths.get(i));
    }
    List<Network.ConvBlock> conv = new ArrayList<>();
    if (t.containsKey("conv")) {
      for (YamlNode block : t.get("conv").list()) {
        List<YamlNode> pair = block.isList() ? block.list() : List.of();
        if (pair.size() != 2) throw block.error("each convolution block is [channels, kernel], e.g. [8, 3].");
        try {
          conv.add(new Network.ConvBlock((int) positive(pair.get(0)), (int) positive(pair.get(1))));
        } catch (GlassboxException e) {
          throw block.error(e.getMessage());
        }
      }
    }
    Network.Activation activation = Network.Activation.RELU;
    if (t.containsKey("activation")) {
      try {
        activation = Network.Activation.of(t.get("activation").string());
      } catch (GlassboxException e) {
        throw t.get("activation").error(e.getMessage());
      }
    }
    try {
      TrainingOptions o = new TrainingOptions(
          t.containsKey("epochs") ? (int) positive(t.get("epochs")) : d.epochs(),
          t.containsKey("batch_size") ? (int) positive(t.get("batch_size")) : d.batchSize(),
          t.containsKey("learning_rate") ? t.get("learning_rate").number() : d.learningRate(),
          t.containsKey("validation") ? t.get("validation").number() : d.validationFraction(),
          t.containsKey("patience") ? (int) positive(t.get("patience")) : d.patience(),
          t.containsKey("seed") ? t.get("seed").integer() : runSeed,
          t.containsKey("checkpoint_every") ? (int) nonNegative(t.get("checkpoint_every")) : d.checkpointEvery());
      return new RunSpec.TrainSpec(conv, hidden, activation, o);
    } catch (GlassboxException e) {
      throw node.error(e.getMessage());
    }
  }

  /** An installed provider of one SPI, with its options validated; engine-level keys (e.g. 'functions') are skipped. */
  private static <T extends MethodProvider> RunSpec.MethodSpec method(String id, YamlNode node, Providers<T> providers,
      String what, Set<String> engineKeys) {
    List<String> installed = providers.all().stream().map(i -> i.provider().id()).toList();
    if (!providers.has(id)) {
      String hint = Providers.suggestion(id, installed);
      throw node.error("unknown " + what + " '" + id + "'. " + (hint.isEmpty() ? "" : hint + " ") + "Installed: "
          + (installed.isEmpty() ? "none" : String.join(", ", installed)) + ". A plugin jar may be missing from the plugins folder.");
    }
    T provider = providers.get(id);
    Options options = options(node, provider, engineKeys);
    probe(provider, options, node);
    return new RunSpec.MethodSpec(id, options, node.where());
  }

  /** Stops a probe at the method's first use of anything but its options. */
  private static final class ProbeEnd extends RuntimeException {
    ProbeEnd() {
      super(null, null, false, false);
    }
  }

  /**
   * Asks the method to check its options now, so that a bad value (e.g. {@code steps: -3}) is reported
   * with its line by {@code run --check}, not after the data is read. The SPI has no validation
   * hook, but methods check their options first: the method is called with a context that hands
   * out the options and stops it ({@link ProbeEnd}) at the first request for a model, data or
   * anything else. An {@link OptionException} raised by then is the user's; any other outcome is
   * left to the run. Observable providers take a record of particles, not a context, and are not probed.
   */
  private static void probe(MethodProvider provider, Options options, YamlNode node) {
    try {
      if (provider instanceof AttributionMethod m) {
        m.attribute(stub(AttributionContext.class, options));
      } else if (provider instanceof MaximizationMethod m) {
        m.maximize(stub(MaximizationContext.class, options));
      } else if (provider instanceof ClusteringMethod m) {
        m.cluster(stub(ClusteringContext.class, options));
      } else if (provider instanceof SimilarityMethod m) {
        m.compare(stub(SimilarityContext.class, options));
      } else if (provider instanceof SurrogateMethod m) {
        m.fit(stub(SurrogateContext.class, options));
      }
    } catch (OptionException e) {
      throw atOption(node, e);
    } catch (RuntimeException | LinkageError e) {
      // ProbeEnd, or a failure that needs the data: the run reports it.
    }
  }

  /** An option error at the option's value when it was written, else at the method. */
  private static GlassboxException atOption(YamlNode method, OptionException e) {
    YamlNode at = method.isMap() && e.option() != null && method.map().containsKey(e.option()) ? method.map().get(e.option())
        : method;
    String text = e.getMessage() == null ? "invalid value." : e.getMessage();
    return new GlassboxException(at.error(text + (text.matches("(?s).*[.!?)]$") ? "" : ".")).getMessage(), e);
  }

  /**
   * An option error that a method raised during the run (one that needs the data, e.g. integrated
   * gradients' {@code baseline: reference} without {@code data.reference}), placed as validation
   * places its errors: at the option's line of the analysis file, e.g. {@code analysis.yaml:9:33:
   * 'methods.integrated-gradients.baseline': ...}. {@code section} is the top-level key the method
   * is listed under ("methods", "maximization", ...).
   */
  public static GlassboxException atOption(RunSpec spec, String section, RunSpec.MethodSpec method, OptionException e) {
    try {
      YamlNode node = YamlNode.load(spec.source()).map().get(section).map().get(method.id());
      if (node != null) return atOption(node, e);
    } catch (RuntimeException reread) {
      // The file changed or is gone since validation: name the method's place as validation saw it.
    }
    String text = e.getMessage() == null ? "invalid value." : e.getMessage();
    return new GlassboxException(method.where() + ": '" + section + "." + method.id() + (e.option() == null ? "" : "."
        + e.option()) + "': " + text + (text.matches("(?s).*[.!?)]$") ? "" : "."), e);
  }

  /** A context of {@code type} that answers options(), seed() and progress() and ends the probe on anything else. */
  private static <C> C stub(Class<C> type, Options options) {
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
      switch (method.getName()) {
        case "options":
          return options;
        case "seed":
          return 1L;
        case "progress":
          return Progress.NONE;
        case "hashCode":
          return System.identityHashCode(self);
        case "equals":
          return self == args[0];
        case "toString":
          return "validation probe";
        default:
          throw new ProbeEnd();
      }
    });
    return type.cast(proxy);
  }

  /** Validates a method's options against its declared specs. */
  static Options options(YamlNode node, MethodProvider p) {
    return options(node, p, Set.of());
  }

  private static Options options(YamlNode node, MethodProvider p, Set<String> engineKeys) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (OptionSpec s : p.options()) values.put(s.name(), s.defaultValue());
    if (node.isScalar() && node.text() == null) return new Options(values);
    Set<String> names = new java.util.LinkedHashSet<>();
    p.options().forEach(s -> names.add(s.name()));
    names.addAll(engineKeys);
    if (node.isScalar()) throw node.error("options of '" + p.id() + "' are a mapping, e.g. {" + (names.isEmpty() ? "" : names.iterator().next() + ": ...") + "}, or {} for the defaults.");
    Map<String, YamlNode> given = names.isEmpty() && node.map().isEmpty() ? Map.of() : node.map(names);
    for (OptionSpec s : p.options()) {
      YamlNode v = given.get(s.name());
      if (v == null) continue;
      Object value = switch (s.type()) {
        case INTEGER -> v.integer();
        case NUMBER -> v.number();
        case BOOLEAN -> v.bool();
        case STRING -> v.string();
        case STRING_LIST -> v.strings();
        case NUMBER_LIST -> (v.isScalar() ? List.of(v) : v.list()).stream().map(YamlNode::number).toList();
      };
      if (!s.choices().isEmpty() && !s.choices().contains(value)) {
        throw v.error("'" + value + "' is not one of " + String.join(", ", s.choices()) + ". "
            + Providers.suggestion(String.valueOf(value), s.choices()));
      }
      values.put(s.name(), value);
    }
    return new Options(values);
  }

  private static Path existing(YamlNode node, String what) {
    Path p = node.resolvePath();
    if (Files.isDirectory(p)) {
      throw node.error(p + " is a directory; a " + what + " file is expected here" + (what.equals("data") ? "" : " (an .onnx file)")
          + ". Paths are relative to the analysis file.");
    }
    if (!Files.isRegularFile(p)) throw node.error(what + " file not found: " + p + " (paths are relative to the analysis file).");
    return p;
  }

  private static long positive(YamlNode n) {
    long v = n.integer();
    if (v < 1) throw n.error("must be at least 1, got " + v + ".");
    return v;
  }

  private static long nonNegative(YamlNode n) {
    long v = n.integer();
    if (v < 0) throw n.error("must be 0 or more, got " + v + ".");
    return v;
  }

  private static String stem(Path p) {
    return p.getFileName().toString().replaceFirst("\\.onnx$", "");
  }
}
