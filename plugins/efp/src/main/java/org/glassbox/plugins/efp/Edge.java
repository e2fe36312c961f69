package org.glassbox.plugins.efp;

/**
 * One edge of a multigraph, between vertices {@code a < b}. A multigraph lists an edge once per
 * multiplicity, so {@code (0,1)(0,1)} is a double edge whose EFP factor is θ_ab².
 */
public record Edge(int a, int b) {
  public Edge {
    if (a < 0 || b <= a) {
      throw new IllegalArgumentException("an edge needs vertices 0 <= a < b, got (" + a + "," + b + ")");
    }
  }

  @Override
  public String toString() {
    return "(" + a + "," + b + ")";
  }
}
