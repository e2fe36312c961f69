package org.glassbox.api.attribution;

/**
 * A layer-wise relevance propagation rule for a linear layer (dense, convolution), as data. Names
 * and defaults follow Zennit so that numbers can be compared; definitions in METHODS.md §6.
 */
public sealed interface LrpRule {
  String name();

  /** LRP-0: R_j = a_j Σ_k w_jk R_k / z_k (0/0 := 0). */
  record Zero() implements LrpRule {
    public String name() {
      return "zero";
    }
  }

  /** LRP-ε: the denominator z_k + ε·sign(z_k), sign(0) = +1. */
  record Epsilon(double epsilon) implements LrpRule {
    public String name() {
      return "epsilon(" + epsilon + ")";
    }
  }

  /** LRP-γ: weights w + γw⁺ and bias b + γb⁺ (for non-negative inputs). */
  record Gamma(double gamma) implements LrpRule {
    public String name() {
      return "gamma(" + gamma + ")";
    }
  }

  /** LRP-αβ with α − β = 1; positive and negative contributions, bias included, 0/0 := 0. */
  record AlphaBeta(double alpha, double beta) implements LrpRule {
    public AlphaBeta {
      if (Math.abs(alpha - beta - 1) > 1e-12) {
        throw new org.glassbox.api.OptionException("alpha", "LRP-alpha-beta needs alpha - beta = 1, got alpha " + alpha + ", beta " + beta + ".");
      }
    }

    public String name() {
      return "alpha" + fmt(alpha) + "-beta" + fmt(beta);
    }

    private static String fmt(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
  }

  /** z⁺: positive contributions only, no bias. */
  record ZPlus() implements LrpRule {
    public String name() {
      return "zplus";
    }
  }

  /** Flat: inputs and weights replaced by 1 (relevance spread evenly over the receptive field). */
  record Flat() implements LrpRule {
    public String name() {
      return "flat";
    }
  }

  /** w²: inputs replaced by 1, weights squared. */
  record WSquare() implements LrpRule {
    public String name() {
      return "wsquare";
    }
  }

  /** z^B for inputs bounded by low ≤ x ≤ high. */
  record ZBox(double low, double high) implements LrpRule {
    public String name() {
      return "zbox(" + low + ", " + high + ")";
    }
  }
}
