package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.plugins.mutualinformation.QuantileBinning.Binned;
import org.junit.jupiter.api.Test;

/** Equal-population bins, and what happens with ties, weights and discrete functions. */
class BinningTest {
  static double[] gaussian(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int e = 0; e < n; e++) x[e] = r.nextGaussian();
    return x;
  }

  static int[] counts(Binned b) {
    int[] c = new int[b.count()];
    for (short s : b.bins()) c[s]++;
    return c;
  }

  @Test
  void withoutTiesEveryBinHoldsTheSameNumberOfEvents() {
    Binned b = QuantileBinning.bin("x", gaussian(1, 1_000), null, 20);
    assertEquals(20, b.count());
    for (int c : counts(b)) assertEquals(50, c);
    assertEquals(Math.log(20), b.entropy(), 1e-12);
    assertFalse(b.discrete());
    // N not a multiple of the bins: 50 or 51 each.
    Binned odd = QuantileBinning.bin("x", gaussian(2, 1_013), null, 20);
    for (int c : counts(odd)) assertTrue(c == 50 || c == 51, "count " + c);
  }

  @Test
  void binsAreIntervalsInIncreasingOrder() {
    double[] x = gaussian(3, 5_000);
    Binned b = QuantileBinning.bin("x", x, null, 20);
    for (int e = 0; e < x.length; e++) {
      for (int f = 0; f < x.length; f += 37) {
        if (x[e] < x[f]) assertTrue(b.bins()[e] <= b.bins()[f]);
      }
    }
  }

  @Test
  void withWeightsEveryBinHoldsTheSameWeightWithinOneEvent() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 10_000;
    double[] w = new double[n];
    double total = 0;
    double max = 0;
    for (int e = 0; e < n; e++) {
      w[e] = 0.1 + 5 * r.nextDouble();
      total += w[e];
      max = Math.max(max, w[e]);
    }
    Binned b = QuantileBinning.bin("x", gaussian(5, n), w, 20);
    assertEquals(20, b.count());
    for (double bw : b.binWeight()) assertEquals(total / 20, bw, max, "bin weight");
  }

  @Test
  void strictlyIncreasingTransformsGiveTheSameBins() {
    double[] x = gaussian(6, 4_000);
    double[] w = new double[x.length];
    SplittableRandom r = new SplittableRandom(7);
    for (int e = 0; e < w.length; e++) w[e] = r.nextDouble();
    double[] y = new double[x.length];
    for (int e = 0; e < x.length; e++) y[e] = Math.exp(x[e]) + x[e] * x[e] * x[e];
    assertArrayEquals(QuantileBinning.bin("x", x, w, 17).bins(), QuantileBinning.bin("y", y, w, 17).bins());
  }

  @Test
  void equalValuesShareABin() {
    double[] x = gaussian(8, 6_000);
    for (int e = 0; e < x.length; e++) x[e] = Math.round(x[e] * 10) / 10.0; // about 70 distinct values
    Binned b = QuantileBinning.bin("x", x, null, 20);
    short[] binOf = new short[200];
    java.util.Arrays.fill(binOf, (short) -1);
    for (int e = 0; e < x.length; e++) {
      int v = (int) Math.round(x[e] * 10) + 100;
      if (binOf[v] < 0) binOf[v] = b.bins()[e];
      assertEquals(binOf[v], b.bins()[e], "value " + x[e]);
    }
  }

  @Test
  void aDiscreteFunctionGetsOneBinPerDistinctValue() {
    SplittableRandom r = new SplittableRandom(9);
    double[] x = new double[3_000];
    double[] p = {0.02, 0.5, 0.08, 0.3, 0.1};
    double[] values = {-1, 0, 2, 2.5, 7};
    double[] w = new double[x.length];
    for (int e = 0; e < x.length; e++) {
      double u = r.nextDouble();
      int k = 0;
      while (k < 4 && u > p[k]) u -= p[k++];
      x[e] = values[k];
      w[e] = 1 + r.nextDouble();
    }
    Binned b = QuantileBinning.bin("x", x, w, 20);
    assertTrue(b.discrete());
    assertEquals(5, b.count());
    double[] expect = new double[5];
    for (int e = 0; e < x.length; e++) {
      int k = java.util.Arrays.binarySearch(values, x[e]);
      assertEquals(k, b.bins()[e]);
      expect[k] += w[e];
    }
    assertArrayEquals(expect, b.binWeight(), 1e-9);
    assertEquals(QuantileBinning.entropy(expect), b.entropy(), 1e-15);
  }

  @Test
  void aSpikeTakesOneBinAndTheRestShareTheOthers() {
    // A ReLU neuron: 40 % zeros (some of them -0.0), the rest continuous.
    SplittableRandom r = new SplittableRandom(10);
    int n = 10_000;
    double[] x = new double[n];
    for (int e = 0; e < n; e++) x[e] = e % 5 < 2 ? (e % 2 == 0 ? 0.0 : -0.0) : r.nextDouble();
    Binned b = QuantileBinning.bin("relu", x, null, 20);
    assertEquals(20, b.count());
    int[] c = counts(b);
    assertEquals(4_000, c[0]);
    for (int k = 1; k < 20; k++) assertTrue(Math.abs(c[k] - 6_000 / 19.0) <= 1, "bin " + k + ": " + c[k]);
    // A spike in the middle: the bins below and above it share the rest.
    for (int e = 0; e < n; e++) x[e] = e % 10 < 3 ? 0.5 : r.nextDouble();
    b = QuantileBinning.bin("spike", x, null, 20);
    assertTrue(b.count() <= 20 && b.count() >= 18, "bins " + b.count());
    int spikeBin = -1;
    for (int e = 0; e < n; e++) {
      if (x[e] == 0.5) {
        if (spikeBin < 0) spikeBin = b.bins()[e];
        assertEquals(spikeBin, b.bins()[e]);
      }
    }
    assertEquals(3_000, counts(b)[spikeBin]);
  }

  @Test
  void anEventHeavierThanABinsShareTakesABinOfItsOwn() {
    double[] x = gaussian(11, 1_000);
    double[] w = new double[x.length];
    java.util.Arrays.fill(w, 1);
    w[123] = 500;
    Binned b = QuantileBinning.bin("x", x, w, 20);
    int own = b.bins()[123];
    for (int e = 0; e < x.length; e++) {
      if (e != 123) assertTrue(b.bins()[e] != own, "event " + e + " shares the heavy event's bin");
    }
  }

  @Test
  void nanIsAnErrorNamingTheFunctionAndEvent() {
    double[] x = gaussian(12, 100);
    x[42] = Double.NaN;
    GlassboxException e = assertThrows(GlassboxException.class, () -> QuantileBinning.bin("m_T2", x, null, 20));
    assertTrue(e.getMessage().contains("'m_T2' is NaN at event 42"), e.getMessage());
  }

  @Test
  void infinitiesAreOrdinaryExtremeValues() {
    double[] x = gaussian(13, 1_000);
    x[0] = Double.POSITIVE_INFINITY;
    x[1] = Double.NEGATIVE_INFINITY;
    Binned b = QuantileBinning.bin("x", x, null, 20);
    assertEquals(19, b.bins()[0]);
    assertEquals(0, b.bins()[1]);
  }
}
