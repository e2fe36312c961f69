package org.glassbox.api.clustering;

import org.glassbox.api.MethodProvider;

/** Which islands does a population fall into? */
public interface ClusteringMethod extends MethodProvider {
  Clusters cluster(ClusteringContext context);
}
