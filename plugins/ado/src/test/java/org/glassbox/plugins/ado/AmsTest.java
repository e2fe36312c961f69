package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmsTest {
  @Test
  void formulaValues() {
    assertEquals(0.0, Ams.value(0, 100), 0);
    // Hand-computed: s = 10, b = 0, b_r = 10: sqrt(2 (20 ln 2 - 10)).
    assertEquals(Math.sqrt(2 * (20 * Math.log(2) - 10)), Ams.value(10, 0), 1e-15);
    assertEquals(BruteForce.ams(25, 400, 10), Ams.value(25, 400), 1e-12);
    // s << b: AMS tends to s / sqrt(b + b_r), the familiar s / sqrt(b).
    assertEquals(1e-3 / Math.sqrt(1e6 + 10), Ams.value(1e-3, 1e6), 1e-12);
    assertEquals(Math.sqrt(2 * (2 * Math.log(2) - 1)), Ams.value(1, 1, 0), 1e-15);
  }

  @ParameterizedTest(name = "seed={0} weighted={1} levels={2} high={3}")
  @CsvSource({
    "1, true, 3, true", "2, true, 3, false", "3, true, 0, true", "4, true, 0, false",
    "5, false, 8, true", "6, false, 8, false"
  })
  void scanMatchesBruteForce(long seed, boolean weighted, int levels, boolean high) {
    RandomEvents d = new RandomEvents(400, seed, weighted, levels);
    // Weights as expected numbers of events: a rare signal on a large background.
    double[] w = d.weights.clone();
    if (weighted) {
      for (int i = 0; i < w.length; i++) {
        w[i] *= d.signal[i] ? 0.3 : 5;
      }
    }
    double[] x = high ? d.f : RandomEvents.negate(d.f);
    Direction dir = high ? Direction.SIGNAL_HIGH : Direction.SIGNAL_LOW;
    AmsCut cut = Ams.scan(Scores.of("x", x), Events.of(d.signal, w), dir);
    double[] brute = BruteForce.amsScan(x, d.signal, w, high);
    assertEquals(brute[0], cut.ams(), 1e-12);
    assertEquals(brute[1], cut.cut(), 0);
    assertEquals(brute[2], cut.signal(), 1e-9);
    assertEquals(brute[3], cut.background(), 1e-9);
    long passing = Arrays.stream(x).filter(v -> high ? v >= cut.cut() : v <= cut.cut()).count();
    assertEquals(passing, cut.passing());
    assertEquals(dir, cut.direction());
    assertEquals(!weighted, cut.warning().isPresent());
  }

  /** Seed 000 keeps events with the network output below a value: the low direction. */
  @Test
  void lowDirectionKeepsEventsBelowTheCut() {
    boolean[] signal = {true, true, false, false, false};
    double[] w = {2, 2, 1, 1, 50};
    double[] out = {-12, -11, -10.5, -3, 0};
    AmsCut cut = Ams.scan(Scores.of("output", out), Events.of(signal, w), Direction.SIGNAL_LOW);
    assertEquals(-11, cut.cut(), 0);
    assertEquals(4, cut.signal(), 0);
    assertEquals(0, cut.background(), 0);
    assertEquals(2, cut.passing());
    assertEquals(Ams.value(4, 0), cut.ams(), 0);
    assertFalse(cut.warning().isPresent());
  }

  @Test
  void unitWeightsAreFlagged() {
    RandomEvents d = new RandomEvents(50, 7, false, 0);
    AmsCut cut = Ams.scan(d.f(), d.events(), Direction.SIGNAL_HIGH);
    assertTrue(cut.unitWeights());
    assertTrue(cut.warning().orElseThrow().contains("no physical meaning"));
  }
}
