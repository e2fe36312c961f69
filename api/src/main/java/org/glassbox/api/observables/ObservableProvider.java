package org.glassbox.api.observables;

import java.util.Map;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.Options;
import org.glassbox.api.Progress;

/**
 * Computes observables (new data columns) from each event's particles, e.g. energy flow
 * polynomials. The columns join the data like any other column: methods rank them, similarity
 * methods compare them with networks, and surrogate searches pick among them.
 */
public interface ObservableProvider extends MethodProvider {
  /** Named columns, one value per event, in a stable order. */
  Map<String, double[]> compute(ParticleData particles, Options options, Progress progress);

  /** A readable description of one of this provider's columns (e.g. an EFP's graph), or "". */
  default String describe(String column, Options options) {
    return "";
  }
}
