/**
 * Normalised mutual information (seed 000 §2.3, eq. 1) between neurons, network outputs and
 * observables, from equal-population (quantile) histograms: the {@code mutual-information}
 * similarity method.
 */
module org.glassbox.plugins.mutualinformation {
  requires org.glassbox.api;

  // MutualInformation, EqualPopulationScan, Permutation: what a run over events held in pieces (Spark) combines.
  exports org.glassbox.plugins.mutualinformation;

  provides org.glassbox.api.similarity.SimilarityMethod
      with org.glassbox.plugins.mutualinformation.MutualInformationMethod;
}
