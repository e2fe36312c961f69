/** Taylor coefficients (seed 003): the monomials of a neuron's local expansion, ranked by mean |coefficient|. */
module org.glassbox.plugins.taylor {
  requires org.glassbox.api;

  // Exported for the benchmarks, which call the method class directly.
  exports org.glassbox.plugins.taylor;

  provides org.glassbox.api.attribution.AttributionMethod
      with org.glassbox.plugins.taylor.TaylorMethod;
}
