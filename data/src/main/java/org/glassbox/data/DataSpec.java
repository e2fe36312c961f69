package org.glassbox.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.glassbox.api.GlassboxException;

/**
 * What to read: the YAML {@code data:} block, validated.
 *
 * @param file the data file; its extension picks the reader ({@link DataReaders#SUPPORTED_EXTENSIONS})
 * @param features CSV: the columns to use, in this order; empty = every numeric column except the
 *     label and the weight (and unnamed columns such as a pandas index). NPY/NPZ/HDF5 with an array
 *     of features: names for the array's per-event values (flattened, C order), as many as there are
 *     values; empty = {@code f0, f1, ...}. NPZ/HDF5 with {@code dataset} null: the 1-D arrays (NPZ
 *     keys, HDF5 dataset paths) that become the columns, unless the NPZ has an array {@code x}.
 * @param label CSV column, NPZ key, HDF5 dataset path, or for a plain {@code .npy} a sibling file
 *     name ({@code y.npy}, resolved next to {@code file}); null = no labels. Values must be 0 or 1
 *     (1 = signal); CSV cells may also say {@code true}/{@code false} or {@code s}/{@code b} (any
 *     case), HDF5 may hold h5py booleans, NPY/NPZ any numeric or bool dtype holding 0 and 1
 * @param weight like {@code label}; null = all weights 1
 * @param maxEvents the first N events (counted after dropping); 0 = all
 * @param nan what to do with NaN or ±Inf inputs; null = {@link NanPolicy#ERROR}
 * @param dataset NPZ key or HDF5 dataset path of the feature array; null = {@code x} for NPZ (and
 *     for HDF5 when {@code features} is empty), otherwise the {@code features} datasets for HDF5
 */
public record DataSpec(Path file, List<String> features, String label, String weight,
    long maxEvents, NanPolicy nan, String dataset) {

  public DataSpec {
    Objects.requireNonNull(file, "file");
    features = features == null ? List.of() : List.copyOf(features);
    nan = nan == null ? NanPolicy.ERROR : nan;
    if (maxEvents < 0) {
      throw new GlassboxException("data.maxEvents must be 0 (all) or positive, got " + maxEvents + ".");
    }
  }

  /** Every feature of {@code file}, no labels or weights, all events, NaN is an error. */
  public static DataSpec of(Path file) {
    return new DataSpec(file, List.of(), null, null, 0, NanPolicy.ERROR, null);
  }

  public DataSpec withFeatures(List<String> names) {
    return new DataSpec(file, names, label, weight, maxEvents, nan, dataset);
  }

  public DataSpec withLabel(String column) {
    return new DataSpec(file, features, column, weight, maxEvents, nan, dataset);
  }

  public DataSpec withWeight(String column) {
    return new DataSpec(file, features, label, column, maxEvents, nan, dataset);
  }

  public DataSpec withMaxEvents(long n) {
    return new DataSpec(file, features, label, weight, n, nan, dataset);
  }

  public DataSpec withNan(NanPolicy policy) {
    return new DataSpec(file, features, label, weight, maxEvents, policy, dataset);
  }

  public DataSpec withDataset(String name) {
    return new DataSpec(file, features, label, weight, maxEvents, nan, name);
  }
}
