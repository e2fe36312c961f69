package org.glassbox.api;

/**
 * What a method may ask of the model under study. The engine implements it with ONNX Runtime and
 * derived graphs; methods never see ONNX or files. All tensors have the events on dimension 0.
 */
public interface ModelAccess {
  /** The model's name (its file name). */
  String name();

  /** The neuron's value per event: shape [N]. */
  FloatTensor value(Neuron neuron, FloatTensor inputs);

  /** Per-event gradient of the neuron with respect to the inputs: shape of the inputs. */
  FloatTensor gradient(Neuron neuron, FloatTensor inputs);

  /** Per-event Hessian for vector inputs: [N, F, F]. */
  FloatTensor hessian(Neuron neuron, FloatTensor inputs);

  /**
   * The sub-network from a hidden layer to the neuron, whose inputs are that layer's activations
   * (seed 000: activation difference "taking x to be the neuron activations of this layer").
   */
  ModelAccess cutAt(String layerTensor);

  /**
   * Layer-wise relevance propagation from a neuron to the inputs with a composite of rules.
   *
   * @param atPreActivation start from the input of a final sigmoid, tanh or softmax (its logit)
   */
  org.glassbox.api.attribution.Relevance relevance(Neuron neuron, FloatTensor inputs,
      org.glassbox.api.attribution.LrpComposite composite, boolean atPreActivation);

  /** The activations of a tensor (e.g. a hidden layer) for the given inputs. */
  FloatTensor activations(String tensor, FloatTensor inputs);
}
