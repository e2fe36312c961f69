/**
 * Energy flow polynomials (METHODS.md §8, seed 002): every loopless multigraph G with at most d
 * edges defines
 *
 * <pre>  EFP_G = Σ_{a_1..a_n} z_{a_1} … z_{a_n} Π_{(k,l) ∈ G} θ_{a_k a_l}</pre>
 *
 * <p>Start at {@link org.glassbox.plugins.efp.EfpLibrary}: it enumerates the graphs ({@link
 * org.glassbox.plugins.efp.GraphCatalog}), and computes a jets × columns matrix for a grid of κ
 * and β from a {@link org.glassbox.plugins.efp.JetBatch}; each {@link
 * org.glassbox.plugins.efp.EfpColumn} names its graph ({@link org.glassbox.plugins.efp.EfpGraph}:
 * edges, n, d, chromatic number, elimination order, χ), κ, β and IRC safety.
 *
 * <p><b>Conventions.</b> z_a = (x_a / Σ_b x_b)^κ with x = pT (hadronic) or E (e⁺e⁻), METHODS.md's
 * form ({@link org.glassbox.plugins.efp.EnergyWeighting#ENERGYFLOW_NORMED} gives EnergyFlow's
 * x^κ / Σ x^κ instead); θ_ab = q_ab^(β/2) with q from {@link org.glassbox.plugins.efp.Measure}.
 * Zero-energy particles are padding and are dropped before any power is taken. Only κ = 1 EFPs
 * are IRC-safe. The one-vertex graph (d = 0) is included: its EFP is Σ z_a.
 *
 * <p><b>Evaluation.</b> No per-jet loop runs over the M^n index tuples of a graph. Each connected
 * graph is contracted one vertex at a time in an order of least complexity χ (cost O(M^χ)), found
 * exactly by dynamic programming over vertex subsets; every intermediate tensor is identified by
 * the canonical form of the piece of graph it sums, so pieces that several graphs share (θ^k z θ^l
 * paths, pendant trees, the K4 core, …) are computed once per jet and (κ, β). Composite graphs are
 * products of their connected factors.
 */
package org.glassbox.plugins.efp;
