/**
 * The Glassbox engine: loads ONNX models (ONNX Runtime session plus the protobuf graph), resolves
 * neurons, derives gradient and Hessian graphs by graph transformation and runs them in ONNX
 * Runtime, batched.
 */
module org.glassbox.engine {
  requires transitive org.glassbox.api;
  requires transitive org.glassbox.data;
  requires com.microsoft.onnxruntime;
  requires org.tribuo.util.onnx;
  requires com.google.protobuf;

  exports org.glassbox.engine.model;
  exports org.glassbox.engine.derive;
  exports org.glassbox.engine.exec;
}
