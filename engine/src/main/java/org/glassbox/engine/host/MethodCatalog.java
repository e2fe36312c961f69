package org.glassbox.engine.host;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.observables.ObservableProvider;
import org.glassbox.api.similarity.SimilarityMethod;
import org.glassbox.api.surrogate.SurrogateMethod;

/** Every installed method, by SPI. */
public record MethodCatalog(Providers<AttributionMethod> attribution, Providers<MaximizationMethod> maximization,
    Providers<ClusteringMethod> clustering, Providers<SurrogateMethod> surrogate, Providers<SimilarityMethod> similarity,
    Providers<ObservableProvider> observables) {

  public List<Installed<? extends MethodProvider>> all() {
    List<Installed<? extends MethodProvider>> out = new ArrayList<>();
    out.addAll(attribution.all());
    out.addAll(maximization.all());
    out.addAll(clustering.all());
    out.addAll(surrogate.all());
    out.addAll(similarity.all());
    out.addAll(observables.all());
    return out;
  }
}
