package org.glassbox.plugins.efp;

/**
 * One output column: a graph at one (κ, β).
 *
 * @param index column position
 * @param name {@code efp_d<d>_k<κ>_b<β>_g<graph index>}; in κ and β a decimal point is written
 *     {@code p} and a minus sign {@code m}, so names stay identifiers ({@code k0p5}, {@code km1})
 * @param graph the multigraph
 * @param kappa the energy exponent κ
 * @param beta the angular exponent β
 * @param ircSafe whether the EFP is infrared- and collinear-safe: only κ = 1 EFPs are
 */
public record EfpColumn(int index, String name, EfpGraph graph, double kappa, double beta, boolean ircSafe) {

  /** The column name for a graph and parameters. */
  static String nameOf(EfpGraph g, double kappa, double beta) {
    return "efp_d" + g.degree() + "_k" + format(kappa) + "_b" + format(beta) + "_g" + g.index();
  }

  static String format(double x) {
    String s = x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    return s.replace('.', 'p').replace('-', 'm');
  }

  /** A readable label, e.g. {@code (0,1)(0,1)(1,2) κ=1 β=0.5}. */
  public String description() {
    return graph.description() + " κ=" + kappa + " β=" + beta + (ircSafe ? "" : " (IRC-unsafe)");
  }
}
