package org.glassbox.engine.train;

import org.glassbox.api.GlassboxException;

/**
 * How to train.
 *
 * @param epochs the most passes over the training events
 * @param batchSize events per Adam step
 * @param learningRate Adam's step size
 * @param validationFraction events held out for early stopping (0 for none: all epochs run)
 * @param patience epochs without a better validation loss before training stops
 * @param seed initial weights, the validation split and the batch order
 * @param checkpointEvery export the network every this many steps (0: never), for learning-progress plots
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double validationFraction, int patience,
    long seed, int checkpointEvery) {

  public TrainingOptions {
    if (epochs < 1) throw new GlassboxException("epochs must be at least 1, got " + epochs + ".");
    if (batchSize < 1) throw new GlassboxException("batch_size must be at least 1, got " + batchSize + ".");
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new GlassboxException("learning_rate must be in (0, 1), got " + learningRate + ".");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new GlassboxException("validation must be a fraction in [0, 1), got " + validationFraction + ".");
    }
    if (patience < 1) throw new GlassboxException("patience must be at least 1, got " + patience + ".");
    if (checkpointEvery < 0) throw new GlassboxException("checkpoint_every must be 0 or more, got " + checkpointEvery + ".");
  }

  /** Adam at 10⁻³, batches of 256, 20 % validation, stop after 5 epochs without improvement. */
  public static TrainingOptions defaults() {
    return new TrainingOptions(50, 256, 1e-3, 0.2, 5, 1, 0);
  }

  public TrainingOptions withSeed(long s) {
    return new TrainingOptions(epochs, batchSize, learningRate, validationFraction, patience, s, checkpointEvery);
  }

  public TrainingOptions withEpochs(int e) {
    return new TrainingOptions(e, batchSize, learningRate, validationFraction, patience, seed, checkpointEvery);
  }
}
