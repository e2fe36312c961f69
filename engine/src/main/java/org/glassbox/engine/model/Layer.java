package org.glassbox.engine.model;

/**
 * One layer as seed 000 counts them: a linear operator (dense or convolution) with the bias,
 * normalisation and activation that follow it.
 *
 * @param index 1 for the first layer
 * @param linearOp the operator that starts the layer (Gemm, MatMul, Conv, ConvTranspose)
 * @param linearNode the node name of that operator
 * @param preActivation the tensor before the layer's activation (after bias and normalisation)
 * @param activation the activation operator, or "" if the layer has none
 * @param output the layer's output tensor (its neurons)
 * @param info shape of the output tensor
 */
public record Layer(int index, String linearOp, String linearNode, String preActivation, String activation,
    String output, TensorInfo info) {

  /** Neurons per event: the product of the output's per-event dimensions. */
  public long width() {
    return info.eventSize();
  }
}
