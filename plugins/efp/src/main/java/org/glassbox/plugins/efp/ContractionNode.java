package org.glassbox.plugins.efp;

import java.util.List;

/**
 * One shared sub-contraction: the tensor left after summing out a connected set S of a graph's
 * vertices, as a function of S's boundary vertices (its axes, in canonical order). Its value is
 *
 * <pre>  T[i_1..i_r] = Σ_{a_s, s∈S} Π_{s∈S} z_{a_s} · Π_{edges touching S} θ </pre>
 *
 * and depends only on the canonical {@link #key()} of (S, boundary), so every graph of a library
 * that contains the same piece reuses one tensor per jet.
 *
 * <p>The recipe eliminates one vertex v: multiply z_v, the inputs (earlier nodes, each with the
 * local position of each of its axes: 0 is v, j + 1 is output axis j) and θ^k for the edges from v
 * to the output axes, then sum over v.
 *
 * @param key canonical key of (S, boundary)
 * @param rank number of output axes (0 for a finished connected graph)
 * @param inputs earlier nodes consumed
 * @param edgePowers multiplicity of the edge from v to output axis j (0 for none)
 * @param symmetries permutations of the output axes that leave the tensor unchanged (identity
 *     included), found from the automorphisms of (S, boundary)
 */
record ContractionNode(
    String key, int rank, List<Input> inputs, int[] edgePowers, List<Permutation> symmetries) {

  ContractionNode {
    inputs = List.copyOf(inputs);
    edgePowers = edgePowers.clone();
    symmetries = List.copyOf(symmetries);
  }

  /** Whether the tensor is unchanged when its axes are permuted by p. */
  boolean symmetricUnder(Permutation p) {
    return symmetries.contains(p);
  }

  /** Whether every permutation of the axes leaves the tensor unchanged. */
  boolean fullySymmetric() {
    int f = 1;
    for (int k = 2; k <= rank; k++) {
      f *= k;
    }
    return symmetries.size() == f;
  }

  /**
   * An earlier node used by this recipe.
   *
   * @param node index of the node
   * @param positions local position of each of the input's axes (0 = the eliminated vertex)
   */
  record Input(int node, int[] positions) {
    Input {
      positions = positions.clone();
    }

    @Override
    public int[] positions() {
      return positions.clone();
    }
  }
}
