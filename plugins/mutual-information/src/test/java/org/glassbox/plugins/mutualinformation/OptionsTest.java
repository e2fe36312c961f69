package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.OptionSpec;
import org.glassbox.api.similarity.Similarity;
import org.junit.jupiter.api.Test;

/** Options, their defaults and their error messages; bad inputs fail before any work. */
class OptionsTest {
  static final int N = 500;
  static final Map<String, double[]> F = functions();

  static Map<String, double[]> functions() {
    SplittableRandom r = new SplittableRandom(1);
    double[] a = new double[N];
    double[] b = new double[N];
    for (int e = 0; e < N; e++) {
      a[e] = r.nextDouble();
      b[e] = a[e] + r.nextDouble();
    }
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("a", a);
    f.put("b", b);
    return f;
  }

  static OptionException optionError(Map<String, Object> options) {
    return assertThrows(OptionException.class, () -> Run.compare(F, Run.ones(N), options, 1));
  }

  @Test
  void theOptionsAndTheirDefaults() {
    MutualInformationMethod m = new MutualInformationMethod();
    assertEquals("mutual-information", m.id());
    assertEquals(List.of("bins", "unweighted", "baseline", "matrix"), m.options().stream().map(OptionSpec::name).toList());
    Map<String, Object> defaults = new LinkedHashMap<>();
    m.options().forEach(o -> defaults.put(o.name(), o.defaultValue()));
    assertEquals(Map.of("bins", 20L, "unweighted", false, "baseline", true, "matrix", "nmi"), defaults);
    assertEquals(List.of("nmi", "baseline", "excess"), m.options().get(3).choices());
    assertTrue(m.conventions().contains("nats") && m.conventions().contains("Ties"));
  }

  @Test
  void binsRunFromTwoToAThousand() {
    OptionException e = optionError(Map.of("bins", 1));
    assertEquals("bins", e.option());
    assertTrue(e.getMessage().contains("2 to 1000, got 1"), e.getMessage());
    e = optionError(Map.of("bins", 1001));
    assertTrue(e.getMessage().contains("got 1001"), e.getMessage());
    Similarity two = Run.compare(F, Run.ones(N), Map.of("bins", 2), 1);
    assertEquals(2.0, two.perFunction().get("a").get("bins"));
  }

  @Test
  void binsNeedEnoughEvents() {
    OptionException e = optionError(Map.of("bins", 501));
    assertEquals("bins", e.option());
    assertTrue(e.getMessage().contains("500 events with non-zero weight cannot fill 501"), e.getMessage());
  }

  @Test
  void matrixIsOneOfItsChoicesAndNeedsTheBaseline() {
    OptionException e = optionError(Map.of("matrix", "nmii"));
    assertEquals("matrix", e.option());
    assertTrue(e.getMessage().contains("nmi, baseline, excess, got 'nmii'"), e.getMessage());
    e = optionError(Map.of("matrix", "excess", "baseline", false));
    assertEquals("matrix", e.option());
    assertTrue(e.getMessage().contains("set baseline: true"), e.getMessage());
  }

  @Test
  void withoutTheBaselineThereIsNoBaselineColumn() {
    Similarity s = Run.compare(F, Run.ones(N), Map.of("baseline", false), 1);
    assertFalse(s.perFunction().get("a").containsKey("permutation_baseline_max"));
    assertEquals(List.of("entropy", "bins"), List.copyOf(s.perFunction().get("a").keySet()));
    Similarity with = Run.compare(F, Run.ones(N), Map.of(), 1);
    assertEquals(List.of("entropy", "bins", "permutation_baseline_max"), List.copyOf(with.perFunction().get("a").keySet()));
    assertEquals(s.matrix()[0][1], with.matrix()[0][1]);
    assertEquals("normalised mutual information", with.measure());
    assertEquals("normalised mutual information, permutation baseline",
        Run.compare(F, Run.ones(N), Map.of("matrix", "baseline"), 1).measure());
    assertEquals("normalised mutual information minus permutation baseline",
        Run.compare(F, Run.ones(N), Map.of("matrix", "excess"), 1).measure());
  }

  @Test
  void functionsMustExistAndShareTheirEvents() {
    GlassboxException e = assertThrows(GlassboxException.class, () -> Run.compare(Map.of(), Run.ones(N), Map.of(), 1));
    assertTrue(e.getMessage().contains("at least one function"), e.getMessage());
    Map<String, double[]> f = new LinkedHashMap<>(F);
    f.put("short", new double[N - 1]);
    e = assertThrows(GlassboxException.class, () -> Run.compare(f, Run.ones(N), Map.of(), 1));
    assertTrue(e.getMessage().contains("'short' has 499 values but 'a' has 500"), e.getMessage());
  }

  @Test
  void oneFunctionAloneIsAOneByOneMatrix() {
    Similarity s = Run.compare(Map.of("a", F.get("a")), Run.ones(N), Map.of(), 1);
    assertEquals(1, s.matrix().length);
    assertEquals(1.0, s.matrix()[0][0]);
  }
}
