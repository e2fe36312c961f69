package org.glassbox.engine.derive;

/**
 * The backward rule of one operator type: given the cotangents of a node's outputs, emit ONNX
 * nodes that compute the cotangents of the inputs that need them ({@link Vjp#wants(int)}). A rule
 * set maps operator types to rules; the gradient rules and the LRP rules are two such sets over
 * the same {@link BackwardBuilder}.
 */
@FunctionalInterface
public interface VjpRule {
  void apply(Vjp v);
}
