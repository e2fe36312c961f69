package org.glassbox.engine.run;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.api.FloatTensor;
import org.glassbox.api.ModelAccess;
import org.glassbox.api.Neuron;
import org.glassbox.api.NeuronId;
import org.glassbox.engine.derive.Derivatives;
import org.glassbox.engine.model.OnnxModel;
import org.glassbox.engine.model.ResolvedNeuron;

/**
 * {@link ModelAccess} backed by an ONNX model and its derived graphs: what the engine hands to method
 * plugins (and what plugin tests use through glassbox-testing). Owns the cuts it makes; the model
 * itself stays the caller's.
 */
public final class OnnxModelAccess implements ModelAccess, AutoCloseable {
  private final OnnxModel model;
  private final Derivatives derivatives;
  private final List<OnnxModelAccess> cuts = new ArrayList<>();

  public OnnxModelAccess(OnnxModel model) {
    this.model = model;
    this.derivatives = Derivatives.of(model);
  }

  public OnnxModel model() {
    return model;
  }

  private static ResolvedNeuron resolved(Neuron n) {
    return new ResolvedNeuron(n.label(), n.tensor(), n.index());
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public FloatTensor value(Neuron neuron, FloatTensor inputs) {
    FloatTensor t = model.evaluate(inputs, List.of(neuron.tensor())).get(0);
    int per = t.eventSize();
    float[] v = new float[t.events()];
    for (int e = 0; e < v.length; e++) v[e] = t.data()[e * per + neuron.index()];
    return FloatTensor.of(v, v.length);
  }

  @Override
  public FloatTensor gradient(Neuron neuron, FloatTensor inputs) {
    return derivatives.gradient(resolved(neuron), inputs);
  }

  @Override
  public FloatTensor hessian(Neuron neuron, FloatTensor inputs) {
    return derivatives.hessian(resolved(neuron), inputs);
  }

  @Override
  public org.glassbox.api.attribution.Relevance relevance(Neuron neuron, FloatTensor inputs,
      org.glassbox.api.attribution.LrpComposite composite, boolean atPreActivation) {
    return derivatives.relevance(resolved(neuron), composite, atPreActivation, inputs);
  }

  @Override
  public ModelAccess cutAt(String layerTensor) {
    OnnxModelAccess cut = new OnnxModelAccess(model.cutAt(layerTensor));
    cuts.add(cut);
    return cut;
  }

  @Override
  public FloatTensor activations(String tensor, FloatTensor inputs) {
    return model.evaluate(inputs, List.of(tensor)).get(0);
  }

  /** The neuron a user named, located in this model, with a direction. */
  public Neuron neuron(String text, int direction) {
    ResolvedNeuron r = model.resolve(NeuronId.parse(text));
    return new Neuron(r.label(), r.tensor(), r.index(), direction);
  }

  @Override
  public void close() {
    cuts.forEach(c -> c.model.close());
  }
}
