package org.glassbox.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.api.GlassboxException;

/**
 * The shape of a network the trainer builds: optional convolution blocks (each a same-padded
 * convolution, the activation and a 2×2 max-pool, on 1-D or 2-D inputs [channels, length] or
 * [channels, height, width]), then dense hidden layers to one logit, a sigmoid on top. Inputs are
 * standardised inside the graph (per feature for dense networks; one scale for convolutional ones,
 * so that zero padding stays zero), and the exported model takes the data as it is.
 *
 * @param inputShape the per-event input shape, e.g. [19] or [1, 32, 32]
 * @param conv convolution blocks, in order (empty: an MLP on the flattened input)
 * @param hidden the widths of the dense hidden layers, in order
 * @param activation of every hidden layer and convolution block
 */
public record Network(long[] inputShape, List<ConvBlock> conv, int[] hidden, Activation activation) {

  /** A convolution block: this many output channels, a kernel this wide (odd, same padding). */
  public record ConvBlock(int channels, int kernel) {
    public ConvBlock {
      if (channels < 1 || kernel < 1 || kernel % 2 == 0) {
        throw new GlassboxException("A convolution block needs at least one channel and an odd kernel width; got ["
            + channels + ", " + kernel + "].");
      }
    }
  }

  /** An MLP on F inputs. */
  public Network(int inputs, int[] hidden, Activation activation) {
    this(new long[] {inputs}, List.of(), hidden, activation);
  }

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
    inputShape = inputShape.clone();
    conv = List.copyOf(conv);
    hidden = hidden.clone();
    for (long d : inputShape) if (d < 1) throw new GlassboxException("Input dimensions must be positive, got " + d + ".");
    for (int w : hidden) if (w < 1) throw new GlassboxException("Hidden layer widths must be positive, got " + w + ".");
    if (!conv.isEmpty() && inputShape.length != 2 && inputShape.length != 3) {
      throw new GlassboxException("Convolution blocks need inputs of shape [channels, length] or [channels, height, width];"
          + " these events have shape " + java.util.Arrays.toString(inputShape) + ".");
    }
    long[] s = inputShape;
    for (ConvBlock b : conv) {
      for (int i = 1; i < s.length; i++) {
        if (s[i] < 2) {
          throw new GlassboxException("Too many convolution blocks: each halves the spatial size, and " + conv.size()
              + " blocks leave nothing of " + java.util.Arrays.toString(inputShape) + ".");
        }
      }
      s = pooled(s, b.channels());
    }
  }

  /** The number of input values per event. */
  public int inputs() {
    long n = 1;
    for (long d : inputShape) n *= d;
    return (int) n;
  }

  /** The shape after a block: its channels, each spatial size halved (floor). */
  static long[] pooled(long[] shape, int channels) {
    long[] out = shape.clone();
    out[0] = channels;
    for (int i = 1; i < out.length; i++) out[i] = shape[i] / 2;
    return out;
  }

  /** The per-event shape entering each convolution block, then the shape after the last. */
  List<long[]> convShapes() {
    List<long[]> out = new java.util.ArrayList<>();
    long[] s = inputShape;
    out.add(s);
    for (ConvBlock b : conv) {
      s = pooled(s, b.channels());
      out.add(s);
    }
    return out;
  }

  /** Widths of every dense layer's input and output: the flattened input or last block, hidden..., 1. */
  int[] widths() {
    long[] last = convShapes().get(conv.size());
    long flat = 1;
    for (long d : last) flat *= d;
    int[] w = new int[hidden.length + 2];
    w[0] = (int) flat;
    System.arraycopy(hidden, 0, w, 1, hidden.length);
    w[w.length - 1] = 1;
    return w;
  }

  /** Number of trainable parameters. */
  public long parameters() {
    long p = 0;
    List<long[]> shapes = convShapes();
    for (int k = 0; k < conv.size(); k++) {
      long kernel = 1;
      for (int i = 1; i < inputShape.length; i++) kernel *= conv.get(k).kernel();
      p += conv.get(k).channels() * shapes.get(k)[0] * kernel + conv.get(k).channels();
    }
    int[] w = widths();
    for (int k = 0; k + 1 < w.length; k++) p += (long) w[k] * w[k + 1] + w[k + 1];
    return p;
  }
}
