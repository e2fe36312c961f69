/**
 * Populations of synthetic events (seed 000 §2.5): gradient ascent to a threshold, clustering of
 * populations (DBSCAN, k-means) and caveman surrogate variables (seed 000 §2.6, Appendix A).
 */
module org.glassbox.plugins.population {
  requires org.glassbox.api;
  // commons-math3 3.6.1 has no Automatic-Module-Name: its automatic name comes from the jar's file name.
  requires commons.math3;

  provides org.glassbox.api.maximization.MaximizationMethod
      with org.glassbox.plugins.population.GradientAscentMethod;
  provides org.glassbox.api.clustering.ClusteringMethod
      with org.glassbox.plugins.population.DbscanMethod, org.glassbox.plugins.population.KMeansMethod;
  provides org.glassbox.api.surrogate.SurrogateMethod
      with org.glassbox.plugins.population.CavemanMethod;
}
