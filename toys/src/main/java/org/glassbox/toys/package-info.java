/**
 * Seeded generators of the toy data sets the seed documents are built around, looked up by name in
 * {@link org.glassbox.toys.ToyGenerators}:
 *
 * <ul>
 *   <li>{@code product-sign} ({@link org.glassbox.toys.ProductSign}, seed 000 §2.5.1);
 *   <li>{@code taylor-toys} ({@link org.glassbox.toys.TaylorToys}, seed 003);
 *   <li>{@code xaug-jets} ({@link org.glassbox.toys.XaugJets}, seed 004's toy model);
 *   <li>{@code two-prong-jets} ({@link org.glassbox.toys.TwoProngJets}, seed 002);
 *   <li>{@code dilepton-toy} ({@link org.glassbox.toys.DileptonToy}, seed 000 §2.1).
 * </ul>
 *
 * <p>Every generator returns an immutable {@link org.glassbox.toys.ToyDataSet}. The same options
 * (seed included) give bit-identical arrays on every Java 17+ machine: draws come from {@link
 * java.util.SplittableRandom} and every transcendental function goes through {@link
 * java.lang.StrictMath} (the fdlibm algorithms), never through the intrinsics {@link
 * java.lang.Math} may use. {@link org.glassbox.toys.ToyDataSet#sha256()} fingerprints the result.
 */
package org.glassbox.toys;
