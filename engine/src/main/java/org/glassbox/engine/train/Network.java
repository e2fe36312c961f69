package org.glassbox.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.api.GlassboxException;

/**
 * The shape of a network the trainer builds: an MLP from F inputs through the hidden widths to one
 * logit, a sigmoid on top. Inputs are standardised inside the graph (with the training set's means
 * and standard deviations as constants), so the exported model takes the data as it is.
 *
 * @param inputs F
 * @param hidden the widths of the hidden layers, in order
 * @param activation of every hidden layer
 */
public record Network(int inputs, int[] hidden, Activation activation) {

  /** Hidden-layer activations, by their YAML names. */
  public enum Activation {
    RELU("relu"), LEAKY_RELU("leaky_relu"), TANH("tanh"), ELU("elu");

    private final String yamlName;

    Activation(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }

    public static Activation of(String name) {
      for (Activation a : values()) if (a.yamlName.equals(name.toLowerCase(Locale.ROOT))) return a;
      throw new GlassboxException("Unknown activation '" + name + "'; use one of " + names() + ".");
    }

    public static List<String> names() {
      List<String> n = new ArrayList<>();
      for (Activation a : values()) n.add(a.yamlName);
      return n;
    }
  }

  public Network {
    hidden = hidden.clone();
    if (inputs < 1) throw new GlassboxException("A network needs at least one input, got " + inputs + ".");
    for (int w : hidden) if (w < 1) throw new GlassboxException("Hidden layer widths must be positive, got " + w + ".");
  }

  /** Widths of every dense layer's input and output: F, hidden..., 1. */
  int[] widths() {
    int[] w = new int[hidden.length + 2];
    w[0] = inputs;
    System.arraycopy(hidden, 0, w, 1, hidden.length);
    w[w.length - 1] = 1;
    return w;
  }

  /** Number of trainable parameters. */
  public long parameters() {
    int[] w = widths();
    long p = 0;
    for (int k = 0; k + 1 < w.length; k++) p += (long) w[k] * w[k + 1] + w[k + 1];
    return p;
  }
}
