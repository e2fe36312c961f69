package org.glassbox.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;

/**
 * Events read from a file (or one chunk of them). Arrays are not copied: treat them as read-only,
 * as {@link FloatTensor} does.
 *
 * @param source the file, as given in the {@link DataSpec}
 * @param sha256 hex SHA-256 of the file's bytes (of the features file when labels or weights come
 *     from sibling {@code .npy} files), so that a report can say exactly which data it saw
 * @param featureNames one name per value of an event (flattened in C order for N-D events)
 * @param features events x features (or events x an event shape, e.g. N x 1 x 32 x 32)
 * @param labels 0 = background, 1 = signal; null when the spec names no label
 * @param weights per-event weights; null when the spec names no weight (all 1)
 * @param droppedRows rows removed by {@link NanPolicy#DROP}
 * @param totalRows rows read from the file, kept or dropped ({@code events() + droppedRows}); with
 *     {@code maxEvents} reading stops early, so this counts the rows looked at, not the file's rows
 */
public record EventTable(String source, String sha256, List<String> featureNames,
    FloatTensor features, int[] labels, double[] weights, long droppedRows, long totalRows) {

  public EventTable {
    featureNames = List.copyOf(featureNames);
    int n = features.events();
    // From the shape, not FloatTensor.eventSize(), which is 0 for a table with no events.
    long perEvent = 1;
    for (long d : features.eventShape()) perEvent *= d;
    if (featureNames.size() != perEvent) {
      throw new IllegalArgumentException(featureNames.size() + " names for " + perEvent + " values per event");
    }
    if (labels != null && labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " events");
    if (weights != null && weights.length != n) throw new IllegalArgumentException(weights.length + " weights for " + n + " events");
  }

  /** Number of events. */
  public int events() {
    return features.events();
  }

  /** The weights, or all ones when the file has none. */
  public double[] weightsOrOnes() {
    if (weights != null) return weights;
    double[] ones = new double[events()];
    Arrays.fill(ones, 1.0);
    return ones;
  }

  /** This table as the API's view of events, for methods. */
  public EventData toEventData() {
    double[] w = weightsOrOnes();
    return new EventData() {
      @Override
      public FloatTensor inputs() {
        return features;
      }

      @Override
      public List<String> featureNames() {
        return featureNames;
      }

      @Override
      public double[] weights() {
        return w;
      }

      @Override
      public Optional<int[]> labels() {
        return Optional.ofNullable(labels);
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventTable t && source.equals(t.source) && sha256.equals(t.sha256)
        && featureNames.equals(t.featureNames) && features.equals(t.features)
        && Arrays.equals(labels, t.labels) && Arrays.equals(weights, t.weights)
        && droppedRows == t.droppedRows && totalRows == t.totalRows;
  }

  @Override
  public int hashCode() {
    return 31 * features.hashCode() + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "EventTable[" + source + ", " + events() + " events x " + featureNames.size() + " features"
        + (labels != null ? ", labels" : "") + (weights != null ? ", weights" : "")
        + ", dropped " + droppedRows + " of " + totalRows + "]";
  }
}
