package org.glassbox.engine.model;

import java.util.Map;
import java.util.Optional;

/** Shapes and element types of every tensor of one graph, as measured by {@link ShapeProbe}. */
public record Shapes(Map<String, TensorInfo> tensors) {
  public Shapes {
    tensors = Map.copyOf(tensors);
  }

  public TensorInfo get(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) throw new IllegalStateException("no shape known for tensor '" + name + "'");
    return t;
  }

  public Optional<TensorInfo> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }
}
