/** Benchmarks that print speed ratios measured in one process. */
module org.glassbox.benchmarks {
  requires org.glassbox.engine;
}
