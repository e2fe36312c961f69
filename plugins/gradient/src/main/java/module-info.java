/** Gradient-based attributions: saliency, gradient × input, integrated gradients and SmoothGrad. */
module org.glassbox.plugins.gradient {
  requires org.glassbox.api;

  provides org.glassbox.api.attribution.AttributionMethod
      with org.glassbox.plugins.gradient.GradientMethod, org.glassbox.plugins.gradient.GradientTimesInputMethod,
          org.glassbox.plugins.gradient.IntegratedGradientsMethod, org.glassbox.plugins.gradient.SmoothGradMethod;
}
