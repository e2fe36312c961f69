package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisagreementSetTest {
  private static final double EPS = 1e-12;

  /**
   * Weight, pair count and score of h against brute-force enumeration of the disagreeing pairs.
   * Levels 2 and 3 make x groups larger than the pair-by-pair leaves (the divide and conquer then
   * splits inside a group); level 0 has no ties; weighted data include zero weights.
   */
  @ParameterizedTest(name = "n={0} seed={1} weighted={2} levels={3}")
  @CsvSource({
    "400, 1, false, 3", "400, 2, true, 3", "500, 3, false, 8", "500, 4, true, 8",
    "300, 5, false, 0", "300, 6, true, 0", "500, 7, false, 2", "500, 8, true, 2",
    "40, 9, true, 3"
  })
  void matchesBruteForce(int n, long seed, boolean weighted, int levels) {
    RandomEvents d = new RandomEvents(n, seed, weighted, levels);
    DisagreementSet set = DisagreementSet.of(d.f(), d.g(), d.events());
    BruteForce.Disagreement brute = BruteForce.disagreement(d.f, d.g, d.h, d.signal, d.weights);
    assertEquals(brute.count(), set.pairCount());
    assertEquals(brute.weight(), set.weight(), EPS * brute.weight());
    DisagreementScore score = set.score(d.h());
    assertEquals(brute.raw(), score.raw(), EPS);
    assertEquals(brute.weight(), score.subsetWeight(), EPS * brute.weight());
    assertEquals(Math.max(brute.raw(), 1 - brute.raw()), score.oriented(), EPS);
    assertEquals("h", score.function());
    // h = f: f orders every subset pair against g, so the raw score is 0 and inverted 1.
    DisagreementScore againstF = set.score(d.f());
    BruteForce.Disagreement bruteF = BruteForce.disagreement(d.f, d.g, d.f, d.signal, d.weights);
    assertEquals(0.0, bruteF.raw(), 0);
    assertEquals(0.0, againstF.raw(), EPS);
    assertEquals(1.0, againstF.oriented(), EPS);
    assertEquals(Orientation.INVERTED, againstF.orientation());
    // h = g: g never ties on the subset, so the score is exactly 1.
    assertEquals(1.0, set.score(d.g()).raw(), EPS);
  }

  /** Large enough for the threaded path; one thread and two agree exactly with unit weights. */
  @Test
  void threadedPathMatchesBruteForce() {
    RandomEvents d = new RandomEvents(6000, 31, false, 10);
    DisagreementSet set = DisagreementSet.of(d.f(), d.g(), d.events());
    BruteForce.Disagreement brute = BruteForce.disagreement(d.f, d.g, d.h, d.signal, d.weights);
    DisagreementScore one = set.score(d.h(), 1);
    DisagreementScore two = set.score(d.h(), 2);
    assertEquals(brute.alike(), one.alike(), 0);
    assertEquals(brute.alike(), two.alike(), 0);
    assertEquals(brute.weight(), two.subsetWeight(), 0);
    assertEquals(brute.count(), set.pairCount());
  }

  @Test
  void threadedPathMatchesBruteForceWithWeights() {
    RandomEvents d = new RandomEvents(5000, 32, true, 0);
    DisagreementScore s = DisagreementSet.of(d.f(), d.g(), d.events()).score(d.h(), 4);
    assertEquals(BruteForce.disagreement(d.f, d.g, d.h, d.signal, d.weights).raw(), s.raw(), EPS);
  }

  /**
   * Truth-guided baseline: with the labels as g, the subset is the pairs f orders wrongly, and h is
   * judged by how often it orders them right (g has two values only).
   */
  @Test
  void truthAsTheReferenceFunction() {
    RandomEvents d = new RandomEvents(400, 35, true, 6);
    Events e = d.events();
    double[] y = new double[d.f.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = d.signal[i] ? 1 : 0;
    }
    DisagreementSet set = DisagreementSet.of(d.f(), Scores.truth(e), e);
    BruteForce.Disagreement brute = BruteForce.disagreement(d.f, y, d.h, d.signal, d.weights);
    assertEquals(brute.raw(), set.score(d.h()).raw(), EPS);
    assertEquals(brute.count(), set.pairCount());
    // The subset is the pairs f orders wrongly: its weight is the "below" part of f's AUC.
    assertEquals(Auc.exact(d.f(), e).below(), set.weight(), EPS * brute.weight());
  }

  /** The set is symmetric in f and g as a set of pairs; its weight is 1 - ADO's discordant part. */
  @Test
  void subsetIsTheDiscordantPartOfAdo() {
    RandomEvents d = new RandomEvents(300, 33, true, 4);
    DisagreementSet fg = DisagreementSet.of(d.f(), d.g(), d.events());
    DisagreementSet gf = DisagreementSet.of(d.g(), d.f(), d.events());
    assertEquals(fg.weight(), gf.weight(), EPS * fg.weight());
    assertEquals(fg.pairCount(), gf.pairCount());
    Ado ado = DecisionOrdering.exact(d.f(), d.g(), d.events());
    assertEquals(ado.discordant() / d.events().pairWeight(), fg.fraction(), EPS);
  }

  @Test
  void emptySubsetCannotBeScored() {
    RandomEvents d = new RandomEvents(100, 34, false, 0);
    double[] twice = d.f.clone();
    for (int i = 0; i < twice.length; i++) {
      twice[i] *= 2;
    }
    DisagreementSet set = DisagreementSet.of(d.f(), Scores.of("2f", twice), d.events());
    assertTrue(set.isEmpty());
    assertEquals(0, set.pairCount());
    GlassboxException e = assertThrows(GlassboxException.class, () -> set.score(d.h()));
    assertTrue(e.getMessage().contains("'f' and '2f'"), e.getMessage());
  }
}
