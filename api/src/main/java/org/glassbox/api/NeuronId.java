package org.glassbox.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of a neuron, as a user writes it: {@code output}, {@code output[k]}, {@code L{k}N{j}}
 * (neuron j of layer k, counting layers as seed 000 does), or {@code <tensor-name>[i]} (element i
 * of any tensor, flattened per event). Resolution against a model happens in the engine.
 */
public sealed interface NeuronId {

  /** The text form, parseable by {@link #parse(String)}. */
  String text();

  /** The model's first output; {@code index} is the flat per-event element, or -1 for "the" output. */
  record Output(int index) implements NeuronId {
    public String text() {
      return index < 0 ? "output" : "output[" + index + "]";
    }
  }

  /** Neuron {@code neuron} (from 0) of layer {@code layer} (from 1). */
  record LayerNeuron(int layer, int neuron) implements NeuronId {
    public LayerNeuron {
      if (layer < 1) throw new GlassboxException("Layers are counted from 1 (L1 is the first hidden layer), got L" + layer);
      if (neuron < 0) throw new GlassboxException("Neurons are counted from 0, got N" + neuron);
    }

    public String text() {
      return "L" + layer + "N" + neuron;
    }
  }

  /** Element {@code index} of the named tensor, flattened per event. */
  record TensorElement(String tensor, int index) implements NeuronId {
    public String text() {
      return tensor + "[" + index + "]";
    }
  }

  Pattern LAYER = Pattern.compile("L(\\d+)N(\\d+)");
  Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");

  static NeuronId parse(String text) {
    String s = text.strip();
    if (s.equals("output")) return new Output(-1);
    Matcher m = LAYER.matcher(s);
    if (m.matches()) return new LayerNeuron(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    m = INDEXED.matcher(s);
    if (m.matches()) {
      int index = Integer.parseInt(m.group(2));
      return m.group(1).equals("output") ? new Output(index) : new TensorElement(m.group(1), index);
    }
    throw new GlassboxException(
        "Cannot read neuron '" + text + "': write output, output[k], L{layer}N{neuron} (e.g. L3N5) or"
            + " <tensor-name>[i]; 'glassbox inspect MODEL' lists the layers and tensors.");
  }
}
