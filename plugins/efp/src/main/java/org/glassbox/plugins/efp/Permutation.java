package org.glassbox.plugins.efp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A permutation of a few tensor axes: axis i goes to {@code image[i]}. */
final class Permutation {
  private final int[] image;

  Permutation(int... image) {
    this.image = image.clone();
  }

  int size() {
    return image.length;
  }

  int apply(int i) {
    return image[i];
  }

  boolean isIdentity() {
    for (int i = 0; i < image.length; i++) {
      if (image[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** All permutations of r elements, identity first. */
  static List<Permutation> all(int r) {
    List<Permutation> out = new ArrayList<>();
    permute(new int[r], new boolean[r], 0, out);
    return out;
  }

  private static void permute(int[] cur, boolean[] used, int i, List<Permutation> out) {
    if (i == cur.length) {
      out.add(new Permutation(cur));
      return;
    }
    for (int v = 0; v < cur.length; v++) {
      if (!used[v]) {
        used[v] = true;
        cur[i] = v;
        permute(cur, used, i + 1, out);
        used[v] = false;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Permutation && Arrays.equals(((Permutation) o).image, image);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(image);
  }

  @Override
  public String toString() {
    return Arrays.toString(image);
  }
}
