/**
 * The built-in trainer: small classifiers (MLPs) trained with Adam on weighted binary cross-entropy.
 * The loss gradient with respect to the weights is made by the same backward builder that explains
 * models, and runs in ONNX Runtime; the result is an ordinary ONNX file.
 */
package org.glassbox.engine.train;
