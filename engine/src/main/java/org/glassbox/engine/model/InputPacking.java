package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.GlassboxException;

/**
 * How the inputs of a model with several input tensors are packed into one: each event's values
 * of every input, flattened and concatenated in the order of the segments. Methods then see one
 * [N, total] tensor, as for a single-input model; the engine prepends to the model a Slice,
 * Reshape (and Cast, for integer or boolean inputs) per segment.
 *
 * <p>A segment that is not differentiable (a mask, indices, coordinates only used to pick
 * neighbours) passes through an Identity named {@value #STOP_GRADIENT}…, which the backward
 * builder treats as a constant: its gradient and relevance are zero and nothing flows through it.
 *
 * @param segments the model's fed inputs, each exactly once
 */
public record InputPacking(List<Segment> segments) {
  /** Name of the packed input of the wrapped model. */
  public static final String PACKED = "glassbox_inputs";
  /** Prefix of the names of the Identity nodes that stop the gradient of a non-differentiable input. */
  public static final String STOP_GRADIENT = "glassbox_stop_gradient/";

  /**
   * One model input inside the packed tensor.
   *
   * @param input the model input's name
   * @param eventShape the shape of one event's values (the data array's, all axes but the first)
   * @param differentiable false for inputs that are fed but neither varied nor attributed
   */
  public record Segment(String input, long[] eventShape, boolean differentiable) {
    public Segment {
      eventShape = eventShape.clone();
    }

    public int size() {
      return (int) Arrays.stream(eventShape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public long[] eventShape() {
      return eventShape.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Segment s && s.input.equals(input) && Arrays.equals(s.eventShape, eventShape)
          && s.differentiable == differentiable;
    }

    @Override
    public int hashCode() {
      return input.hashCode() * 31 + Arrays.hashCode(eventShape);
    }
  }

  public InputPacking {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) throw new IllegalArgumentException("no segments");
  }

  /** Values per event in the packed tensor. */
  public int size() {
    return segments.stream().mapToInt(Segment::size).sum();
  }

  /** The model with one input, {@value #PACKED} [N, size()], in place of its own inputs. */
  public ModelProto wrap(ModelProto model, String modelName) {
    GraphProto g = model.getGraph();
    Set<String> init = new HashSet<>();
    for (TensorProto t : g.getInitializerList()) init.add(t.getName());
    Map<String, ValueInfoProto> fed = new LinkedHashMap<>();
    for (ValueInfoProto v : g.getInputList()) if (!init.contains(v.getName())) fed.put(v.getName(), v);
    Set<String> mapped = new HashSet<>();
    for (Segment s : segments) {
      ValueInfoProto v = fed.get(s.input());
      if (v == null) {
        throw new GlassboxException("data.inputs maps '" + s.input() + "', but model " + modelName + " has no such input; its"
            + " inputs are " + List.copyOf(fed.keySet()) + ".");
      }
      if (!mapped.add(s.input())) throw new GlassboxException("data.inputs maps model input '" + s.input() + "' twice.");
      long[] declared = Protos.declaredDims(v);
      // An input declared without a shape takes whatever the data array holds.
      boolean fits = !v.getType().getTensorType().hasShape() || declared.length == s.eventShape().length + 1;
      for (int i = 1; fits && i < declared.length; i++) {
        fits = declared[i] == TensorInfo.DYNAMIC || declared[i] == s.eventShape()[i - 1];
      }
      if (!fits) {
        throw new GlassboxException("Model " + modelName + " expects input '" + s.input() + "' of shape "
            + new TensorInfo(s.input(), 1, declared).shapeText() + ", but its data array has events of shape "
            + Arrays.toString(s.eventShape()) + ". Map the input to an array of that shape in data.inputs.");
      }
      int type = v.getType().getTensorType().getElemType();
      if (type != TensorInfo.FLOAT && s.differentiable()) {
        throw new GlassboxException("Model input '" + s.input() + "' of " + modelName + " holds "
            + (type == TensorInfo.BOOL ? "booleans" : type == TensorInfo.INT64 ? "integers" : "ONNX type " + type)
            + ", which cannot be differentiated; declare it 'differentiable: false' in data.inputs.");
      }
    }
    List<String> missing = fed.keySet().stream().filter(n -> !mapped.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new GlassboxException("Model " + modelName + " has inputs " + List.copyOf(fed.keySet()) + "; data.inputs does"
          + " not map " + missing + ". Map every model input to an array of the data file.");
    }

    Set<String> taken = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      taken.addAll(n.getOutputList());
      taken.add(n.getName());
    }
    taken.addAll(init);
    List<NodeProto> front = new ArrayList<>();
    List<TensorProto> constants = new ArrayList<>();
    int offset = 0;
    for (Segment s : segments) {
      String base = fresh(taken, "glassbox_pack/" + s.input());
      String starts = base + "/starts";
      String ends = base + "/ends";
      String axes = base + "/axes";
      String shape = base + "/shape";
      constants.add(longs(starts, offset));
      constants.add(longs(ends, offset + s.size()));
      constants.add(longs(axes, 1));
      long[] target = new long[s.eventShape().length + 1];
      target[0] = -1;
      System.arraycopy(s.eventShape(), 0, target, 1, s.eventShape().length);
      constants.add(longs(shape, target));
      front.add(node("Slice", base + "/slice", List.of(PACKED, starts, ends, axes), base + "/flat"));
      int type = fed.get(s.input()).getType().getTensorType().getElemType();
      String shaped = s.differentiable() && type == TensorInfo.FLOAT ? s.input() : base + "/shaped";
      front.add(node("Reshape", base + "/reshape", List.of(base + "/flat", shape), shaped));
      if (!s.differentiable()) {
        String stopped = type == TensorInfo.FLOAT ? s.input() : base + "/stopped";
        front.add(node("Identity", fresh(taken, STOP_GRADIENT + s.input()), List.of(shaped), stopped));
        if (type != TensorInfo.FLOAT) {
          front.add(NodeProto.newBuilder().setOpType("Cast").setName(base + "/cast").addInput(stopped).addOutput(s.input())
              .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("to").setI(type)
                  .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT))
              .build());
        }
      }
      offset += s.size();
    }
    GraphProto.Builder out = g.toBuilder().clearInput().clearNode();
    out.addInput(Protos.valueInfo(PACKED, TensorInfo.FLOAT, new long[] {TensorInfo.DYNAMIC, offset}));
    for (ValueInfoProto v : g.getInputList()) if (init.contains(v.getName())) out.addInput(v);
    out.addAllNode(front).addAllNode(g.getNodeList()).addAllInitializer(constants);
    return model.toBuilder().setGraph(out).build();
  }

  private static String fresh(Set<String> taken, String want) {
    String name = want;
    for (int k = 2; !taken.add(name); k++) name = want + "#" + k;
    return name;
  }

  private static NodeProto node(String op, String name, List<String> inputs, String output) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
  }

  private static TensorProto longs(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorInfo.INT64).addDims(values.length);
    for (long v : values) t.addInt64Data(v);
    return t.build();
  }
}
