package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seeded estimates agree with the exact values within a few standard errors. */
class SampledPairsTest {
  private static final double PULL = 4;

  @ParameterizedTest(name = "seed={0} weighted={1} levels={2}")
  @CsvSource({"1, false, 3", "2, true, 3", "3, false, 0", "4, true, 0"})
  void estimatesAgreeWithExactValues(long seed, boolean weighted, int levels) {
    RandomEvents d = new RandomEvents(3000, seed, weighted, levels);
    Events e = d.events();
    SampledPairs pairs = SampledPairs.draw(e, SampledPairs.DEFAULT_PAIRS, seed);
    assertEquals(50_000, pairs.size());

    double ado = DecisionOrdering.exact(d.f(), d.g(), e).raw();
    Estimate adoEstimate = pairs.ado(d.f(), d.g());
    assertTrue(Math.abs(adoEstimate.pull(ado)) < PULL, adoEstimate + " vs " + ado);

    double auc = Auc.exact(d.h(), e).value();
    Estimate aucEstimate = pairs.auc(d.h());
    assertTrue(Math.abs(aucEstimate.pull(auc)) < PULL, aucEstimate + " vs " + auc);

    DisagreementScore exact = DisagreementSet.of(d.f(), d.g(), e).score(d.h());
    Estimate dis = pairs.disagreement(d.f(), d.g(), d.h());
    assertTrue(Math.abs(dis.pull(exact.raw())) < PULL, dis + " vs " + exact);
    // About the subset's share of all pairs survives the filter.
    double expected = exact.subsetWeight() / e.pairWeight() * pairs.size();
    assertTrue(Math.abs(dis.pairs() - expected) < PULL * Math.sqrt(expected),
        dis + " vs " + expected);
    assertEquals(exact.orientation(), dis.orientation());
  }

  @Test
  void sameSeedSamePairs() {
    RandomEvents d = new RandomEvents(1000, 5, true, 3);
    Estimate a = SampledPairs.draw(d.events(), 10_000, 42).ado(d.f(), d.h());
    Estimate b = SampledPairs.draw(d.events(), 10_000, 42).ado(d.f(), d.h());
    Estimate c = SampledPairs.draw(d.events(), 10_000, 43).ado(d.f(), d.h());
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  /** Zero-weight events are never drawn. */
  @Test
  void zeroWeightEventsAreNeverDrawn() {
    boolean[] signal = {true, true, false, false};
    Events e = Events.of(signal, new double[] {0, 1, 1, 0});
    // Only the pair (1, 2) can be drawn; f orders it, g orders it the other way.
    Estimate est = SampledPairs.draw(e, 1000, 7)
        .ado(Scores.of("f", new double[] {0, 1, 0, 9}), Scores.of("g", new double[] {9, 0, 1, 0}));
    assertEquals(0.0, est.raw(), 0);
    assertEquals(0.0, est.standardError(), 0);
  }
}
