package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionOrderingTest {
  private static final double EPS = 1e-12;

  /** Exact ADO against all pairs, with ties in f, g and both (levels 2, 3, 8), without (0). */
  @ParameterizedTest(name = "n={0} seed={1} weighted={2} levels={3}")
  @CsvSource({
    "300, 1, false, 3", "300, 2, true, 3", "400, 3, false, 8", "400, 4, true, 8",
    "250, 5, false, 0", "250, 6, true, 0", "500, 7, true, 2", "1, 8, false, 3"
  })
  void matchesBruteForce(int n, long seed, boolean weighted, int levels) {
    RandomEvents d = new RandomEvents(Math.max(n, 2), seed, weighted, levels);
    if (n == 1) {
      // Smallest possible sample: one signal, one background event.
      d.signal[0] = true;
      d.signal[1] = false;
    }
    Ado a = DecisionOrdering.exact(d.f(), d.g(), d.events());
    assertEquals(BruteForce.ado(d.f, d.g, d.signal, d.weights), a.raw(), EPS);
    assertEquals(d.events().pairWeight(), a.pairWeight(), EPS * a.pairWeight());
    BruteForce.Disagreement dis = BruteForce.disagreement(d.f, d.g, d.h, d.signal, d.weights);
    assertEquals(dis.weight(), a.discordant(), EPS * a.pairWeight());
    // Swapping f and g changes nothing.
    assertEquals(a.raw(), DecisionOrdering.exact(d.g(), d.f(), d.events()).raw(), EPS);
  }

  /**
   * Large enough for the merge count's threaded path; unit weights make every count an integer, so
   * the exact and brute-force numbers must agree to the last bit.
   */
  @Test
  void threadedPathMatchesBruteForceExactly() {
    RandomEvents d = new RandomEvents(12_000, 9, false, 40);
    Ado a = DecisionOrdering.exact(d.f(), d.g(), d.events());
    long concordant = 0;
    long discordant = 0;
    long tied = 0;
    for (int s = 0; s < d.f.length; s++) {
      if (!d.signal[s]) {
        continue;
      }
      for (int b = 0; b < d.f.length; b++) {
        if (!d.signal[b]) {
          double p = (d.f[s] - d.f[b]) * (d.g[s] - d.g[b]);
          if (p > 0) {
            concordant++;
          } else if (p < 0) {
            discordant++;
          } else {
            tied++;
          }
        }
      }
    }
    assertEquals(concordant, a.concordant(), 0);
    assertEquals(discordant, a.discordant(), 0);
    assertEquals(tied, a.tied(), 0);
  }

  @Test
  void identicalFunctionWithoutTiesOrdersEveryPairAlike() {
    RandomEvents d = new RandomEvents(400, 11, true, 0);
    Ado same = DecisionOrdering.exact(d.f(), d.f(), d.events());
    assertEquals(1.0, same.raw(), 0);
    Ado opposite =
        DecisionOrdering.exact(d.f(), Scores.of("-f", RandomEvents.negate(d.f)), d.events());
    assertEquals(0.0, opposite.raw(), 0);
    assertEquals(1.0, opposite.oriented(), 0);
    assertEquals(Orientation.INVERTED, opposite.orientation());
    assertEquals(Orientation.AS_IS, same.orientation());
  }

  /** ADO(f, f) = 1 - ½ (weight of pairs tied in f) / (all pair weight). */
  @Test
  void identicalFunctionWithTiesLosesHalfItsTies() {
    RandomEvents d = new RandomEvents(400, 12, true, 3);
    Ado same = DecisionOrdering.exact(d.f(), d.f(), d.events());
    double tiedFraction = 0;
    for (int s = 0; s < d.f.length; s++) {
      for (int b = 0; b < d.f.length; b++) {
        if (d.signal[s] && !d.signal[b] && d.f[s] == d.f[b]) {
          tiedFraction += d.weights[s] * d.weights[b];
        }
      }
    }
    tiedFraction /= d.events().pairWeight();
    assertEquals(1 - tiedFraction / 2, same.raw(), EPS);
    assertEquals(0.0, same.discordant(), 0);
  }

  /** The labels as a function: g_s - g_b = 1 on every pair, so ADO(f, truth) is f's AUC. */
  @Test
  void adoWithTheTruthIsTheAuc() {
    RandomEvents d = new RandomEvents(400, 13, true, 3);
    Events e = d.events();
    Ado withTruth = DecisionOrdering.exact(d.f(), Scores.truth(e), e);
    assertEquals(Auc.exact(d.f(), e).value(), withTruth.raw(), EPS);
  }

  /** Only orders matter: a monotone transformation of g leaves every count unchanged. */
  @Test
  void invariantUnderMonotoneTransformation() {
    RandomEvents d = new RandomEvents(300, 14, true, 5);
    double[] expG = Arrays.stream(d.g).map(Math::exp).toArray();
    Ado a = DecisionOrdering.exact(d.f(), d.g(), d.events());
    Ado b = DecisionOrdering.exact(d.f(), Scores.of("exp g", expG), d.events());
    assertEquals(a, b);
  }

  /**
   * Orders come from comparisons, so differences whose product underflows to 0 still order the
   * pair (the literal product formula would call it a tie); -0.0 and 0.0 are one value.
   */
  @Test
  void comparesScoresInsteadOfMultiplyingDifferences() {
    Events e = Events.of(new boolean[] {true, false});
    Ado tiny = DecisionOrdering.exact(Scores.of("f", new double[] {2e-200, 1e-200}),
        Scores.of("g", new double[] {3e-200, 1e-200}), e);
    assertEquals(1.0, tiny.raw(), 0);
    Ado zeros = DecisionOrdering.exact(Scores.of("f", new double[] {-0.0, 0.0}),
        Scores.of("g", new double[] {1, 0}), e);
    assertEquals(0.5, zeros.raw(), 0);
    assertEquals(1.0, zeros.tied(), 0);
  }

  /** Infinite scores are ordered; brute force runs on finite stand-ins (Inf - Inf is NaN). */
  @Test
  void infiniteScoresAreOrdered() {
    boolean[] signal = {true, true, false, false};
    Events e = Events.of(signal);
    double inf = Double.POSITIVE_INFINITY;
    Scores f = Scores.of("f", new double[] {inf, 1, inf, -inf});
    double[] g = {1, 2, 0, 3};
    double[] stand = {3, 2, 3, 1};
    double expected = BruteForce.ado(stand, g, signal, new double[] {1, 1, 1, 1});
    assertEquals(expected, DecisionOrdering.exact(f, Scores.of("g", g), e).raw(), EPS);
  }
}
