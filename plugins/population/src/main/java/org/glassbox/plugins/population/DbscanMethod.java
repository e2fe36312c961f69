package org.glassbox.plugins.population;

import java.util.List;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.Options;
import org.glassbox.api.clustering.ClusteringContext;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.clustering.Clusters;

/** {@code dbscan}: islands of a population (seed 000 Appendix A; METHODS.md §4.3), by commons-math3's DBSCAN. */
public final class DbscanMethod implements ClusteringMethod {
  static final OptionSpec EPS = OptionSpec.number("eps", 0,
      "neighbourhood radius, in the units of option scale; 0 = rule of thumb: the knee of the sorted distances of"
          + " the points to their min_pts-th nearest other point");
  static final OptionSpec MIN_PTS = OptionSpec.integer("min_pts", 5,
      "a core point has at least min_pts other points within eps (scikit-learn's min_samples = min_pts + 1)");

  @Override
  public String id() {
    return "dbscan";
  }

  @Override
  public String description() {
    return "DBSCAN (commons-math3): density-connected islands of a population's projection, noise labelled -1";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(EPS, MIN_PTS, ClusterPoints.SCALE);
  }

  @Override
  public String conventions() {
    return "Core point: at least min_pts other points within eps (commons-math3's count excludes the point itself)."
        + " Border points join the first cluster that reaches them. eps 0 (convention, a rule of thumb after Ester et"
        + " al.): the knee of the sorted distances of the points to their min_pts-th nearest other point, found as"
        + " the point farthest below the chord of that curve (both axes scaled to [0, 1]). Columns are divided by"
        + " their range over the points"
        + " first (scale: range). Clusters are numbered by decreasing size; noise is -1. Duplicate points are kept"
        + " (commons-math's DoublePoint would merge them).";
  }

  record Settings(double eps, int minPts, String scale) {}

  static Settings settings(Options o) {
    double eps = o.number(EPS.name());
    if (!(eps >= 0) || !Double.isFinite(eps)) {
      throw new OptionException(EPS.name(), "eps is a distance, 0 (rule of thumb) or more, got " + eps + ".");
    }
    long minPts = o.integer(MIN_PTS.name());
    if (minPts < 1 || minPts > 1_000_000) {
      throw new OptionException(MIN_PTS.name(), "min_pts is a number of neighbours, at least 1, got " + minPts + ".");
    }
    return new Settings(eps, (int) minPts, o.string(ClusterPoints.SCALE.name()));
  }

  @Override
  public Clusters cluster(ClusteringContext context) {
    Settings s = settings(context.options());
    double[][] points = ClusterPoints.of(context.points(), s.scale());
    double eps = s.eps() > 0 ? s.eps() : Dbscan.ruleOfThumbEps(points, s.minPts());
    int[] labels = Dbscan.labels(points, eps, s.minPts());
    return new Clusters(labels, Dbscan.count(labels));
  }
}
