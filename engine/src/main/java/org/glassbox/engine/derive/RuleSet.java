package org.glassbox.engine.derive;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Backward rules by operator type, plus the table of what carries no gradient: operators whose
 * outputs are piecewise constant or integral (comparisons, Shape, Sign, ...) and individual inputs
 * that are indices, shapes or conditions (Reshape's shape, Where's condition). Immutable.
 */
public final class RuleSet {
  private final String name;
  private final Map<String, VjpRule> rules;
  private final Set<String> constantOps;
  private final Map<String, Set<Integer>> stopInputs;

  private RuleSet(String name, Map<String, VjpRule> rules, Set<String> constantOps, Map<String, Set<Integer>> stopInputs) {
    this.name = name;
    this.rules = Map.copyOf(rules);
    this.constantOps = Set.copyOf(constantOps);
    this.stopInputs = Map.copyOf(stopInputs);
  }

  public String name() {
    return name;
  }

  public VjpRule rule(String op) {
    return rules.get(op);
  }

  /** Outputs of this operator never depend differentiably on its inputs. */
  public boolean isConstant(String op) {
    return constantOps.contains(op);
  }

  /** Whether input {@code index} of an {@code op} node carries gradient. */
  public boolean carriesGradient(String op, int index) {
    return !constantOps.contains(op) && !stopInputs.getOrDefault(op, Set.of()).contains(index);
  }

  /** Operators a derived graph may contain: those with a rule and those that carry no gradient. */
  public boolean knows(String op) {
    return rules.containsKey(op) || constantOps.contains(op);
  }

  public Set<String> differentiableOperators() {
    return new TreeSet<>(rules.keySet());
  }

  public Set<String> knownOperators() {
    Set<String> all = new TreeSet<>(rules.keySet());
    all.addAll(constantOps);
    return all;
  }

  public Builder toBuilder(String newName) {
    Builder b = new Builder(newName);
    b.rules.putAll(rules);
    b.constantOps.addAll(constantOps);
    stopInputs.forEach((k, v) -> b.stopInputs.put(k, new HashSet<>(v)));
    return b;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final String name;
    private final Map<String, VjpRule> rules = new HashMap<>();
    private final Set<String> constantOps = new HashSet<>();
    private final Map<String, Set<Integer>> stopInputs = new HashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder rule(String op, VjpRule rule, int... stoppedInputs) {
      rules.put(op, rule);
      for (int i : stoppedInputs) stopInputs.computeIfAbsent(op, k -> new HashSet<>()).add(i);
      return this;
    }

    public Builder constant(String... ops) {
      constantOps.addAll(Set.of(ops));
      return this;
    }

    public RuleSet build() {
      return new RuleSet(name, rules, constantOps, stopInputs);
    }
  }
}
