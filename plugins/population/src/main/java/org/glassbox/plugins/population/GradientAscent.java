package org.glassbox.plugins.population;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.glassbox.api.EventData;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.Progress;
import org.glassbox.api.maximization.Population;

/**
 * Activation maximization (seed 000 §2.5; METHODS.md §3): M starts climb the neuron in its
 * signal-like direction s = direction·z, all together, until each passes the threshold.
 *
 * <p>One step for the starts still active: one {@link ModelAccess#value} call (who has passed?),
 * then one {@link ModelAccess#gradient} call for those that have not; each moves by {@code step} box
 * units along the normalised gradient of s (minus the Mahalanobis penalty's) in box coordinates
 * u = (x − low)/(high − low), and is projected back into the box. A start whose projected step does
 * not move it (the gradient points out of a corner, or vanishes) can never move again and is
 * dropped; so is a start out of budget.
 */
final class GradientAscent {
  private GradientAscent() {}

  /**
   * Every start's fate.
   *
   * @param threshold the threshold in neuron units (a start stops when direction·z ≥ direction·threshold)
   * @param starts the starting points [M·F]
   * @param ends where each start ended [M·F]
   * @param values the neuron at each end
   * @param reached whether the start passed the threshold
   * @param onBoundary whether the end lies within one step of a bound in some feature
   * @param stepsTaken steps each start took
   * @param gradientCalls gradient calls made (at most {@code steps})
   */
  record Result(List<String> features, long[] eventShape, Box box, double threshold, double step, int direction,
      float[] starts, float[] ends, float[] values, boolean[] reached, boolean[] onBoundary, int[] stepsTaken,
      int gradientCalls) {

    int size() {
      return reached.length;
    }

    int reachedCount() {
      int c = 0;
      for (boolean r : reached) if (r) c++;
      return c;
    }

    /** The reached ends as a population. */
    Population population() {
      int f = box.features();
      int m = reachedCount();
      float[] points = new float[m * f];
      float[] v = new float[m];
      boolean[] b = new boolean[m];
      int k = 0;
      for (int s = 0; s < reached.length; s++) {
        if (!reached[s]) continue;
        System.arraycopy(ends, s * f, points, k * f, f);
        v[k] = values[s];
        b[k] = onBoundary[s];
        k++;
      }
      long[] shape = new long[eventShape.length + 1];
      shape[0] = m;
      System.arraycopy(eventShape, 0, shape, 1, eventShape.length);
      return new Population(features, new FloatTensor(points, shape), v, b, reached.length);
    }
  }

  /** Feature names of the data, or x0, x1, ... when they do not name every element. */
  static List<String> featureNames(EventData data) {
    int f = data.inputs().eventSize();
    List<String> names = data.featureNames();
    if (names != null && names.size() == f) return names;
    List<String> generated = new ArrayList<>();
    for (int i = 0; i < f; i++) generated.add("x" + i);
    return generated;
  }

  /** The neuron on every data event, in double. */
  static double[] neuronOnData(ModelAccess model, Neuron neuron, EventData data) {
    float[] v = model.value(neuron, data.inputs()).data();
    double[] z = new double[v.length];
    for (int i = 0; i < v.length; i++) z[i] = v[i];
    return z;
  }

  /**
   * Runs the ascent of every start.
   *
   * @param dataValues the neuron on the data events, or null (computed here when the threshold needs it)
   */
  static Result run(ModelAccess model, Neuron neuron, EventData data, AscentSettings s, long seed, Progress progress,
      double[] dataValues) {
    return run(model, neuron, data, s, seed, progress, dataValues, 0, s.starts());
  }

  /**
   * The generator of start k's initial point: seeded by the run's seed and k alone, so a start is the
   * same whichever starts are climbed with it (a part of them on each task of a cluster).
   */
  static SplittableRandom startRandom(long seed, int k) {
    return new SplittableRandom(mix(mix(seed) + k));
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Runs the ascent of starts {@code from .. to-1} of the {@code s.starts()}: each drawn from its
   * own generator ({@link #startRandom}) and climbed on its own (a step of one start does not depend
   * on the others), so the result is that part of the result of all the starts.
   */
  static Result run(ModelAccess model, Neuron neuron, EventData data, AscentSettings s, long seed, Progress progress,
      double[] dataValues, int from, int to) {
    if (from < 0 || to > s.starts() || from > to) {
      throw new IllegalArgumentException("starts " + from + " to " + to + " of " + s.starts());
    }
    FloatTensor inputs = data.inputs();
    int f = inputs.eventSize();
    int n = inputs.events();
    Box box = Box.of(inputs, s.boxLow(), s.boxHigh());
    double[] weights = s.unweighted() ? Stats.ones(n) : data.weights();
    int direction = neuron.direction();

    double threshold;
    if (s.quantile()) {
      if (n == 0) {
        throw new GlassboxException("threshold_scale: quantile needs data events to take the quantile over; the data"
            + " set is empty. Give threshold_scale: value and a threshold.");
      }
      double[] z = dataValues != null ? dataValues : neuronOnData(model, neuron, data);
      double[] signed = new double[n];
      for (int e = 0; e < n; e++) signed[e] = direction * z[e];
      threshold = direction * Stats.quantile(signed, weights, s.threshold());
    } else {
      threshold = s.threshold();
    }
    double target = direction * threshold;

    Penalty penalty = s.mahalanobis() > 0 ? Penalty.of(inputs, weights, s.mahalanobis()) : null;

    // Fed-as-is inputs (masks, indices) keep the values of the event a start is drawn from.
    java.util.BitSet fixed = data.fixed();
    if (!fixed.isEmpty() && !s.initFromData()) {
      throw new GlassboxException("This model has inputs fed as they are (differentiable: false in data.inputs); gradient"
          + " ascent must then start from data events, which give them their values: set init: data.");
    }
    int m = to - from;
    double[] x = new double[m * f];
    if (s.initFromData()) {
      if (n == 0) throw new GlassboxException("init: data needs data events; the data set is empty.");
      double[] cumulative = new double[n];
      double total = 0;
      for (int e = 0; e < n; e++) {
        total += Math.max(weights[e], 0);
        cumulative[e] = total;
      }
      float[] d = inputs.data();
      for (int k = 0; k < m; k++) {
        SplittableRandom random = startRandom(seed, from + k);
        int e;
        if (total > 0) {
          double r = random.nextDouble() * total;
          e = Arrays.binarySearch(cumulative, r);
          e = e >= 0 ? e + 1 : -e - 1;
          e = Math.min(e, n - 1);
          while (e < n - 1 && !(weights[e] > 0)) e++;
        } else {
          e = random.nextInt(n);
        }
        // Fed-as-is inputs (masks, indices) keep the event's own values: the box is for the inputs that climb.
        for (int i = 0; i < f; i++) x[k * f + i] = fixed.get(i) ? d[e * f + i] : clamp(d[e * f + i], box.low()[i], box.high()[i]);
      }
    } else {
      for (int k = 0; k < m; k++) {
        SplittableRandom random = startRandom(seed, from + k);
        for (int i = 0; i < f; i++) {
          x[k * f + i] = box.width(i) > 0 ? box.low()[i] + random.nextDouble() * box.width(i) : box.low()[i];
        }
      }
    }
    float[] starts = toFloat(x);

    float[] values = new float[m];
    boolean[] reached = new boolean[m];
    int[] taken = new int[m];
    int[] active = new int[m];
    for (int k = 0; k < m; k++) active[k] = k;
    int alive = m;
    int gradientCalls = 0;
    long[] eventShape = inputs.eventShape();
    double[] direction_u = new double[f];
    progress.start("gradient ascent on " + neuron.label(), Math.max(s.steps(), 1));
    for (int it = 0; ; it++) {
      progress.checkCancelled();
      float[] v = model.value(neuron, batch(x, active, alive, f, eventShape)).data();
      int still = 0;
      for (int a = 0; a < alive; a++) {
        int k = active[a];
        values[k] = v[a];
        if (direction * v[a] >= target) reached[k] = true;
        else active[still++] = k;
      }
      alive = still;
      if (alive == 0 || it >= s.steps()) break;
      float[] g = model.gradient(neuron, batch(x, active, alive, f, eventShape)).data();
      gradientCalls++;
      still = 0;
      for (int a = 0; a < alive; a++) {
        int k = active[a];
        int at = k * f;
        double norm = 0;
        for (int i = 0; i < f; i++) {
          double gi = fixed.get(i) ? 0 : direction * g[a * f + i];
          if (penalty != null && !fixed.get(i)) gi -= penalty.gradient(x, at, i);
          double u = gi * box.width(i);
          direction_u[i] = u;
          norm += u * u;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0) || !Double.isFinite(norm)) continue; // no way up: dropped
        boolean moved = false;
        for (int i = 0; i < f; i++) {
          double w = box.width(i);
          if (!(w > 0) || fixed.get(i)) continue;
          double old = x[at + i];
          double next = clamp(old + s.step() * direction_u[i] / norm * w, box.low()[i], box.high()[i]);
          if (next != old) moved = true;
          x[at + i] = next;
        }
        if (!moved) continue; // pinned in a corner: the same gradient forever
        taken[k]++;
        active[still++] = k;
      }
      alive = still;
      progress.step(it + 1);
      progress.message(alive + " of " + m + " starts still climbing");
      if (alive == 0) break;
    }

    boolean[] onBoundary = new boolean[m];
    for (int k = 0; k < m; k++) {
      for (int i = 0; i < f && !onBoundary[k]; i++) {
        onBoundary[k] = !fixed.get(i) && box.onBoundary(i, (float) x[k * f + i], s.step());
      }
    }
    return new Result(featureNames(data), eventShape, box, threshold, s.step(), direction, starts, toFloat(x), values,
        reached, onBoundary, taken, gradientCalls);
  }

  private static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : v > hi ? hi : v;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
    return out;
  }

  private static FloatTensor batch(double[] x, int[] active, int alive, int f, long[] eventShape) {
    float[] b = new float[alive * f];
    for (int a = 0; a < alive; a++) {
      int at = active[a] * f;
      for (int i = 0; i < f; i++) b[a * f + i] = (float) x[at + i];
    }
    long[] shape = new long[eventShape.length + 1];
    shape[0] = alive;
    System.arraycopy(eventShape, 0, shape, 1, eventShape.length);
    return new FloatTensor(b, shape);
  }

  /**
   * λ·d_M(x)² with d_M² = (x − μ)ᵀ Σ⁺ (x − μ): μ, Σ the weighted mean and covariance of the data
   * (Σ⁺ the pseudo-inverse, so constant features do not break it). Gradient 2λ Σ⁺ (x − μ).
   */
  record Penalty(double[] mean, double[][] inverse, double lambda) {
    static Penalty of(FloatTensor inputs, double[] weights, double lambda) {
      int n = inputs.events();
      int f = inputs.eventSize();
      if (n == 0) throw new GlassboxException("mahalanobis needs data events for its mean and covariance.");
      float[] d = inputs.data();
      double[] mean = new double[f];
      double sw = 0;
      for (int e = 0; e < n; e++) {
        double w = weights[e];
        sw += w;
        for (int i = 0; i < f; i++) mean[i] += w * d[e * f + i];
      }
      if (!(sw > 0)) throw new GlassboxException("mahalanobis needs a positive total event weight.");
      for (int i = 0; i < f; i++) mean[i] /= sw;
      double[][] cov = new double[f][f];
      double[] c = new double[f];
      for (int e = 0; e < n; e++) {
        double w = weights[e];
        for (int i = 0; i < f; i++) c[i] = d[e * f + i] - mean[i];
        for (int i = 0; i < f; i++) {
          double wc = w * c[i];
          for (int j = i; j < f; j++) cov[i][j] += wc * c[j];
        }
      }
      for (int i = 0; i < f; i++) {
        for (int j = i; j < f; j++) {
          cov[i][j] /= sw;
          cov[j][i] = cov[i][j];
        }
      }
      RealMatrix inverse =
          new SingularValueDecomposition(new Array2DRowRealMatrix(cov, false)).getSolver().getInverse();
      return new Penalty(mean, inverse.getData(), lambda);
    }

    /** d_M² at the point x[at .. at+F). */
    double distanceSquared(double[] x, int at) {
      int f = mean.length;
      double total = 0;
      for (int i = 0; i < f; i++) {
        double row = 0;
        for (int j = 0; j < f; j++) row += inverse[i][j] * (x[at + j] - mean[j]);
        total += (x[at + i] - mean[i]) * row;
      }
      return total;
    }

    /** ∂(λ d_M²)/∂x_i at the point x[at .. at+F). */
    double gradient(double[] x, int at, int i) {
      double row = 0;
      double[] r = inverse[i];
      for (int j = 0; j < mean.length; j++) row += r[j] * (x[at + j] - mean[j]);
      return 2 * lambda * row;
    }
  }
}
