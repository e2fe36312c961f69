package org.glassbox.api.clustering;

import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.Options;

/** Points to cluster (a projection of a population onto 1 to 3 inputs). */
public interface ClusteringContext {
  FloatTensor points();

  List<String> featureNames();

  Options options();

  long seed();
}
