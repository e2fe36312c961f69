package org.glassbox.plugins.ado;

/**
 * How a candidate function h orders the pairs on which f and g disagree, judged against g (seed
 * 002's "ADO[EFP, CNN]" on the differently ordered subset).
 *
 * @param function the name of h
 * @param alike weight of the subset's pairs that h orders as g does, plus half the weight of those
 *     h ties (g never ties on the subset)
 * @param subsetWeight total weight of the subset's pairs
 * @param pairCount number of pairs in the subset (whatever their weight)
 */
public record DisagreementScore(
    String function, double alike, double subsetWeight, long pairCount) {
  /** Mean of DO(h, g) over the subset, before orientation. */
  public double raw() {
    return alike / subsetWeight;
  }

  /** The score inverted below ½: the network that will use h does not care about its sign. */
  public double oriented() {
    return Orientation.orient(raw());
  }

  public Orientation orientation() {
    return Orientation.of(raw());
  }
}
