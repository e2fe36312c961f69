/** Test support for method plugins and benchmarks: a real model behind the api's ModelAccess. */
module org.glassbox.testing {
  requires transitive org.glassbox.engine;

  exports org.glassbox.testing;
}
