package org.glassbox.plugins.ado;

import java.util.Optional;

/**
 * The best cut on a score by approximate median significance (seed 000, eq. 5).
 *
 * @param ams the AMS of the events passing the cut
 * @param cut the cut value: events pass when {@code score >= cut} (signal-like high) or {@code
 *     score <= cut} (signal-like low); always one of the scores
 * @param direction which end of the score passes
 * @param signal s, the summed weight of the signal events passing
 * @param background b, the summed weight of the background events passing
 * @param passing the number of events passing
 * @param regularization b_r of eq. 5
 * @param unitWeights whether every event weight was 1 (see {@link #warning()})
 */
public record AmsCut(
    double ams,
    double cut,
    Direction direction,
    double signal,
    double background,
    long passing,
    double regularization,
    boolean unitWeights) {

  /**
   * A warning for the reader when the weights were all 1: s and b should be expected event counts
   * (weights normalised to cross-section × luminosity); with unit weights they are raw counts of
   * the sample and the AMS has no physical meaning.
   */
  public Optional<String> warning() {
    if (!unitWeights) {
      return Optional.empty();
    }
    return Optional.of("all event weights are 1, so s and b are counts of simulated events, not"
        + " expected numbers of events: this AMS has no physical meaning (give weights normalised"
        + " to cross-section x luminosity)");
  }
}
