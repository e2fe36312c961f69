package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails early with a message that says what is wrong and where. */
class ValidationTest {
  private static void fails(Executable e, String... parts) {
    String m = assertThrows(GlassboxException.class, e).getMessage();
    for (String p : parts) {
      assertTrue(m.contains(p), "message '" + m + "' should contain '" + p + "'");
    }
  }

  private static final boolean[] LABELS = {true, false, true, false};

  @Test
  void lengthMismatchBetweenScoresAndEvents() {
    Events e = Events.of(LABELS);
    Scores three = Scores.of("mass", new double[] {1, 2, 3});
    Scores four = Scores.of("pt", new double[] {1, 2, 3, 4});
    fails(() -> DecisionOrdering.exact(four, three, e), "'mass'", "3 values", "4 events");
    fails(() -> Auc.exact(three, e), "'mass'");
    fails(() -> DisagreementSet.of(four, three, e), "'mass'");
    fails(() -> DisagreementSet.of(four, four, e).score(three), "'mass'");
    fails(() -> SampledPairs.draw(e, 10, 1).ado(four, three), "'mass'");
    fails(() -> Ams.scan(three, e, Direction.SIGNAL_HIGH), "'mass'");
  }

  @Test
  void lengthMismatchBetweenWeightsAndLabels() {
    fails(() -> Events.of(LABELS, new double[] {1, 1}), "2 weights", "4 labelled events");
  }

  @Test
  void noSignalOrNoBackground() {
    fails(() -> Events.of(new boolean[] {false, false}), "no signal events");
    fails(() -> Events.of(new boolean[] {true, true, true}), "no background events");
    fails(() -> Events.of(new boolean[0]), "no signal events");
    fails(() -> Events.of(LABELS, new double[] {0, 1, 0, 1}), "signal events have weight 0");
    fails(() -> Events.of(LABELS, new double[] {1, 0, 1, 0}), "background events have weight 0");
  }

  @Test
  void nanScoreNamesTheEvent() {
    fails(() -> Scores.of("cnn", new double[] {0.1, 0.2, Double.NaN, 0.4}), "'cnn'", "NaN",
        "index 2");
  }

  @Test
  void badWeights() {
    fails(() -> Events.of(LABELS, new double[] {1, -0.5, 1, 1}), "event 1", "-0.5", "non-negative");
    fails(() -> Events.of(LABELS, new double[] {1, 1, Double.NaN, 1}), "event 2", "NaN");
    fails(() -> Events.of(LABELS, new double[] {1, 1, 1, Double.POSITIVE_INFINITY}), "event 3");
  }

  @Test
  void badOptions() {
    Events e = Events.of(LABELS);
    fails(() -> SampledPairs.draw(e, 0, 1), "positive", "0");
    fails(() -> Ams.value(-1, 2), "s = -1.0");
    fails(() -> Ams.scan(Scores.of("x", new double[4]), e, Direction.SIGNAL_HIGH, 0), "b_r", "0.0");
    fails(() -> Scores.of(" ", new double[1]), "name");
  }
}
