/** Event data readers (NPY, NPZ, CSV, HDF5) shared by the engine and the command line. */
module org.glassbox.data {
  requires transitive org.glassbox.api;
  // CSV parsing.
  requires org.apache.commons.csv;
  // Edit distance for "did you mean ..." in messages.
  requires org.apache.commons.text;
  // HDF5 (automatic module; its runtime dependencies come along on the module path).
  requires io.jhdf;

  exports org.glassbox.data;
}
