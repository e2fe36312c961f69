package org.glassbox.plugins.mutualinformation;

import java.io.Serializable;

/**
 * The greedy fill of {@link QuantileBinning}'s rule 2, one group of equal values at a time in
 * increasing order: with {@code left} bins and weight {@code R} not yet assigned the current bin aims
 * at {@code R / left}; a group joins it when the bin is empty, when it is the last bin, or when the
 * bin's weight plus half the group's stays within the aim; otherwise the bin is closed first.
 *
 * <p>The scan's state is a few numbers, so the scan can be carried from one piece of the sorted values
 * to the next (a cluster holding them in value ranges): {@link #next} for every group of a piece, or,
 * when no bin can close inside a piece ({@link #staysInBin}), {@link #join} with its total weight.
 */
public final class EqualPopulationScan implements Serializable {
  private static final long serialVersionUID = 1L;

  private double remaining;
  private int left;
  private double aim;
  private double filled;
  private int bin;

  /**
   * @param total the weight of all groups (the sum of their weights, in increasing order of value)
   * @param bins the number of bins asked for, 2 or more
   */
  public EqualPopulationScan(double total, int bins) {
    if (bins < 1) throw new IllegalArgumentException("bins " + bins);
    this.remaining = total;
    this.left = bins;
    this.aim = remaining / left;
  }

  private EqualPopulationScan(EqualPopulationScan o) {
    remaining = o.remaining;
    left = o.left;
    aim = o.aim;
    filled = o.filled;
    bin = o.bin;
  }

  /** A copy that goes on independently. */
  public EqualPopulationScan copy() {
    return new EqualPopulationScan(this);
  }

  /**
   * The bin of the next group of equal values, of weight {@code w}: the current one, or the next after
   * closing the current one (whose weight is then {@link #filled()} as it was before this call).
   */
  public int next(double w) {
    if (filled > 0 && left > 1 && filled + w / 2 > aim) {
      remaining -= filled;
      left--;
      bin++;
      filled = 0;
      aim = remaining / left;
    }
    filled += w;
    return bin;
  }

  /**
   * Whether groups of total weight {@code weight}, the last of them of weight {@code last}, all join the
   * current bin (no bin can close among them: bin weight plus half a group's never exceeds the aim,
   * with a margin of 1e-12 relative against the rounding of sums added in another order). False is
   * safe: the groups are then scanned one by one.
   */
  public boolean staysInBin(double weight, double last) {
    return left <= 1 || (filled + (weight - last / 2)) * (1 + 1e-12) < aim;
  }

  /** Adds groups of total weight {@code weight} to the current bin (after {@link #staysInBin} said they stay). */
  public void join(double weight) {
    filled += weight;
  }

  /** The current bin (0 first). */
  public int bin() {
    return bin;
  }

  /** The weight in the current bin so far. */
  public double filled() {
    return filled;
  }
}
