package org.glassbox.plugins.efp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

/** Inputs: padding, counts, packed arrays, threads, and the errors users get. */
class JetBatchTest {
  private static final EfpLibrary LIB = EfpLibrary.create(4, List.of(-1.0, 0.0, 1.0), List.of(1.0), Measure.HADRONIC);

  @Test
  void paddingCountsAndPackedInputAgree() {
    double[] pt = {5, 3, 8};
    double[] y = {0.1, -0.2, 0.3};
    double[] phi = {3.0, -3.1, 2.9};
    double[][] compact = LIB.compute(JetBatch.hadronic(new double[][] {pt}, new double[][] {y}, new double[][] {phi}));
    // Zero-pT entries anywhere, with garbage positions, are padding.
    double[][] padded = LIB.compute(JetBatch.hadronic(new double[][] {{0, 5, 3, 0, 8, 0}},
        new double[][] {{7, 0.1, -0.2, 99, 0.3, 1}}, new double[][] {{1, 3.0, -3.1, -5, 2.9, 0}}));
    // With counts, entries past the count are ignored whatever they hold.
    double[][] counted = LIB.compute(JetBatch.hadronic(new double[][] {{5, 3, 8, 12, 4}},
        new double[][] {{0.1, -0.2, 0.3, 0, 0}}, new double[][] {{3.0, -3.1, 2.9, 0, 0}}, new int[] {3}));
    float[] packed = new float[2 * 4 * 3];
    for (int a = 0; a < 3; a++) {
      packed[a * 3] = (float) y[a];
      packed[a * 3 + 1] = (float) pt[a];
      packed[a * 3 + 2] = (float) phi[a];
    }
    double[][] fromFloats = LIB.compute(JetBatch.hadronic(packed, 2, 4, 3, 1, 0, 2));
    assertArrayEquals(compact[0], padded[0], 0);
    assertArrayEquals(compact[0], counted[0], 0);
    for (int i = 0; i < compact[0].length; i++) {
      assertEquals(compact[0][i], fromFloats[0][i], 1e-5 * Math.abs(compact[0][i]));
      assertEquals(0, fromFloats[1][i], 0);
    }
    // κ = −1 is finite because padding never reaches the power.
    assertTrue(java.util.Arrays.stream(padded[0]).allMatch(Double::isFinite));
  }

  @Test
  void threadsGiveTheSameNumbers() {
    SplittableRandom r = new SplittableRandom(31);
    int jets = 13;
    double[][] pt = new double[jets][];
    double[][] y = new double[jets][];
    double[][] phi = new double[jets][];
    for (int j = 0; j < jets; j++) {
      double[][] jet = EfpValuesTest.randomJet(r, 1 + j % 7);
      pt[j] = jet[0];
      y[j] = jet[1];
      phi[j] = jet[2];
    }
    JetBatch batch = JetBatch.hadronic(pt, y, phi);
    double[][] one = LIB.compute(batch);
    double[][] three = LIB.compute(batch, 3);
    for (int j = 0; j < jets; j++) {
      assertArrayEquals(one[j], three[j], 0);
    }
  }

  @Test
  void userErrorsAreGlassboxExceptions() {
    double[][] ok = {{1, 2}};
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(new double[][] {{1, -2}}, ok, ok));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(new double[][] {{1, Double.NaN}}, ok, ok));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(ok, new double[][] {{1, Double.NaN}}, ok));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(ok, new double[][] {{1}}, ok));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(ok, ok, new double[][] {{1, 2}, {3, 4}}));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(ok, ok, ok, new int[] {3}));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(new float[5], 1, 2, 3, 0, 1, 2));
    assertThrows(GlassboxException.class, () -> JetBatch.hadronic(new float[6], 1, 2, 3, 0, 1, 3));
    GlassboxException wrongKind = assertThrows(GlassboxException.class,
        () -> LIB.compute(JetBatch.fourVectors(ok, ok, ok, ok)));
    assertTrue(wrongKind.getMessage().contains("JetBatch.hadronic"), wrongKind.getMessage());
    assertThrows(GlassboxException.class, () -> LIB.compute(JetBatch.hadronic(ok, ok, ok), 0));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(9, List.of(1.0), List.of(1.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(-1, List.of(1.0), List.of(1.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(3, List.of(), List.of(1.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(3, List.of(1.0), List.of(0.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(3, List.of(1.0, 1.0), List.of(1.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(3, List.of(Double.NaN), List.of(1.0), Measure.HADRONIC));
    assertThrows(GlassboxException.class, () -> EfpLibrary.create(3, List.of(1.0), List.of(1.0), null));
  }

  @Test
  void timeProfileCoversEveryChi() {
    EfpLibrary lib = EfpLibrary.create(6, List.of(1.0), List.of(1.0), Measure.HADRONIC);
    double[][] jet = EfpValuesTest.randomJet(new SplittableRandom(3), 10);
    var seconds = lib.secondsByChi(JetBatch.hadronic(new double[][] {jet[0]}, new double[][] {jet[1]}, new double[][] {jet[2]}), 1);
    assertEquals(List.of(1, 2, 3, 4), List.copyOf(seconds.keySet()));
    assertTrue(seconds.values().stream().allMatch(s -> s >= 0));
  }
}
