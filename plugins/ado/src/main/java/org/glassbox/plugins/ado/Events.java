package org.glassbox.plugins.ado;

import org.glassbox.api.GlassboxException;

/**
 * The events every measure in this package averages over: which are signal, and their weights.
 *
 * <p>Weights must be finite and non-negative: every result here is a weighted <em>mean</em> over
 * signal × background pairs (weight {@code w_s · w_b}), which is only a mean when no weight is
 * negative. Immutable: the arrays are copied.
 */
public final class Events {
  private final boolean[] signal;
  /** {@code null} when every weight is 1, so that the common unweighted case stores nothing. */
  private final double[] weights;

  private final int signalCount;
  private final double signalWeight;
  private final double backgroundWeight;

  private Events(boolean[] signal, double[] weights) {
    this.signal = signal;
    this.weights = weights;
    int ns = 0;
    double ws = 0;
    double wb = 0;
    for (int i = 0; i < signal.length; i++) {
      double w = weights == null ? 1 : weights[i];
      if (signal[i]) {
        ns++;
        ws += w;
      } else {
        wb += w;
      }
    }
    this.signalCount = ns;
    this.signalWeight = ws;
    this.backgroundWeight = wb;
    if (ns == 0) {
      throw new GlassboxException("no signal events among the " + signal.length
          + " events: ADO, AUC and AMS compare signal with background, so both are needed");
    }
    if (ns == signal.length) {
      throw new GlassboxException("no background events among the " + signal.length
          + " events: ADO, AUC and AMS compare signal with background, so both are needed");
    }
    if (!(ws > 0)) {
      throw new GlassboxException("all " + ns + " signal events have weight 0");
    }
    if (!(wb > 0)) {
      throw new GlassboxException(
          "all " + (signal.length - ns) + " background events have weight 0");
    }
  }

  /** Events with unit weights. */
  public static Events of(boolean[] signal) {
    return of(signal, null);
  }

  /**
   * Events with the given weights ({@code null} means every weight is 1).
   *
   * @throws GlassboxException if the lengths differ, a weight is negative, NaN or infinite, or
   *     there is no signal or no background event (or either has total weight 0)
   */
  public static Events of(boolean[] signal, double[] weights) {
    if (signal == null) {
      throw new GlassboxException(
          "no labels given: every event must be marked signal or background");
    }
    if (weights == null) {
      return new Events(signal.clone(), null);
    }
    if (weights.length != signal.length) {
      throw new GlassboxException("there are " + weights.length + " weights but " + signal.length
          + " labelled events; give one weight per event");
    }
    boolean allOne = true;
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new GlassboxException("weight of event " + i + " is " + w
            + "; weights must be finite and non-negative (ADO, AUC and AMS are weighted means or"
            + " sums)");
      }
      allOne &= w == 1;
    }
    return new Events(signal.clone(), allOne ? null : weights.clone());
  }

  /** The same events with every weight set to 1 (the {@code unweighted} option). */
  public Events unweighted() {
    return weights == null ? this : new Events(signal, null);
  }

  public int size() {
    return signal.length;
  }

  public int signalCount() {
    return signalCount;
  }

  public int backgroundCount() {
    return signal.length - signalCount;
  }

  public double signalWeight() {
    return signalWeight;
  }

  public double backgroundWeight() {
    return backgroundWeight;
  }

  /** Total weight of all signal × background pairs: the denominator of ADO and AUC. */
  public double pairWeight() {
    return signalWeight * backgroundWeight;
  }

  /** Whether every weight is exactly 1 (AMS has no physical meaning then). */
  public boolean unitWeights() {
    return weights == null;
  }

  public boolean isSignal(int event) {
    return signal[event];
  }

  public double weight(int event) {
    return weights == null ? 1 : weights[event];
  }

  /** Checks that {@code scores} has one value per event. */
  void requireSameSize(Scores scores) {
    if (scores.size() != signal.length) {
      throw new GlassboxException("scores '" + scores.name() + "' have " + scores.size()
          + " values but there are " + signal.length + " events; give one score per event");
    }
  }

  @Override
  public String toString() {
    return "Events[" + signalCount + " signal (weight " + signalWeight + "), " + backgroundCount()
        + " background (weight " + backgroundWeight + ")"
        + (weights == null ? ", unit weights" : "") + "]";
  }
}
