/**
 * The Glassbox engine: loads ONNX models (ONNX Runtime session plus the protobuf graph), resolves
 * neurons, derives gradient and Hessian graphs by graph transformation and runs them in ONNX
 * Runtime, batched.
 */
module org.glassbox.engine {
  requires transitive org.glassbox.api;
  requires transitive org.glassbox.data;
  requires org.glassbox.toys;
  requires com.microsoft.onnxruntime;
  requires org.tribuo.util.onnx;
  requires com.google.protobuf;
  requires org.yaml.snakeyaml;
  requires com.fasterxml.jackson.core;
  requires org.knowm.xchart;
  requires owasp.encoder;
  requires org.apache.commons.csv;
  requires com.google.guice;
  requires jakarta.inject;
  requires java.desktop;

  exports org.glassbox.engine.model;
  exports org.glassbox.engine.derive;
  exports org.glassbox.engine.exec;
  exports org.glassbox.engine.host;
  exports org.glassbox.engine.run;
  exports org.glassbox.engine.report;
  exports org.glassbox.engine.train;

  opens org.glassbox.engine.run to com.google.guice;
  opens org.glassbox.engine.report to com.google.guice;

  uses org.glassbox.api.attribution.AttributionMethod;
  uses org.glassbox.api.maximization.MaximizationMethod;
  uses org.glassbox.api.clustering.ClusteringMethod;
  uses org.glassbox.api.surrogate.SurrogateMethod;
  uses org.glassbox.api.similarity.SimilarityMethod;
  uses org.glassbox.api.observables.ObservableProvider;
}
