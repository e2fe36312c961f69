package org.glassbox.data;

import java.util.List;

/**
 * One file format's events, read in order, block by block, before any checks: the
 * {@link EventReader} applies the NaN policy, label checks and {@code maxEvents} the same way
 * for every format.
 */
interface RowSource extends AutoCloseable {
  /** The file, for messages. */
  String where();

  /** One name per value of an event. */
  List<String> featureNames();

  /** Shape of one event, e.g. {@code [5]} or {@code [1, 32, 32]}. */
  long[] eventShape();

  /** Rows in the source when known up front (arrays), -1 when not (CSV). */
  long knownRows();

  /** The label's name for messages (e.g. {@code "label column 'y'"}), or null when there is none. */
  String labelName();

  /** The weight's name for messages, or null when there is none. */
  String weightName();

  /** Reads up to {@code max} rows into {@code into} from row 0; returns the rows read, 0 at the end. */
  int read(RowBlock into, int max);

  /** A row id from {@link RowBlock#ids} in words: {@code "line 17"}, {@code "event 16 (counting from 0)"}. */
  String rowName(long id);

  /** Feature {@code j} in words: {@code "column 'eta'"}, {@code "feature 'f3'"}. */
  String featureName(int j);

  /** Added to a NaN message: how the format spells a missing value, if that needs saying. */
  default String nanNote() {
    return "";
  }

  @Override
  void close();

  /** Rows as read: features row-major, raw label and weight values, and row ids for messages. */
  final class RowBlock {
    final float[] x;
    final double[] label;
    final double[] weight;
    final long[] ids;

    RowBlock(int rows, int eventSize, boolean labels, boolean weights) {
      x = new float[rows * eventSize];
      label = labels ? new double[rows] : null;
      weight = weights ? new double[rows] : null;
      ids = new long[rows];
    }

    int capacity() {
      return ids.length;
    }
  }
}
