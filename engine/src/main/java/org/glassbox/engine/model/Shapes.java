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

  /** These shapes plus {@code alias}, shaped like the existing tensor {@code like}. */
  public Shapes alias(String alias, String like) {
    java.util.Map<String, TensorInfo> m = new java.util.HashMap<>(tensors);
    TensorInfo t = get(like);
    m.put(alias, new TensorInfo(alias, t.elemType(), t.dims()));
    return new Shapes(m);
  }

  public Optional<TensorInfo> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }
}
