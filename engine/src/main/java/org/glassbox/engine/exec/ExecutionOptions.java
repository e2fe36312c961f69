package org.glassbox.engine.exec;

/**
 * How ONNX Runtime runs Glassbox's graphs.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (all cores)
 * @param batchSize events per ONNX Runtime call; larger inputs are split into chunks of this size
 */
public record ExecutionOptions(int intraOpThreads, int batchSize) {
  public ExecutionOptions {
    if (intraOpThreads < 0) throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
  }

  public static ExecutionOptions defaults() {
    return new ExecutionOptions(0, 65_536);
  }

  public ExecutionOptions withBatchSize(int size) {
    return new ExecutionOptions(intraOpThreads, size);
  }

  public ExecutionOptions withThreads(int threads) {
    return new ExecutionOptions(threads, batchSize);
  }
}
