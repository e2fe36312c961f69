package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.api.FloatTensor;
import org.glassbox.engine.exec.CompiledGraph;
import org.glassbox.engine.exec.ExecutionOptions;

/**
 * An ONNX model loaded twice over: its protobuf graph (layers, tensors, shapes, derived graphs) and
 * an ONNX Runtime session that runs it. Owns every session compiled for it, derived graphs
 * included; {@link #close()} releases them all.
 */
public final class OnnxModel implements AutoCloseable {
  /** Lowest default-domain opset accepted (PyTorch's and tf2onnx's defaults are newer). */
  public static final int MIN_OPSET = 11;

  private final String name;
  private final String sha256;
  private final ModelProto proto;
  private final int opset;
  private final Shapes shapes;
  private final List<Layer> layers;
  private final ExecutionOptions options;
  private final Map<String, CompiledGraph> compiled = new ConcurrentHashMap<>();

  private OnnxModel(String name, String sha256, ModelProto proto, ExecutionOptions options) {
    this.name = name;
    this.sha256 = sha256;
    this.proto = proto;
    this.opset = Protos.opset(proto);
    this.options = options;
    if (opset < MIN_OPSET) {
      throw new GlassboxException(name + " uses ONNX opset " + opset + "; Glassbox needs opset " + MIN_OPSET
          + " or newer. Re-export it (torch.onnx.export(..., opset_version=13)) or upgrade it with"
          + " onnx.version_converter.");
    }
    for (NodeProto n : proto.getGraph().getNodeList()) {
      if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        throw new GlassboxException(name + ": node '" + n.getName() + "' uses operator " + n.getDomain() + "."
            + n.getOpType() + " outside the standard ONNX domain, which Glassbox cannot differentiate. Export the"
            + " model without custom or contrib operators.");
      }
    }
    this.shapes = ShapeProbe.probe(proto);
    this.layers = List.copyOf(LayerFinder.find(proto.getGraph(), shapes));
  }

  /** Reads an ONNX file; external tensor data is inlined, and must lie inside the model's folder. */
  public static OnnxModel load(Path file, ExecutionOptions options) {
    return load(file, options, null);
  }

  /**
   * Reads an ONNX file whose inputs are fed as one packed tensor (see {@link InputPacking}); with
   * {@code packing} null, as {@link #load(Path, ExecutionOptions)}.
   */
  public static OnnxModel load(Path file, ExecutionOptions options, InputPacking packing) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new GlassboxException("Model file not found: " + file + ". Check the path (relative paths start at "
          + Path.of("").toAbsolutePath() + ").");
    } catch (IOException e) {
      throw new GlassboxException("Cannot read model file " + file + ": " + e.getMessage(), e);
    }
    ModelProto proto;
    try {
      proto = parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new GlassboxException(file + " is not a readable ONNX model (" + e.getMessage() + "). Is the file"
          + " truncated, or in another format (a PyTorch .pt, a Keras .h5)? Export it with torch.onnx.export or"
          + " tf2onnx.");
    } catch (IOException e) {
      throw new GlassboxException("Cannot read model file " + file + ": " + e.getMessage(), e);
    }
    if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
      throw new GlassboxException(file + " is not an ONNX model: it has no graph nodes. Is the file truncated, or"
          + " in another format?");
    }
    proto = inlineExternalData(proto, file.toAbsolutePath().getParent());
    if (packing != null) proto = packing.wrap(proto, file.getFileName().toString());
    return new OnnxModel(file.getFileName().toString(), sha256(bytes), proto, options);
  }

  /** Parses a model's bytes with a bounded nesting depth (subgraphs nest; a hostile file could nest without end). */
  private static ModelProto parse(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setRecursionLimit(200);
    return ModelProto.parseFrom(in);
  }

  /**
   * A model from its bytes as shipped elsewhere (e.g. to a Spark executor), parsed as {@link #load}
   * parses a file; {@code name} names it in messages.
   */
  public static OnnxModel of(byte[] bytes, String name, ExecutionOptions options) {
    try {
      return of(parse(bytes), name, options);
    } catch (IOException e) {
      throw new GlassboxException("The model " + name + " did not arrive intact: " + e.getMessage(), e);
    }
  }

  /** Wraps an in-memory model (a derived graph, a cut, a test model). */
  public static OnnxModel of(ModelProto proto, String name, ExecutionOptions options) {
    return new OnnxModel(name, sha256(proto.toByteArray()), proto, options);
  }

  private static ModelProto inlineExternalData(ModelProto proto, Path folder) {
    GraphProto g = proto.getGraph();
    boolean any = g.getInitializerList().stream().anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    if (!any) return proto;
    GraphProto.Builder gb = g.toBuilder();
    for (int i = 0; i < gb.getInitializerCount(); i++) {
      TensorProto t = gb.getInitializer(i);
      if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) continue;
      String location = null;
      long offset = 0;
      long length = -1;
      for (var e : t.getExternalDataList()) {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> length = Long.parseLong(e.getValue());
          default -> { }
        }
      }
      if (location == null) throw new GlassboxException("Initializer '" + t.getName() + "' has external data without a location.");
      Path data = folder.resolve(location).normalize();
      if (Path.of(location).isAbsolute() || !data.startsWith(folder)) {
        throw new GlassboxException("Initializer '" + t.getName() + "' points to external data '" + location
            + "' outside the model's folder " + folder + "; refusing to read it. Keep the data file beside the model.");
      }
      try {
        byte[] all = Files.readAllBytes(data);
        int len = (int) (length < 0 ? all.length - offset : length);
        if (offset + len > all.length) {
          throw new GlassboxException("External data file " + data + " is shorter than initializer '" + t.getName() + "' needs.");
        }
        gb.setInitializer(i, t.toBuilder().clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT)
            .setRawData(ByteString.copyFrom(all, (int) offset, len)));
      } catch (IOException e) {
        throw new GlassboxException("Cannot read external data " + data + " of initializer '" + t.getName() + "': " + e.getMessage(), e);
      }
    }
    return proto.toBuilder().setGraph(gb).build();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  public String sha256() {
    return sha256;
  }

  public ModelProto proto() {
    return proto;
  }

  public int opset() {
    return opset;
  }

  public String producer() {
    return (proto.getProducerName() + " " + proto.getProducerVersion()).strip();
  }

  public Shapes shapes() {
    return shapes;
  }

  public List<Layer> layers() {
    return layers;
  }

  public ExecutionOptions options() {
    return options;
  }

  /** The graph inputs that are fed at run time (initializers listed as inputs excluded). */
  public List<TensorInfo> inputs() {
    Set<String> init = new HashSet<>();
    for (TensorProto t : proto.getGraph().getInitializerList()) init.add(t.getName());
    List<TensorInfo> out = new ArrayList<>();
    for (ValueInfoProto v : proto.getGraph().getInputList()) {
      if (!init.contains(v.getName())) out.add(shapes.get(v.getName()));
    }
    return out;
  }

  /** The single fed input; models with several inputs are named explicitly by the caller. */
  public TensorInfo input() {
    List<TensorInfo> in = inputs();
    if (in.size() != 1) {
      throw new GlassboxException(name + " has " + in.size() + " inputs " + in.stream().map(TensorInfo::name).toList()
          + "; map each of them to an array of the data file with data.inputs (see the README, 'Models with several"
          + " inputs').");
    }
    return in.get(0);
  }

  /** Every tensor computed or fed at run time (initializers excluded), in graph order. */
  public List<TensorInfo> tensors() {
    Set<String> init = new HashSet<>();
    for (TensorProto t : proto.getGraph().getInitializerList()) init.add(t.getName());
    return shapes.tensors().values().stream().filter(t -> !init.contains(t.name())).toList();
  }

  public List<TensorInfo> outputs() {
    return proto.getGraph().getOutputList().stream().map(v -> shapes.get(v.getName())).toList();
  }

  /** Resolves a neuron address to a tensor element; errors say what exists. */
  public ResolvedNeuron resolve(NeuronId id) {
    if (id instanceof NeuronId.Output o) {
        TensorInfo out = outputs().get(0);
        long size = out.eventSize();
        int index = o.index();
        if (index < 0) {
          if (size != 1) {
            throw new GlassboxException("The output of " + name + " has " + size + " elements per event; name one:"
                + " output[0] ... output[" + (size - 1) + "].");
          }
          index = 0;
        }
        if (index >= size) {
          throw new GlassboxException("output[" + index + "] does not exist: the output of " + name + " has " + (size == 1
              ? "one element per event (output, or output[0])." : size + " elements per event (output[0] ... output["
              + (size - 1) + "])."));
        }
        return new ResolvedNeuron(id.text(), out.name(), index);
    }
    if (id instanceof NeuronId.LayerNeuron ln) {
        if (ln.layer() > layers.size()) {
          throw new GlassboxException(ln.text() + " does not exist: " + name + " has " + layers.size() + " layers (L1 ... L"
              + layers.size() + "); 'glassbox inspect' lists them.");
        }
        Layer layer = layers.get(ln.layer() - 1);
        if (ln.neuron() >= layer.width()) {
          throw new GlassboxException(ln.text() + " does not exist: layer L" + ln.layer() + " has " + layer.width()
              + " neurons (N0 ... N" + (layer.width() - 1) + ").");
        }
        return new ResolvedNeuron(id.text(), layer.output(), ln.neuron());
    }
    NeuronId.TensorElement te = (NeuronId.TensorElement) id;
    {
        TensorInfo t = shapes.find(te.tensor()).orElseThrow(() -> new GlassboxException("Tensor '" + te.tensor()
            + "' is not in " + name + "; 'glassbox inspect --tensors' lists the tensor names."));
        if (!t.isFloating()) throw new GlassboxException("Tensor '" + te.tensor() + "' holds integers or booleans, not neuron values.");
        if (te.index() >= t.eventSize()) {
          throw new GlassboxException(te.text() + " does not exist: '" + te.tensor() + "' has " + t.eventSize()
              + (t.eventSize() == 1 ? " element" : " elements") + " per event " + t.shapeText() + ".");
        }
        return new ResolvedNeuron(id.text(), te.tensor(), te.index());
    }
  }

  /**
   * The session for a graph derived from this model, compiled once and kept until the model is
   * closed.
   */
  public CompiledGraph compiled(String key, Supplier<ModelProto> derive) {
    return compiled.computeIfAbsent(key, k -> new CompiledGraph(derive.get().toByteArray(), options, name + " (" + k + ")"));
  }

  /** Runs the model and returns the named tensors (model outputs or any intermediate), chunked. */
  public List<FloatTensor> evaluate(FloatTensor x, List<String> tensors) {
    for (String t : tensors) {
      if (shapes.find(t).isEmpty()) {
        throw new GlassboxException("Model " + name + " has no tensor '" + t + "'; 'glassbox inspect --tensors' lists them.");
      }
    }
    String input = input().name();
    String key = "taps:" + String.join(",", tensors);
    CompiledGraph g = compiled(key, () -> withOutputs(tensors));
    List<List<FloatTensor>> parts = new ArrayList<>();
    int chunk = options.batchSize();
    for (int from = 0; from < x.events(); from += chunk) {
      FloatTensor part = x.slice(from, Math.min(x.events(), from + chunk));
      parts.add(g.run(Map.of(input, part), tensors));
    }
    List<FloatTensor> out = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      final int k = i;
      out.add(FloatTensor.concat(parts.stream().map(p -> p.get(k)).toList()));
    }
    return out;
  }

  /** The first output of the model for a batch. */
  public FloatTensor evaluate(FloatTensor x) {
    return evaluate(x, List.of(outputs().get(0).name())).get(0);
  }

  private ModelProto withOutputs(List<String> tensors) {
    GraphProto.Builder g = proto.getGraph().toBuilder().clearOutput();
    for (String t : new LinkedHashSet<>(tensors)) g.addOutput(Protos.valueInfo(shapes.get(t)));
    return proto.toBuilder().setGraph(g).build();
  }

  /**
   * The sub-network from a hidden tensor to the outputs: a model whose input is that tensor. Fails
   * if the outputs also depend on the original input by another path (a skip connection).
   */
  public OnnxModel cutAt(String tensor) {
    TensorInfo cut = shapes.find(tensor).orElseThrow(() -> new GlassboxException("Cannot cut " + name + " at '"
        + tensor + "': no such tensor."));
    GraphProto g = proto.getGraph();
    Map<String, NodeProto> producer = new java.util.HashMap<>();
    for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);
    Set<NodeProto> keep = new HashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
    g.getOutputList().forEach(v -> todo.add(v.getName()));
    Set<String> fedInputs = new HashSet<>();
    inputs().forEach(t -> fedInputs.add(t.name()));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!seen.add(t) || t.equals(tensor)) continue;
      if (fedInputs.contains(t)) {
        throw new GlassboxException("Cannot cut " + name + " at '" + tensor + "': the outputs also depend on input '" + t
            + "' by a path that does not pass through it (a skip connection?).");
      }
      NodeProto n = producer.get(t);
      if (n != null && keep.add(n)) n.getInputList().forEach(todo::add);
    }
    GraphProto.Builder out = g.toBuilder().clearNode().clearInput();
    for (NodeProto n : g.getNodeList()) if (keep.contains(n)) out.addNode(n);
    out.addInput(Protos.valueInfo(cut));
    return of(proto.toBuilder().setGraph(out).build(), name + " cut at " + tensor, options);
  }

  @Override
  public void close() {
    compiled.values().forEach(CompiledGraph::close);
    compiled.clear();
  }
}
