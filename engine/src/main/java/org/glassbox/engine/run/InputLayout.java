package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.engine.model.InputPacking;

/**
 * The inputs of a model with several input tensors, as the data file holds them: for each model
 * input, its array's event shape, the names of its axes and of the entries of its last axis, and
 * whether it is attributed. Methods see the inputs packed into one row per event, in this order;
 * feature names say which tensor, slot and feature a value is ({@code features[3].pt}).
 *
 * @param inputs the model inputs, in the order of {@code data.inputs}
 */
public record InputLayout(List<Input> inputs) {

  /**
   * One model input.
   *
   * @param name the model input's name
   * @param array the NPZ key or HDF5 dataset it is read from
   * @param eventShape the shape of one event's values
   * @param axes a name per axis of {@code eventShape} (e.g. particle, feature)
   * @param labels names of the entries of the last axis (e.g. pt, eta, phi), or empty for indices
   * @param differentiable false for inputs that are fed as they are (masks, indices) and not attributed
   */
  public record Input(String name, String array, long[] eventShape, List<String> axes, List<String> labels,
      boolean differentiable) {
    public Input {
      eventShape = eventShape.clone();
      axes = List.copyOf(axes);
      labels = List.copyOf(labels);
    }

    @Override
    public long[] eventShape() {
      return eventShape.clone();
    }

    /** Values per event. */
    public int size() {
      return (int) Arrays.stream(eventShape).reduce(1, (a, b) -> a * b);
    }

    /** Default axis names for an event shape: feature; particle, feature; axis1, axis2, ... */
    public static List<String> defaultAxes(int rank) {
      if (rank == 1) return List.of("feature");
      if (rank == 2) return List.of("particle", "feature");
      List<String> out = new ArrayList<>();
      for (int a = 1; a <= rank; a++) out.add("axis" + a);
      return out;
    }
  }

  public InputLayout {
    inputs = List.copyOf(inputs);
  }

  /** How the engine packs these inputs into the model's one packed input. */
  public InputPacking packing() {
    return new InputPacking(inputs.stream().map(i -> new InputPacking.Segment(i.name(), i.eventShape(), i.differentiable()))
        .toList());
  }

  /** Values per event, all inputs together. */
  public int size() {
    return inputs.stream().mapToInt(Input::size).sum();
  }

  /** The packed positions of the inputs that are fed but not attributed. */
  public BitSet fixed() {
    BitSet out = new BitSet();
    int at = 0;
    for (Input i : inputs) {
      if (!i.differentiable()) out.set(at, at + i.size());
      at += i.size();
    }
    return out;
  }

  /** A name per packed value: {@code input[i,j]}, or {@code input[i].label} when the last axis has labels. */
  public List<String> featureNames() {
    List<String> out = new ArrayList<>();
    for (Input in : inputs) {
      long[] shape = in.eventShape();
      int last = (int) shape[shape.length - 1];
      int outer = in.size() / Math.max(1, last);
      for (int o = 0; o < outer; o++) {
        String prefix = in.name() + index(shape, o);
        for (int j = 0; j < last; j++) {
          if (!in.labels().isEmpty()) {
            out.add(shape.length == 1 ? in.name() + "." + in.labels().get(j) : prefix + "." + in.labels().get(j));
          } else {
            out.add(shape.length == 1 ? in.name() + "[" + j + "]" : prefix.substring(0, prefix.length() - 1) + "," + j + "]");
          }
        }
      }
    }
    return out;
  }

  /** The indices of the outer axes (all but the last) of flat outer position {@code o}, as "[i,j]"; "" for rank 1. */
  private static String index(long[] shape, int o) {
    if (shape.length == 1) return "";
    int[] idx = new int[shape.length - 1];
    for (int a = shape.length - 2; a >= 0; a--) {
      idx[a] = (int) (o % shape[a]);
      o /= (int) shape[a];
    }
    StringBuilder sb = new StringBuilder("[");
    for (int a = 0; a < idx.length; a++) sb.append(a > 0 ? "," : "").append(idx[a]);
    return sb.append(']').toString();
  }

  /**
   * Per-value scores summed by group: {@code input} → the input's total, and for inputs with two or
   * more axes {@code input.axis} → one total per entry of that axis (its label, or its index),
   * summed over the other axes. Inputs that are not attributed are left out.
   *
   * @param scores one score per packed value
   */
  public Map<String, Map<String, Double>> groups(double[] scores) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    Map<String, Double> byInput = new LinkedHashMap<>();
    out.put("input", byInput);
    int at = 0;
    for (Input in : inputs) {
      if (!in.differentiable()) {
        at += in.size();
        continue;
      }
      long[] shape = in.eventShape();
      double total = 0;
      double[][] byAxis = new double[shape.length][];
      for (int a = 0; a < shape.length; a++) byAxis[a] = new double[(int) shape[a]];
      for (int k = 0; k < in.size(); k++) {
        double v = scores[at + k];
        total += v;
        int rest = k;
        for (int a = shape.length - 1; a >= 0; a--) {
          byAxis[a][(int) (rest % shape[a])] += v;
          rest /= (int) shape[a];
        }
      }
      byInput.put(in.name(), total);
      if (shape.length >= 2) {
        for (int a = 0; a < shape.length; a++) {
          Map<String, Double> entries = new LinkedHashMap<>();
          boolean labelled = a == shape.length - 1 && !in.labels().isEmpty();
          for (int j = 0; j < byAxis[a].length; j++) entries.put(labelled ? in.labels().get(j) : Integer.toString(j), byAxis[a][j]);
          out.put(in.name() + "." + in.axes().get(a), entries);
        }
      }
      at += in.size();
    }
    return out;
  }
}
