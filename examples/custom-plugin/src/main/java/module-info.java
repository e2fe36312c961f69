module org.example.occlusion {
  requires org.glassbox.api;

  provides org.glassbox.api.attribution.AttributionMethod with org.example.occlusion.OcclusionMethod;
}
