package org.glassbox.plugins.ado;

/**
 * Fenwick (binary indexed) tree of weights over ranks {@code 0 .. size-1}: add at a rank, sum
 * below a rank, both in O(log size).
 */
final class Fenwick {
  private final double[] tree;

  Fenwick(int size) {
    tree = new double[size + 1];
  }

  void add(int rank, double weight) {
    for (int k = rank + 1; k < tree.length; k += k & -k) {
      tree[k] += weight;
    }
  }

  /** Sum of the weights at ranks strictly below {@code rank}. */
  double sumBelow(int rank) {
    double s = 0;
    for (int k = rank; k > 0; k -= k & -k) {
      s += tree[k];
    }
    return s;
  }

  /**
   * Undoes {@link #add} of rank, exactly (no floating-point residue), once every rank added since
   * the tree was empty is cleared this way. Valid only when all added weights were positive: then
   * a node is zero only if it was cleared, and a cleared node's path upward is already clear, so
   * the walk can stop there (which is what makes clearing cheap in the divide and conquer).
   */
  void clear(int rank) {
    for (int k = rank + 1; k < tree.length && tree[k] != 0; k += k & -k) {
      tree[k] = 0;
    }
  }
}
