package org.glassbox.toys;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.GlassboxException;

/**
 * A generated toy data set: N events with F named tabular features (a row-major N×F float array),
 * labels (1 = signal, 0 = background), event weights (1 unless the generator was asked for physical
 * weights), named auxiliary observables that are not meant as model inputs (e.g. {@code mt2_ll}, or
 * the jet axis), and for jet toys particle lists and jet images.
 *
 * <p>Immutable: array accessors return copies; the {@code ...Buffer()} methods give read-only views
 * without copying, for large arrays. {@link #options()} holds every resolved option (defaults
 * included) and {@link #truth()} says what the toy is built around, i.e. what a method should
 * rediscover.
 */
public final class ToyDataSet {
  private final String generator;
  private final String version;
  private final Map<String, String> options;
  private final String truth;
  private final List<String> featureNames;
  private final float[] features;
  private final int[] labels;
  private final double[] weights;
  private final Map<String, float[]> observables;
  private final ParticleLists particles;
  private final JetImages images;

  ToyDataSet(
      String generator,
      String version,
      Map<String, String> options,
      String truth,
      List<String> featureNames,
      float[] features,
      int[] labels,
      double[] weights,
      Map<String, float[]> observables,
      ParticleLists particles,
      JetImages images) {
    this.generator = generator;
    this.version = version;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    this.truth = truth;
    this.featureNames = List.copyOf(featureNames);
    int n = labels.length;
    if ((long) n * this.featureNames.size() != features.length || weights.length != n) {
      throw new IllegalArgumentException("inconsistent array sizes");
    }
    for (float[] o : observables.values()) {
      if (o.length != n) throw new IllegalArgumentException("observable of the wrong length");
    }
    if (particles != null && particles.events() != n || images != null && images.events() != n) {
      throw new IllegalArgumentException("jet arrays of the wrong length");
    }
    this.features = features;
    this.labels = labels;
    this.weights = weights;
    this.observables = Collections.unmodifiableMap(new LinkedHashMap<>(observables));
    this.particles = particles;
    this.images = images;
  }

  /** The generator's name, e.g. {@code two-prong-jets}. */
  public String generator() {
    return generator;
  }

  /** The generator's version: it changes whenever the same options would give different data. */
  public String generatorVersion() {
    return version;
  }

  /** Every option with its resolved value (defaults included), in declaration order. */
  public Map<String, String> options() {
    return options;
  }

  /** The random seed the data were drawn with. */
  public long seed() {
    return Long.parseLong(options.get("seed"));
  }

  /** What the toy is built around: the truth an explanation method should rediscover. */
  public String truth() {
    return truth;
  }

  /** N. */
  public int size() {
    return labels.length;
  }

  /** F. */
  public int featureCount() {
    return featureNames.size();
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /** The column of a named feature; fails naming the known features. */
  public int featureIndex(String name) {
    int i = featureNames.indexOf(name);
    if (i < 0) {
      throw new GlassboxException(
          "toy data set '"
              + generator
              + "' has no feature '"
              + name
              + "'; its features are: "
              + String.join(", ", featureNames)
              + ".");
    }
    return i;
  }

  /** A copy of the N×F features, row-major. */
  public float[] features() {
    return features.clone();
  }

  /** The N×F features without copying, read-only. */
  public FloatBuffer featureBuffer() {
    return FloatBuffer.wrap(features).asReadOnlyBuffer();
  }

  public float feature(int event, int feature) {
    return features[event * featureNames.size() + feature];
  }

  /** A copy of one feature's values over all events. */
  public float[] column(String name) {
    int f = featureIndex(name);
    int nf = featureNames.size();
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) out[i] = features[i * nf + f];
    return out;
  }

  /** A copy of the labels: 1 = signal, 0 = background. */
  public int[] labels() {
    return labels.clone();
  }

  public int label(int event) {
    return labels[event];
  }

  public boolean isSignal(int event) {
    return labels[event] == 1;
  }

  /** The labels as booleans (true = signal). */
  public boolean[] signalMask() {
    boolean[] m = new boolean[labels.length];
    for (int i = 0; i < m.length; i++) m[i] = labels[i] == 1;
    return m;
  }

  public int signalCount() {
    int s = 0;
    for (int l : labels) s += l;
    return s;
  }

  /** A copy of the event weights. */
  public double[] weights() {
    return weights.clone();
  }

  public double weight(int event) {
    return weights[event];
  }

  /** Names of the auxiliary observables (not model inputs), in order. */
  public List<String> observableNames() {
    return List.copyOf(observables.keySet());
  }

  /** A copy of one auxiliary observable; fails naming the known ones. */
  public float[] observable(String name) {
    float[] o = observables.get(name);
    if (o == null) {
      throw new GlassboxException(
          "toy data set '"
              + generator
              + "' has no observable '"
              + name
              + "'; it has: "
              + (observables.isEmpty() ? "none" : String.join(", ", observables.keySet()))
              + ".");
    }
    return o.clone();
  }

  /** Constituent lists, for jet toys. */
  public Optional<ParticleLists> particles() {
    return Optional.ofNullable(particles);
  }

  /** Jet images, for jet toys generated with images. */
  public Optional<JetImages> images() {
    return Optional.ofNullable(images);
  }

  /**
   * SHA-256 of the data (feature names, features, labels, weights, observables, particles, images;
   * numbers as big-endian IEEE bits), in lowercase hex: a data fingerprint for provenance, equal on
   * every machine for the same options.
   */
  public String sha256() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    text(md, String.join("\n", featureNames));
    floats(md, features);
    ByteBuffer b = ByteBuffer.allocate(labels.length * 4);
    for (int l : labels) b.putInt(l);
    md.update(b.array());
    b = ByteBuffer.allocate(weights.length * 8);
    for (double w : weights) b.putLong(Double.doubleToLongBits(w));
    md.update(b.array());
    for (Map.Entry<String, float[]> e : observables.entrySet()) {
      text(md, e.getKey());
      floats(md, e.getValue());
    }
    if (particles != null) {
      text(md, "particles");
      b = ByteBuffer.allocate(particles.events() * 4);
      for (int c : particles.rawCounts()) b.putInt(c);
      md.update(b.array());
      floats(md, particles.raw());
    }
    if (images != null) {
      text(md, "images " + images.height() + "x" + images.width() + " " + images.halfWidth());
      floats(md, images.raw());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void text(MessageDigest md, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    md.update(bytes);
  }

  private static void floats(MessageDigest md, float[] values) {
    // In chunks, so fingerprinting a large image array does not double its memory.
    ByteBuffer b = ByteBuffer.allocate(4 * 8192);
    for (int i = 0; i < values.length; i += 8192) {
      b.clear();
      int end = StrictMath.min(values.length, i + 8192);
      for (int j = i; j < end; j++) b.putInt(Float.floatToIntBits(values[j]));
      md.update(b.array(), 0, b.position());
    }
  }

  /** Equal when generated with the same generator version and holding identical arrays. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ToyDataSet)) return false;
    ToyDataSet d = (ToyDataSet) o;
    if (!generator.equals(d.generator) || !version.equals(d.version)) return false;
    if (!featureNames.equals(d.featureNames) || !Arrays.equals(features, d.features)) return false;
    if (!Arrays.equals(labels, d.labels) || !Arrays.equals(weights, d.weights)) return false;
    if (!observables.keySet().equals(d.observables.keySet())) return false;
    for (Map.Entry<String, float[]> e : observables.entrySet()) {
      if (!Arrays.equals(e.getValue(), d.observables.get(e.getKey()))) return false;
    }
    return java.util.Objects.equals(particles, d.particles)
        && java.util.Objects.equals(images, d.images);
  }

  @Override
  public int hashCode() {
    return 31 * generator.hashCode() + Arrays.hashCode(features);
  }

  @Override
  public String toString() {
    return generator
        + " v"
        + version
        + ": "
        + size()
        + " events ("
        + signalCount()
        + " signal), "
        + featureCount()
        + " features "
        + featureNames
        + (particles == null ? "" : ", " + particles)
        + (images == null ? "" : ", " + images);
  }
}
