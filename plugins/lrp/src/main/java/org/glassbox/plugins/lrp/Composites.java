package org.glassbox.plugins.lrp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.glassbox.api.OptionException;
import org.glassbox.api.attribution.LrpComposite;
import org.glassbox.api.attribution.LrpRule;

/**
 * Named composites, with Zennit's names and choices. One difference, as METHODS.md asks:
 * Zennit's epsilon-gamma-box gives z^B only to a first convolution; here the first linear layer
 * gets it whether it is a convolution or dense, so dense-first taggers get the box rule too.
 */
final class Composites {
  static final List<String> NAMES = List.of("epsilon-plus-flat", "epsilon-gamma-box", "epsilon-alpha2-beta1", "epsilon",
      "zero", "zplus", "alpha1-beta0", "alpha2-beta1", "flat", "wsquare", "gamma");

  private Composites() {}

  static LrpComposite named(String name, double epsilon, double gamma, double low, double high, List<String> overrides) {
    LrpRule eps = new LrpRule.Epsilon(epsilon);
    LrpComposite c = switch (name) {
      case "epsilon-plus-flat" -> new LrpComposite(name, eps, new LrpRule.ZPlus(), Optional.of(new LrpRule.Flat()), Map.of());
      case "epsilon-gamma-box" -> new LrpComposite(name, eps, new LrpRule.Gamma(gamma), Optional.of(new LrpRule.ZBox(low, high)), Map.of());
      case "epsilon-alpha2-beta1" -> new LrpComposite(name, eps, new LrpRule.AlphaBeta(2, 1), Optional.empty(), Map.of());
      default -> {
        LrpRule r = rule(name, epsilon, gamma, low, high, "composite");
        yield new LrpComposite(name, r, r, Optional.empty(), Map.of());
      }
    };
    if (overrides.isEmpty()) return c;
    // Layers that the model does not have are refused by the engine, which knows them (LrpRules.assign).
    Map<Integer, LrpRule> layers = new TreeMap<>();
    for (String o : overrides) {
      String[] kv = o.split("[:=]", 2);
      if (kv.length != 2 || !kv[0].strip().matches("L\\d+")) {
        throw new OptionException("layer_rules", "layer_rules entries look like 'L1: flat' or 'L3=epsilon', got '" + o + "'.");
      }
      int layer;
      try {
        layer = Integer.parseInt(kv[0].strip().substring(1));
      } catch (NumberFormatException e) {
        layer = 0;
      }
      if (layer < 1) {
        throw new OptionException("layer_rules", "layer_rules: layers are numbered from L1 (the first linear layer), got '"
            + o + "'.");
      }
      if (layers.containsKey(layer)) {
        throw new OptionException("layer_rules", "layer_rules gives L" + layer + " two rules ('" + o + "' and an earlier"
            + " entry); give each layer one.");
      }
      layers.put(layer, rule(kv[1].strip(), epsilon, gamma, low, high, "layer_rules"));
    }
    return new LrpComposite(c.name() + "+" + String.join(",", overrides), c.dense(), c.convolution(), c.first(), layers);
  }

  static LrpRule rule(String name, double epsilon, double gamma, double low, double high, String option) {
    return switch (name) {
      case "epsilon" -> new LrpRule.Epsilon(epsilon);
      case "zero" -> new LrpRule.Zero();
      case "zplus" -> new LrpRule.ZPlus();
      case "alpha1-beta0" -> new LrpRule.AlphaBeta(1, 0);
      case "alpha2-beta1" -> new LrpRule.AlphaBeta(2, 1);
      case "flat" -> new LrpRule.Flat();
      case "wsquare" -> new LrpRule.WSquare();
      case "gamma" -> new LrpRule.Gamma(gamma);
      case "zbox" -> new LrpRule.ZBox(low, high);
      default -> throw new OptionException(option, "unknown LRP rule '" + name + "'; rules: epsilon, zero, zplus, alpha1-beta0,"
          + " alpha2-beta1, flat, wsquare, gamma, zbox.");
    };
  }
}
