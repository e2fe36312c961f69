package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AucTest {
  private static final double EPS = 1e-12;

  @ParameterizedTest(name = "seed={0} weighted={1} levels={2}")
  @CsvSource({"1, false, 3", "2, true, 3", "3, false, 0", "4, true, 0", "5, true, 12"})
  void matchesMannWhitneyCount(long seed, boolean weighted, int levels) {
    RandomEvents d = new RandomEvents(500, seed, weighted, levels);
    Auc auc = Auc.exact(d.f(), d.events());
    double brute = BruteForce.auc(d.f, d.signal, d.weights);
    assertEquals(brute, auc.value(), EPS);
    assertEquals(Math.max(brute, 1 - brute), auc.own(), EPS);
    assertEquals(1 - brute, auc.value(Direction.SIGNAL_LOW), EPS);
    // A score that separates the other way: own AUC is unchanged, the orientation flips.
    Auc flipped = Auc.exact(Scores.of("-f", RandomEvents.negate(d.f)), d.events());
    assertEquals(1 - brute, flipped.value(), EPS);
    assertEquals(auc.own(), flipped.own(), EPS);
    assertEquals(Orientation.INVERTED, flipped.orientation());
  }

  @Test
  void constantScoreTiesEveryPair() {
    RandomEvents d = new RandomEvents(100, 6, true, 0);
    Auc auc = Auc.exact(Scores.of("c", new double[100]), d.events());
    assertEquals(0.5, auc.value(), 0);
    assertEquals(auc.pairWeight(), auc.tied(), 0);
  }

  @Test
  void perfectSeparation() {
    Events e = Events.of(new boolean[] {true, false, true, false}, new double[] {1, 2, 3, 4});
    assertEquals(1.0, Auc.exact(Scores.of("x", new double[] {5, 1, 6, 2}), e).value(), 0);
    assertEquals(1.0, Auc.exact(Scores.of("x", new double[] {1, 5, 2, 6}), e).own(), 0);
  }
}
