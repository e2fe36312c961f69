package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.observables.ParticleData;
import org.glassbox.data.DataReaders;
import org.glassbox.data.DataSpec;
import org.glassbox.data.EventTable;
import org.glassbox.toys.JetImages;
import org.glassbox.toys.ParticleLists;
import org.glassbox.toys.ToyDataSet;
import org.glassbox.toys.ToyGenerators;

/** Where a run's events come from: a data file, or one of the seeded toy generators. */
public sealed interface DataSource {

  /** Reads or generates the events. */
  Loaded load();

  /** A short description for messages and the report: the file, or the generator and its options. */
  String describe();

  /**
   * What a run works on.
   *
   * @param table the model inputs, labels and weights
   * @param observables columns that are not model inputs (e.g. jet mass), one value per event, by name
   * @param particles per-event particle lists, for observables computed from them (e.g. EFPs)
   * @param truth for a toy data set, the truth it is built around (what a method should rediscover)
   */
  record Loaded(EventTable table, Map<String, double[]> observables, Optional<ParticleData> particles,
      Optional<String> truth, Optional<InputLayout> layout, Optional<FloatTensor> reference) {}

  /**
   * A model input mapped to an array of the data file ({@code data.inputs}).
   *
   * @param input the model input's name
   * @param array the NPZ key or HDF5 dataset path holding it, [events, ...]
   * @param axes names of the array's axes after the events; empty for the defaults
   * @param labels names of the entries of its last axis; empty for indices
   * @param differentiable false for masks, indices and other inputs that are fed but not attributed
   * @param reference the array of each event's reference values for this input (integrated gradients'
   *     {@code baseline: reference}), or null
   */
  record InputArray(String input, String array, List<String> axes, List<String> labels, boolean differentiable,
      String reference) {
    public InputArray {
      axes = List.copyOf(axes);
      labels = List.copyOf(labels);
    }

    public InputArray(String input, String array, List<String> axes, List<String> labels, boolean differentiable) {
      this(input, array, axes, labels, differentiable, null);
    }
  }

  /**
   * Per-event particle lists stored as one [N, M, fields] array (NPZ member or HDF5 dataset) of the
   * data file; padding rows are zeros (zero-pT particles are ignored by particle observables).
   */
  record Particles(String dataset, List<String> fields) {
    public Particles {
      fields = List.copyOf(fields);
    }
  }

  /**
   * A CSV, NPY, NPZ or HDF5 file read by {@link DataReaders}.
   *
   * @param observables further columns of the same file, read as observables
   * @param particles the particle-list array of the same file, or null
   * @param stream events per chunk when the file is read in chunks (0: all at once); then {@link #load}
   *     reads the first chunk, and {@link #chunks} every chunk
   * @param inputs the model inputs mapped to arrays of the file (models with several inputs), or empty
   * @param reference the array (NPZ key, HDF5 dataset, or a sibling .npy file) of each event's reference
   *     event, shaped as the features, or null
   */
  record File(DataSpec spec, List<String> observables, Particles particles, int stream, List<InputArray> inputs,
      String reference) implements DataSource {
    public File {
      observables = List.copyOf(observables);
      inputs = List.copyOf(inputs);
    }

    public File(DataSpec spec, List<String> observables, Particles particles, int stream, List<InputArray> inputs) {
      this(spec, observables, particles, stream, inputs, null);
    }

    public File(DataSpec spec, List<String> observables, Particles particles, int stream) {
      this(spec, observables, particles, stream, List.of());
    }

    public File(DataSpec spec, List<String> observables, Particles particles) {
      this(spec, observables, particles, 0);
    }

    /** Every event, chunk by chunk (the caller closes the stream). */
    public java.util.stream.Stream<EventTable> chunks() {
      return inputs.isEmpty() ? DataReaders.chunks(spec, stream) : packedChunks();
    }

    /** The spec that reads what {@link #load} works on: the first chunk when streaming. */
    private DataSpec head() {
      return stream > 0 ? spec.withMaxEvents(spec.maxEvents() > 0 ? Math.min(spec.maxEvents(), stream) : stream) : spec;
    }

    @Override
    public Loaded load() {
      DataSpec spec = head();
      InputLayout layout = null;
      EventTable table;
      if (inputs.isEmpty()) {
        table = DataReaders.read(spec);
      } else {
        Packed packed = readInputs(spec);
        table = packed.table();
        layout = packed.layout();
      }
      Map<String, double[]> obs = new LinkedHashMap<>();
      if (!observables.isEmpty()) {
        // The same rows as the features: the same limit and NaN policy, on the observables' columns.
        EventTable o = DataReaders.read(spec.withFeatures(observables));
        if (o.events() != table.events()) {
          throw new GlassboxException(spec.file() + ": the observables " + observables + " drop other rows than the model"
              + " inputs (NaN or Inf in them); clean those rows or use nan: error to find them.");
        }
        for (int j = 0; j < observables.size(); j++) obs.put(observables.get(j), column(o.features(), j));
      }
      FloatTensor ref = null;
      if (layout != null && inputs.stream().anyMatch(i -> i.reference() != null)) ref = packedReference(spec, layout, table);
      else if (reference != null) ref = readReference(spec, reference, table, null);
      return new Loaded(table, obs, Optional.ofNullable(particles == null ? null : readParticles(table.events())),
          Optional.empty(), Optional.ofNullable(layout), Optional.ofNullable(ref));
    }

    /** One reference array: an NPZ key or HDF5 dataset of the file, or for a .npy file a sibling file. */
    private static FloatTensor readReference(DataSpec spec, String array, EventTable table, InputLayout.Input input) {
      boolean npy = spec.file().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
      DataSpec one = npy ? new DataSpec(spec.file().resolveSibling(array), List.of(), null, null, spec.maxEvents(), spec.nan(),
          null) : new DataSpec(spec.file(), List.of(), null, null, spec.maxEvents(), spec.nan(), array);
      FloatTensor r = DataReaders.read(one).features();
      long want = input != null ? input.size() : table.features().eventSize();
      long[] shape = r.eventShape();
      long got = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      if (r.events() != table.events() || got != want) {
        throw new GlassboxException(spec.file() + ": the reference array '" + array + "' has shape "
            + java.util.Arrays.toString(r.shape()) + "; it must hold one reference per event (" + table.events()
            + " events) with the shape of " + (input != null ? "input '" + input.name() + "' " + java.util.Arrays.toString(
                input.eventShape()) : "the features (" + want + " values per event)") + ".");
      }
      return r;
    }

    /**
     * The reference of every packed input: its reference array, else (no reference named) zeros for an
     * attributed input and the event's own values for one fed as it is.
     */
    private FloatTensor packedReference(DataSpec spec, InputLayout layout, EventTable table) {
      int n = table.events();
      int width = layout.size();
      float[] x = table.features().data();
      float[] out = new float[n * width];
      int offset = 0;
      for (int k = 0; k < inputs.size(); k++) {
        InputArray in = inputs.get(k);
        InputLayout.Input li = layout.inputs().get(k);
        int size = li.size();
        float[] r = in.reference() == null ? null : readReference(spec, in.reference(), table, li).data();
        for (int e = 0; e < n; e++) {
          if (r != null) System.arraycopy(r, e * size, out, e * width + offset, size);
          else if (!in.differentiable()) System.arraycopy(x, e * width + offset, out, e * width + offset, size);
        }
        offset += size;
      }
      return FloatTensor.of(out, n, width);
    }

    private record Packed(EventTable table, InputLayout layout) {}

    /** Reads every mapped array and packs an event's values of all of them into one row. */
    /** What reads the array of input k: labels and weights come with the first array; the others are read alone. */
    private DataSpec arraySpec(DataSpec spec, int k) {
      return new DataSpec(spec.file(), List.of(), k == 0 ? spec.label() : null, k == 0 ? spec.weight() : null,
          spec.maxEvents(), spec.nan(), inputs.get(k).array());
    }

    private Packed readInputs(DataSpec spec) {
      String sha = DataReaders.sha256(spec.file()); // one pass over the file, not one per array
      List<EventTable> arrays = new ArrayList<>();
      for (int k = 0; k < inputs.size(); k++) arrays.add(DataReaders.read(arraySpec(spec, k), sha));
      return pack(arrays);
    }

    /** One row per event holding its values of every input array, in the order of {@code inputs}. */
    private Packed pack(List<EventTable> arrays) {
      List<InputLayout.Input> layout = new ArrayList<>();
      for (int k = 0; k < inputs.size(); k++) {
        InputArray in = inputs.get(k);
        EventTable t = arrays.get(k);
        long[] shape = t.features().eventShape();
        if (t.events() != arrays.get(0).events()) {
          throw new GlassboxException(spec.file() + ": array '" + in.array() + "' (model input '" + in.input() + "') has "
              + t.events() + " events but '" + inputs.get(0).array() + "' has " + arrays.get(0).events()
              + ". Every array of data.inputs needs one entry per event.");
        }
        List<String> axes = in.axes().isEmpty() ? InputLayout.Input.defaultAxes(shape.length) : in.axes();
        if (axes.size() != shape.length) {
          throw new GlassboxException(spec.file() + ": array '" + in.array() + "' has events of shape "
              + java.util.Arrays.toString(shape) + " (" + shape.length + " axes after the events), but data.inputs."
              + in.input() + ".axes names " + axes.size() + ": " + axes + ".");
        }
        if (!in.labels().isEmpty() && in.labels().size() != shape[shape.length - 1]) {
          throw new GlassboxException(spec.file() + ": array '" + in.array() + "' has " + shape[shape.length - 1]
              + " entries on its last axis (" + axes.get(axes.size() - 1) + "), but data.inputs." + in.input()
              + ".names lists " + in.labels().size() + ": " + in.labels() + ".");
        }
        layout.add(new InputLayout.Input(in.input(), in.array(), shape, axes, in.labels(), in.differentiable()));
      }
      InputLayout l = new InputLayout(layout);
      int n = arrays.get(0).events();
      int width = l.size();
      float[] x = new float[n * width];
      int offset = 0;
      for (EventTable t : arrays) {
        int size = t.features().eventSize();
        float[] d = t.features().data();
        for (int e = 0; e < n; e++) System.arraycopy(d, e * size, x, e * width + offset, size);
        offset += size;
      }
      EventTable first = arrays.get(0);
      return new Packed(new EventTable(first.source(), first.sha256(), l.featureNames(), FloatTensor.of(x, n, width),
          first.labels(), first.weights(), first.droppedRows(), first.totalRows()), l);
    }

    /** Every array of {@code inputs} read in chunks side by side, each set of chunks packed into one table. */
    private java.util.stream.Stream<EventTable> packedChunks() {
      List<java.util.stream.Stream<EventTable>> streams = new ArrayList<>();
      try {
        String sha = DataReaders.sha256(spec.file()); // one pass over the file, not one per array
        for (int k = 0; k < inputs.size(); k++) streams.add(DataReaders.chunks(arraySpec(spec, k), stream, sha));
      } catch (RuntimeException e) {
        streams.forEach(java.util.stream.Stream::close);
        throw e;
      }
      List<java.util.Iterator<EventTable>> its = streams.stream().map(java.util.stream.Stream::iterator).toList();
      java.util.Iterator<EventTable> packed = new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          boolean first = its.get(0).hasNext();
          for (int k = 1; k < its.size(); k++) {
            if (its.get(k).hasNext() != first) {
              throw new GlassboxException(spec.file() + ": array '" + inputs.get(k).array() + "' has "
                  + (first ? "fewer" : "more") + " events than '" + inputs.get(0).array() + "'. Every array of data.inputs"
                  + " needs one entry per event.");
            }
          }
          return first;
        }

        @Override
        public EventTable next() {
          return pack(its.stream().map(java.util.Iterator::next).toList()).table();
        }
      };
      return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(packed,
          java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false)
          .onClose(() -> streams.forEach(java.util.stream.Stream::close));
    }

    private ParticleData readParticles(int events) {
      DataSpec spec = head();
      EventTable p = DataReaders.read(new DataSpec(spec.file(), List.of(), null, null, spec.maxEvents(), spec.nan(),
          particles.dataset()));
      long[] shape = p.features().shape();
      if (shape.length != 3 || shape[2] != particles.fields().size()) {
        throw new GlassboxException(spec.file() + ": the particle array '" + particles.dataset() + "' has shape "
            + java.util.Arrays.toString(shape) + "; it must be [events, particles, " + particles.fields().size()
            + "] to match fields " + particles.fields() + ".");
      }
      if (p.events() != events) {
        throw new GlassboxException(spec.file() + ": the particle array '" + particles.dataset() + "' has " + p.events()
            + " events but the features have " + events + " (with nan: drop, rows with NaN in either are dropped apart).");
      }
      int m = (int) shape[1];
      int[] counts = new int[events];
      java.util.Arrays.fill(counts, m);
      return new ParticleData(particles.fields(), events, m, p.features().data(), counts);
    }

    @Override
    public String describe() {
      return spec.file().toString();
    }
  }

  /**
   * A toy data set drawn by a generator of the toys module (seeded, so a run is reproducible).
   *
   * @param options the generator's options as written (text values; the generator validates them)
   * @param features the model inputs: feature or observable names of the toy, in order; empty for
   *     all of its features; {@code [image]} for its jet images
   * @param observables further feature or observable names of the toy, as observables
   */
  record Generated(String generator, Map<String, String> options, List<String> features, List<String> observables)
      implements DataSource {
    /** The features entry that selects a jet toy's images as the model input. */
    public static final String IMAGE = "image";

    public Generated {
      options = Map.copyOf(options);
      features = List.copyOf(features);
      observables = List.copyOf(observables);
    }

    @Override
    public Loaded load() {
      ToyDataSet toy = ToyGenerators.generate(generator, options);
      int n = toy.size();
      String source = "generator " + toy.generator() + " " + toy.generatorVersion() + " " + toy.options();
      EventTable table;
      if (features.equals(List.of(IMAGE))) {
        JetImages images = toy.images().orElseThrow(() -> new GlassboxException("The toy data set '" + toy.generator()
            + "' has no jet images; set its option with_images: true, or choose features by name."));
        List<String> names = new ArrayList<>();
        for (int r = 0; r < images.height(); r++) for (int c = 0; c < images.width(); c++) names.add("pixel_" + r + "_" + c);
        table = new EventTable(source, toy.sha256(), names, FloatTensor.of(images.data(), n, 1, images.height(),
            images.width()), toy.labels(), toy.weights(), 0, n);
      } else {
        List<String> names = features.isEmpty() ? toy.featureNames() : features;
        int f = names.size();
        float[] x = features.isEmpty() ? toy.features() : new float[n * f];
        for (int j = 0; j < f && !features.isEmpty(); j++) {
          float[] column = column(toy, names.get(j));
          for (int e = 0; e < n; e++) x[e * f + j] = column[e];
        }
        table = new EventTable(source, toy.sha256(), names, FloatTensor.of(x, n, f), toy.labels(), toy.weights(), 0, n);
      }
      Map<String, double[]> obs = new LinkedHashMap<>();
      for (String name : observables) {
        float[] c = column(toy, name);
        double[] d = new double[n];
        for (int e = 0; e < n; e++) d[e] = c[e];
        obs.put(name, d);
      }
      Optional<ParticleData> particles = toy.particles().map(p -> new ParticleData(p.fields(), p.events(), p.maxParticles(),
          p.data(), p.counts()));
      return new Loaded(table, obs, particles, Optional.of(toy.truth()), Optional.empty(), Optional.empty());
    }

    private static float[] column(ToyDataSet toy, String name) {
      if (toy.featureNames().contains(name)) return toy.column(name);
      if (toy.observableNames().contains(name)) return toy.observable(name);
      List<String> known = new ArrayList<>(toy.featureNames());
      known.addAll(toy.observableNames());
      throw new GlassboxException("The toy data set '" + toy.generator() + "' has no feature or observable '" + name
          + "'; it has: " + String.join(", ", known) + (toy.images().isPresent() ? " (and 'image' as the model input)" : "")
          + ".");
    }

    @Override
    public String describe() {
      return "toy data set '" + generator + "'";
    }
  }

  private static double[] column(FloatTensor t, int j) {
    int n = t.events();
    int f = t.eventSize();
    double[] out = new double[n];
    for (int e = 0; e < n; e++) out[e] = t.data()[e * f + j];
    return out;
  }
}
