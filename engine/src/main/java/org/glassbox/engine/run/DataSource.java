package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.data.DataReaders;
import org.glassbox.data.DataSpec;
import org.glassbox.data.EventTable;
import org.glassbox.toys.ToyDataSet;
import org.glassbox.toys.ToyGenerators;

/** Where a run's events come from: a data file, or one of the seeded toy generators. */
public sealed interface DataSource {

  /** Reads or generates the events. */
  Loaded load();

  /**
   * Events, and for a toy data set the truth it is built around (what a method should rediscover).
   */
  record Loaded(EventTable table, java.util.Optional<String> truth) {}

  /** A short description for messages and the report: the file, or the generator and its options. */
  String describe();

  /** A CSV, NPY, NPZ or HDF5 file read by {@link DataReaders}. */
  record File(DataSpec spec) implements DataSource {
    @Override
    public Loaded load() {
      return new Loaded(DataReaders.read(spec), java.util.Optional.empty());
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
   *     all of its features
   */
  record Generated(String generator, Map<String, String> options, List<String> features) implements DataSource {
    public Generated {
      options = Map.copyOf(options);
      features = List.copyOf(features);
    }

    @Override
    public Loaded load() {
      ToyDataSet toy = ToyGenerators.generate(generator, options);
      List<String> names = features.isEmpty() ? toy.featureNames() : features;
      int n = toy.size();
      int f = names.size();
      float[] x = features.isEmpty() ? toy.features() : new float[n * f];
      for (int j = 0; j < f && !features.isEmpty(); j++) {
        float[] column = column(toy, names.get(j));
        for (int e = 0; e < n; e++) x[e * f + j] = column[e];
      }
      String source = "generator " + toy.generator() + " " + toy.generatorVersion() + " " + toy.options();
      return new Loaded(new EventTable(source, toy.sha256(), names, FloatTensor.of(x, n, f), toy.labels(), toy.weights(), 0, n),
          java.util.Optional.of(toy.truth()));
    }

    private static float[] column(ToyDataSet toy, String name) {
      if (toy.featureNames().contains(name)) return toy.column(name);
      if (toy.observableNames().contains(name)) return toy.observable(name);
      List<String> known = new ArrayList<>(toy.featureNames());
      known.addAll(toy.observableNames());
      throw new GlassboxException("The toy data set '" + toy.generator() + "' has no feature or observable '" + name
          + "'; it has: " + String.join(", ", known) + ".");
    }

    @Override
    public String describe() {
      return "toy data set '" + generator + "'";
    }
  }
}
