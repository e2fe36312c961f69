/**
 * Glassbox's stable surface: value types and the five service-provider interfaces (attribution,
 * maximization, clustering, surrogate, similarity) shared by the engine and method plugins.
 * Depends on the JDK only.
 */
module org.glassbox.api {
  exports org.glassbox.api;
  exports org.glassbox.api.attribution;
  exports org.glassbox.api.maximization;
  exports org.glassbox.api.clustering;
  exports org.glassbox.api.surrogate;
  exports org.glassbox.api.similarity;
  exports org.glassbox.api.observables;

}
