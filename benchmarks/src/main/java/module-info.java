/** Benchmarks that print speed ratios measured in one process. */
module org.glassbox.benchmarks {
  requires org.glassbox.engine;
  requires org.glassbox.testing;
  requires org.glassbox.plugins.ado;
  requires org.glassbox.plugins.activationdifference;
  requires org.glassbox.plugins.taylor;
  requires org.glassbox.plugins.efp;
}
