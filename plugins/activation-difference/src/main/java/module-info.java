/** Activation difference (seed 000 eq. 2): how much a neuron changes when one input is resampled. */
module org.glassbox.plugins.activationdifference {
  requires org.glassbox.api;

  // Exported for the benchmarks, which call the method class directly.
  exports org.glassbox.plugins.activationdifference;

  provides org.glassbox.api.attribution.AttributionMethod
      with org.glassbox.plugins.activationdifference.ActivationDifferenceMethod;
}
