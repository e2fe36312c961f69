/**
 * Average decision ordering (seed 002), AUC and AMS (seed 000), exact over all pairs; the {@code ado}
 * similarity method and the {@code guided-search} surrogate method built on them.
 */
module org.glassbox.plugins.ado {
  requires org.glassbox.api;

  exports org.glassbox.plugins.ado;

  provides org.glassbox.api.similarity.SimilarityMethod with org.glassbox.plugins.ado.AdoSimilarityMethod;
  provides org.glassbox.api.surrogate.SurrogateMethod with org.glassbox.plugins.ado.GuidedSearchMethod;
}
