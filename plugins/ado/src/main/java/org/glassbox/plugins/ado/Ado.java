package org.glassbox.plugins.ado;

/**
 * The average decision ordering of two functions f and g over signal × background pairs (seed
 * 002), with the pair weights it is made of.
 *
 * <p>A pair (s, b) is <em>concordant</em> when {@code (f_s - f_b)(g_s - g_b) > 0}, discordant when
 * it is {@code < 0}, tied when it is 0 (a tie in f, in g or in both); each pair weighs {@code w_s ·
 * w_b}. Ties count ½ (the convention of seed 002's authors' code).
 *
 * @param concordant weight of the pairs f and g order alike
 * @param discordant weight of the pairs f and g order differently (the "differently ordered" pairs)
 * @param tied weight of the pairs tied in f or in g
 */
public record Ado(double concordant, double discordant, double tied) {
  /**
   * Weight of all signal × background pairs, as the sum of its parts (equal to {@code W_s · W_b} up
   * to rounding; summing the parts makes ADO(f, f) exactly 1 when f has no ties).
   */
  public double pairWeight() {
    return concordant + discordant + tied;
  }

  /** ADO before orientation: {@code (concordant + tied / 2) / pairWeight}. */
  public double raw() {
    return (concordant + 0.5 * tied) / pairWeight();
  }

  /** ADO after seed 002's step 3: {@code 1 - raw} when raw is below ½. */
  public double oriented() {
    return Orientation.orient(raw());
  }

  public Orientation orientation() {
    return Orientation.of(raw());
  }
}
