package org.glassbox.engine.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds seed 000's layers in a graph: each linear operator plus the chain of operators that finish it. */
final class LayerFinder {
  private static final Set<String> LINEAR = Set.of("Gemm", "MatMul", "Conv", "ConvTranspose");
  /** Operators that belong to the layer before them when they directly follow it. */
  private static final Set<String> BIAS_OR_NORM = Set.of("Add", "BatchNormalization", "Identity", "Dropout");
  private static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "Elu", "Selu", "Tanh", "Sigmoid",
      "Softmax", "LogSoftmax", "Softplus", "HardSigmoid", "PRelu", "Gelu", "Celu", "Mish", "HardSwish", "ThresholdedRelu");

  private LayerFinder() {}

  static List<Layer> find(GraphProto graph, Shapes shapes) {
    Map<String, List<NodeProto>> consumers = new HashMap<>();
    for (NodeProto n : graph.getNodeList()) {
      for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
    }
    Set<String> constants = Protos.constants(graph).keySet();
    List<Layer> layers = new ArrayList<>();
    for (NodeProto n : graph.getNodeList()) {
      if (!LINEAR.contains(n.getOpType())) continue;
      // A MatMul between two activations (attention) is not a layer; a dense layer has constant weights.
      if (n.getOpType().equals("MatMul") && !constants.contains(n.getInput(1)) && !constants.contains(n.getInput(0))) {
        continue;
      }
      String current = n.getOutput(0);
      String pre = current;
      String activation = "";
      while (true) {
        List<NodeProto> next = consumers.getOrDefault(current, List.of());
        if (next.size() != 1) break;
        NodeProto c = next.get(0);
        if (activation.isEmpty() && BIAS_OR_NORM.contains(c.getOpType())
            && (!c.getOpType().equals("Add") || c.getInputList().stream().anyMatch(constants::contains))) {
          current = c.getOutput(0);
          pre = current;
        } else if (activation.isEmpty() && ACTIVATIONS.contains(c.getOpType())) {
          activation = c.getOpType();
          current = c.getOutput(0);
        } else {
          break;
        }
      }
      layers.add(new Layer(layers.size() + 1, n.getOpType(), n.getName(), pre, activation, current, shapes.get(current)));
    }
    return layers;
  }
}
