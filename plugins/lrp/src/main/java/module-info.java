/** Layer-wise relevance propagation (seed 004): rules and composites as data, run by the engine. */
module org.glassbox.plugins.lrp {
  requires org.glassbox.api;

  provides org.glassbox.api.attribution.AttributionMethod with org.glassbox.plugins.lrp.LrpMethod;
}
