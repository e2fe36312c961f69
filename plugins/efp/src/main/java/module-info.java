/** Energy flow polynomials (seed 002): multigraph library and variable-elimination evaluation. */
module org.glassbox.plugins.efp {
  requires org.glassbox.api;

  exports org.glassbox.plugins.efp;

  provides org.glassbox.api.observables.ObservableProvider
      with org.glassbox.plugins.efp.EfpObservables;
}
