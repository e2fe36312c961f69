package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.glassbox.api.GlassboxException;
import org.junit.jupiter.api.Test;

class AdoMatrixTest {
  @Test
  void everyEntryMatchesBruteForceAndTheMatrixIsSymmetric() {
    RandomEvents d = new RandomEvents(300, 21, true, 4);
    double[][] raw = {d.f, d.g, d.h, RandomEvents.negate(d.g)};
    List<Scores> fs = List.of(d.f(), d.g(), d.h(), Scores.of("-g", raw[3]));
    AdoMatrix m = AdoMatrix.exact(fs, d.events());
    assertEquals(List.of("f", "g", "h", "-g"), m.names());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double brute = BruteForce.ado(raw[i], raw[j], d.signal, d.weights);
        assertEquals(brute, m.raw(i, j), 1e-12, "entry " + i + "," + j);
        assertEquals(Math.max(brute, 1 - brute), m.oriented(i, j), 1e-12);
        assertEquals(m.raw(i, j), m.raw(j, i), 0);
      }
    }
    // g and -g tie on the same pairs as g and g, and order all others oppositely.
    assertEquals(1 - m.raw(1, 1), m.raw(1, 3), 1e-12);
    String table = m.toTable();
    String fh = String.format(Locale.ROOT, "%.3f", m.oriented(0, 2));
    assertTrue(table.contains("-g") && table.contains(fh), table);
  }

  @Test
  void rejectsTwoFunctionsWithOneName() {
    RandomEvents d = new RandomEvents(50, 22, false, 0);
    GlassboxException e = assertThrows(GlassboxException.class,
        () -> AdoMatrix.exact(List.of(d.f(), Scores.of("f", d.g)), d.events()));
    assertTrue(e.getMessage().contains("'f'"), e.getMessage());
  }
}
