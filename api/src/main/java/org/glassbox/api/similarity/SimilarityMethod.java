package org.glassbox.api.similarity;

import org.glassbox.api.MethodProvider;

/** How alike are decision functions (networks, neurons, observables)? ADO, mutual information, ... */
public interface SimilarityMethod extends MethodProvider {
  Similarity compare(SimilarityContext context);
}
