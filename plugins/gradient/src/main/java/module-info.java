/** Gradient-based attributions: saliency and gradient × input. */
module org.glassbox.plugins.gradient {
  requires org.glassbox.api;

  provides org.glassbox.api.attribution.AttributionMethod
      with org.glassbox.plugins.gradient.GradientMethod, org.glassbox.plugins.gradient.GradientTimesInputMethod;
}
