/** Event data readers (NPY, NPZ, CSV, HDF5) shared by the engine and the command line. */
module org.glassbox.data {
  requires transitive org.glassbox.api;

  exports org.glassbox.data;
}
