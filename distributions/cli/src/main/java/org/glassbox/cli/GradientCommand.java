package org.glassbox.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.NeuronId;
import org.glassbox.data.DataReaders;
import org.glassbox.data.DataSpec;
import org.glassbox.data.Npy;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.exec.ExecutionOptions;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;
import org.glassbox.engine.model.TensorInfo;
import org.glassbox.engine.run.DataSource;
import org.glassbox.engine.run.InputLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "gradient",
    description = {"Per-event gradient (or Hessian) of a neuron for the events of a data file.",
        "One model input: DATA is an .npy array [events, input shape...] (or an .npz holding it); OUT is an .npy file.",
        "Several model inputs (e.g. points, features, mask): DATA is an .npz with one array per model input, named like"
            + " the input (other arrays are ignored); OUT.npz gets one float32 array per float input, named like it,"
            + " [events, input shape...]. Integer and boolean inputs (indices, masks) are fed as they are and get no"
            + " gradient. With --wrt INPUT only that input's gradient is written, and OUT may be .npy."})
final class GradientCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file")
  Path model;

  @Parameters(index = "1", paramLabel = "DATA",
      description = ".npy array of events (events x input shape); for a model with several inputs an .npz with one"
          + " array per input, named like it")
  Path data;

  @Option(names = {"-n", "--neuron"}, defaultValue = "output", description = "neuron to differentiate (default: ${DEFAULT-VALUE})")
  String neuron;

  @Option(names = "--wrt", paramLabel = "TENSOR",
      description = "model input or hidden tensor to differentiate with respect to (default: the model input; with"
          + " several inputs, every float input)")
  String wrt;

  @Option(names = "--hessian",
      description = "write the per-event Hessian (events x F x F) instead of the gradient (models with one vector input)")
  boolean hessian;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT",
      description = "output file: .npz (one array per input differentiated), or .npy (exactly one gradient)")
  Path out;

  @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: all cores)")
  int threads;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String outName = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!outName.endsWith(".npy") && !outName.endsWith(".npz")) {
      throw new GlassboxException("-o " + out + ": the gradient is written as NumPy .npy (one array) or .npz (one array per"
          + " input); name the file so, e.g. -o " + out.resolveSibling(stem(out) + ".npy") + ".");
    }
    Main.checkModelFile(model);
    Main.checkInputFile(data, "an .npy or .npz file of events");
    Main.checkOutputFile(out, "-o", "gradient.npy");
    ExecutionOptions options = ExecutionOptions.defaults().withThreads(threads);
    try (OnnxModel m = OnnxModel.load(model, options)) {
      if (m.inputs().size() == 1) single(m);
      else several(m, options);
    }
    return 0;
  }

  /** A model with one input: the gradient (or Hessian) with respect to it, or to {@code --wrt}. */
  private void single(OnnxModel m) {
    String input = m.input().name();
    FloatTensor x = readSingle(input);
    ResolvedNeuron z = m.resolve(NeuronId.parse(neuron));
    Derivatives d = Derivatives.of(m);
    FloatTensor result;
    if (hessian) {
      if (wrt != null) throw new GlassboxException("--hessian is taken with respect to the model input; drop --wrt.");
      result = d.hessian(z, x);
    } else {
      result = d.gradient(z, wrt == null ? input : wrt, x);
    }
    write(Map.of(wrt == null ? input : wrt, result));
    spec.commandLine().getOut().printf("%s of %s (%s) for %d events -> %s %s%n", hessian ? "Hessian" : "gradient", z.label(),
        z.tensor() + "[" + z.index() + "]", x.events(), out, Arrays.toString(result.shape()));
  }

  /** The events of a one-input model: a plain .npy as always, or the array of an .npz named like the input (or its only one). */
  private FloatTensor readSingle(String input) {
    if (!isNpz(data)) return Npy.read(data).toFloat();
    List<String> arrays = DataReaders.arrays(data);
    String key = arrays.contains(input) ? input : arrays.size() == 1 ? arrays.get(0) : null;
    if (key == null) {
      throw new GlassboxException(data + " has arrays " + arrays + ", none named like the input '" + input + "' of "
          + model.getFileName() + "; name the array '" + input + "', or pass a .npy file.");
    }
    try {
      return DataReaders.read(DataSpec.of(data).withDataset(key)).features();
    } catch (GlassboxException e) {
      throw nonFinite(List.of(key), e);
    }
  }

  /**
   * A read of the data that failed: when an array holds NaN or Inf (the reader's message then suggests an
   * analysis file's {@code nan: drop}, which this command has no place for), says where; else the read's own error.
   */
  private GlassboxException nonFinite(List<String> arrays, GlassboxException failure) {
    if (!isNpz(data)) return failure;
    String found = null;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(data.toFile())) {
      for (int a = 0; a < arrays.size() && found == null; a++) found = firstNonFinite(zip, arrays.get(a));
    } catch (IOException | RuntimeException e) {
      return failure; // the scan cannot read it either: the read's own error says why
    }
    if (found == null) return failure;
    return new GlassboxException(data + ": " + found + ". gradient writes one row per event and skips none: remove or fix"
        + " the events with NaN or Inf (in every array) first.", failure);
  }

  /** "array 'x', event 3, position [1] is NaN" for the first NaN or Inf of an array of the .npz, or null. */
  private String firstNonFinite(java.util.zip.ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name + ".npy");
    if (entry == null) return null;
    try (Npy.Reader r = new Npy.Reader(zip.getInputStream(entry), data + ":" + name)) {
      long[] shape = r.header().shape();
      int row = (int) Math.max(1, r.header().rowSize());
      int rows = Math.max(1, (1 << 20) / row);
      double[] block = new double[rows * row];
      for (long event = 0; r.remaining() > 0; ) {
        int n = r.read(block, 0, rows);
        for (int i = 0; i < n * row; i++) {
          double v = block[i];
          if (!Double.isFinite(v)) {
            return "array '" + name + "', event " + (event + i / row) + ", position " + position(i % row, shape) + " is "
                + (Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
          }
        }
        event += n;
      }
    }
    return null;
  }

  /** An offset within one event as its index, e.g. [2, 1] for shape [N, 16, 3]. */
  private static String position(int offset, long[] shape) {
    if (shape.length <= 1) return "[0]";
    long[] index = new long[shape.length - 1];
    for (int d = shape.length - 1; d >= 1; d--) {
      index[d - 1] = offset % shape[d];
      offset /= (int) shape[d];
    }
    return Arrays.toString(index);
  }

  /**
   * A model with several inputs: the arrays of the data file are packed into one row per event as
   * an analysis with {@code data.inputs} does, differentiated as one tensor, and the gradient is
   * split back into one array per input.
   */
  private void several(OnnxModel plain, ExecutionOptions options) {
    List<TensorInfo> inputs = plain.inputs();
    List<String> names = inputs.stream().map(TensorInfo::name).toList();
    if (hessian) {
      throw new GlassboxException("--hessian needs a model with one input; " + plain.name() + " has inputs " + names
          + ". For second-order terms of a model with several inputs, run an analysis file that maps them with"
          + " data.inputs and uses the taylor method.");
    }
    TensorInfo wrtInput = wrt == null ? null : inputs.stream().filter(t -> t.name().equals(wrt)).findFirst().orElse(null);
    if (wrtInput != null && wrtInput.elemType() != TensorInfo.FLOAT) {
      throw new GlassboxException("Model input '" + wrt + "' of " + plain.name() + " holds " + typeName(wrtInput.elemType())
          + " values, which have no gradient; the float inputs are " + floatInputs(inputs) + ".");
    }
    // A hidden tensor: the wrapped model keeps every tensor's name, so its gradient is taken as for one input.
    boolean hidden = wrt != null && wrtInput == null;
    if (hidden && plain.shapes().find(wrt).isEmpty()) {
      throw new GlassboxException("--wrt '" + wrt + "' is neither an input of " + plain.name() + " " + names
          + " nor one of its tensors; 'glassbox inspect --tensors' lists them.");
    }
    // Only float inputs can be differentiated; with --wrt naming an input, the others are fed as they are.
    List<DataSource.InputArray> arrays = inputs.stream().map(t -> new DataSource.InputArray(t.name(), t.name(), List.of(),
        List.of(), t.elemType() == TensorInfo.FLOAT && (wrtInput == null || t == wrtInput))).toList();
    long results = hidden ? 1 : arrays.stream().filter(DataSource.InputArray::differentiable).count();
    if (results == 0) {
      throw new GlassboxException(plain.name() + " has no float input to differentiate with respect to (inputs " + names
          + "); name a hidden float tensor with --wrt.");
    }
    if (!isNpz(out) && results != 1) {
      throw new GlassboxException(results + " gradients result, one per float input " + floatInputs(inputs) + ", but " + out
          + " holds one array: write an .npz (-o " + stem(out) + ".npz) or name one input with --wrt.");
    }

    Events events = readSeveral(plain.name(), inputs, arrays);
    FloatTensor x = events.x();
    Map<String, FloatTensor> gradients = new LinkedHashMap<>();
    ResolvedNeuron z;
    try (OnnxModel m = OnnxModel.load(model, options, events.layout().packing())) {
      z = m.resolve(NeuronId.parse(neuron));
      Derivatives d = Derivatives.of(m);
      if (hidden) gradients.put(wrt, d.gradient(z, wrt, x));
      else gradients.putAll(split(d.gradient(z, x), events.layout()));
    }
    write(gradients);
    String written = gradients.entrySet().stream().map(e -> e.getKey() + " " + Arrays.toString(e.getValue().shape()))
        .collect(Collectors.joining(", "));
    List<String> skipped = inputs.stream().filter(t -> t.elemType() != TensorInfo.FLOAT)
        .map(t -> t.name() + " (" + typeName(t.elemType()) + ")").toList();
    spec.commandLine().getOut().printf("gradient of %s (%s) for %d events -> %s: %s%s%n", z.label(), z.tensor() + "[" + z.index()
        + "]", x.events(), out, written, wrt != null || skipped.isEmpty() ? ""
            : "; no gradient for " + String.join(", ", skipped) + ": fed as they are");
  }

  /** The events of a model with several inputs: one packed row each, and how the inputs lie in it. */
  private record Events(InputLayout layout, FloatTensor x) {}

  /**
   * Reads one array per model input, named like it, and packs them as an analysis with
   * {@code data.inputs} does; checks each array's shape against the model's declaration first, so
   * that errors name the array rather than the packed tensor.
   */
  private Events readSeveral(String modelName, List<TensorInfo> inputs, List<DataSource.InputArray> arrays) {
    List<String> names = inputs.stream().map(TensorInfo::name).toList();
    String file = data.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!isNpz(data) && !file.endsWith(".h5") && !file.endsWith(".hdf5")) {
      throw new GlassboxException(modelName + " has inputs " + names + "; DATA must then be an .npz with one array per"
          + " input, named like it (numpy.savez(\"events.npz\", " + names.stream().map(n -> n + "=...")
          .collect(Collectors.joining(", ")) + ")), not " + data + ".");
    }
    List<String> present = DataReaders.arrays(data);
    List<String> missing = names.stream().filter(n -> !present.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new GlassboxException(data + " has no array for model input" + (missing.size() == 1 ? " " : "s ") + missing
          + " of " + modelName + "; its arrays are " + present + ". Save one array per model input " + names
          + " under the input's name.");
    }
    DataSource.Loaded loaded;
    try {
      loaded = new DataSource.File(DataSpec.of(data), List.of(), null, 0, arrays).load();
    } catch (GlassboxException e) {
      throw nonFinite(names, e);
    }
    InputLayout layout = loaded.layout().orElseThrow();
    FloatTensor x = loaded.table().features();
    for (int k = 0; k < inputs.size(); k++) {
      TensorInfo want = inputs.get(k);
      long[] event = layout.inputs().get(k).eventShape();
      long[] got = new long[event.length + 1];
      got[0] = x.events();
      System.arraycopy(event, 0, got, 1, event.length);
      // An input declared without a shape takes whatever the array holds.
      boolean fits = want.rank() == 0 || want.rank() == got.length;
      for (int i = 1; fits && i < want.rank(); i++) fits = want.dim(i) == TensorInfo.DYNAMIC || want.dim(i) == got[i];
      if (!fits) {
        throw new GlassboxException(data + ": array '" + want.name() + "' has shape " + Arrays.toString(got) + ", but model"
            + " input '" + want.name() + "' of " + modelName + " expects " + want.shapeText() + " (N = events).");
      }
    }
    return new Events(layout, x);
  }

  /** The packed gradient [N, packed values] cut into one [N, event shape...] array per differentiated input. */
  private static Map<String, FloatTensor> split(FloatTensor packed, InputLayout layout) {
    int n = packed.events();
    int width = layout.size();
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    int offset = 0;
    for (InputLayout.Input in : layout.inputs()) {
      int size = in.size();
      if (in.differentiable()) {
        float[] values = new float[n * size];
        for (int e = 0; e < n; e++) System.arraycopy(packed.data(), e * width + offset, values, e * size, size);
        long[] event = in.eventShape();
        long[] shape = new long[event.length + 1];
        shape[0] = n;
        System.arraycopy(event, 0, shape, 1, event.length);
        out.put(in.name(), FloatTensor.of(values, shape));
      }
      offset += size;
    }
    return out;
  }

  /**
   * Writes the arrays as one .npy (exactly one array) or as an .npz named by their keys, next to
   * the target and then moved into place, so that a failed or interrupted run leaves no partial file.
   */
  private void write(Map<String, FloatTensor> arrays) {
    boolean npz = isNpz(out);
    Main.writeInPlace(out, tmp -> {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        if (npz) {
          writeNpz(os, arrays);
        } else {
          FloatTensor only = arrays.values().iterator().next();
          Npy.write(os, only.data(), only.shape());
        }
      }
      return null;
    });
  }

  /** As numpy.savez_compressed: a zip with one member NAME.npy per array (numpy.load reads it back by NAME). */
  private static void writeNpz(OutputStream os, Map<String, FloatTensor> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(os);
    for (Map.Entry<String, FloatTensor> a : arrays.entrySet()) {
      zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
      Npy.write(zip, a.getValue().data(), a.getValue().shape());
      zip.closeEntry();
    }
    zip.finish(); // the caller closes the stream
  }

  private static boolean isNpz(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
  }

  /** The file name without its extension, for suggestions. */
  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static List<String> floatInputs(List<TensorInfo> inputs) {
    return inputs.stream().filter(t -> t.elemType() == TensorInfo.FLOAT).map(TensorInfo::name).toList();
  }

  private static String typeName(int elemType) {
    return switch (elemType) {
      case TensorInfo.FLOAT -> "float32";
      case TensorInfo.DOUBLE -> "float64";
      case TensorInfo.INT64 -> "int64";
      case TensorInfo.BOOL -> "bool";
      case 6 -> "int32";
      case 10 -> "float16";
      default -> "ONNX type " + elemType;
    };
  }
}
