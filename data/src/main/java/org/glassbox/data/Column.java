package org.glassbox.data;

/**
 * One stored array (a {@code .npy} file, an {@code .npz} member, an HDF5 dataset) read row by row
 * in order: dimension 0 is the event.
 */
interface Column extends AutoCloseable {
  /** The array in words for messages, e.g. {@code "data.npz: 'y'"}. */
  String where();

  long[] shape();

  /** Reads up to {@code rows} rows into {@code dst} from {@code off}; returns the rows read. */
  int read(float[] dst, int off, int rows);

  /** Reads up to {@code rows} rows into {@code dst} from {@code off}, widened to double. */
  int read(double[] dst, int off, int rows);

  @Override
  void close();

  /** An {@code .npy} stream. */
  static Column npy(Npy.Reader reader, String where) {
    return new Column() {
      @Override
      public String where() {
        return where;
      }

      @Override
      public long[] shape() {
        return reader.header().shape();
      }

      @Override
      public int read(float[] dst, int off, int rows) {
        return reader.read(dst, off, rows);
      }

      @Override
      public int read(double[] dst, int off, int rows) {
        return reader.read(dst, off, rows);
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }
}
