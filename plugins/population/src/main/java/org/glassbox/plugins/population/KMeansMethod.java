package org.glassbox.plugins.population;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.clustering.ClusteringContext;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.clustering.Clusters;

/** {@code kmeans}: k-means++ (commons-math3) on a population's projection. */
public final class KMeansMethod implements ClusteringMethod {
  static final OptionSpec K = OptionSpec.integer("k", 3, "number of clusters");
  static final OptionSpec MAX_ITERATIONS = OptionSpec.integer("max_iterations", 300,
      "Lloyd iterations at most (stops earlier when no point changes cluster)");

  @Override
  public String id() {
    return "kmeans";
  }

  @Override
  public String description() {
    return "k-means++ (commons-math3) on a population's projection; every point gets a cluster";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(K, MAX_ITERATIONS, ClusterPoints.SCALE);
  }

  @Override
  public String conventions() {
    return "k-means++ seeding from the run's seed (Well19937c), Euclidean distance after dividing each column by its"
        + " range over the points (scale: range); an emptied cluster is refilled from the one of largest variance"
        + " (commons-math3's default). No noise label. Clusters are numbered by decreasing size.";
  }

  @Override
  public Clusters cluster(ClusteringContext context) {
    Options o = context.options();
    long k = o.integer(K.name());
    if (k < 1) throw new OptionException(K.name(), "k is a number of clusters, at least 1, got " + k + ".");
    long iterations = o.integer(MAX_ITERATIONS.name());
    if (iterations < 1 || iterations > Integer.MAX_VALUE) {
      throw new OptionException(MAX_ITERATIONS.name(), "max_iterations is at least 1, got " + iterations + ".");
    }
    double[][] points = ClusterPoints.of(context.points(), o.string(ClusterPoints.SCALE.name()));
    if (k > points.length) {
      throw new OptionException(K.name(), "k = " + k + " clusters need at least as many points; the population has "
          + points.length + ".");
    }
    List<Dbscan.Point> list = new ArrayList<>(points.length);
    for (int i = 0; i < points.length; i++) list.add(new Dbscan.Point(points[i], i));
    var clusterer = new KMeansPlusPlusClusterer<Dbscan.Point>((int) k, (int) iterations, new EuclideanDistance(),
        new Well19937c(context.seed()));
    List<int[]> members = new ArrayList<>();
    for (CentroidCluster<Dbscan.Point> c : clusterer.cluster(list)) {
      members.add(c.getPoints().stream().mapToInt(p -> p.index).sorted().toArray());
    }
    int[] labels = Dbscan.relabel(members, points.length);
    return new Clusters(labels, Dbscan.count(labels));
  }
}
