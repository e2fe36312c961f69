/**
 * Exact average decision ordering (seed 002), AUC and AMS (seed 000, eq. 5).
 *
 * <ul>
 *   <li>{@link org.glassbox.plugins.ado.Events} and {@link org.glassbox.plugins.ado.Scores}: the
 *       labelled, weighted events and the decision functions evaluated on them;
 *   <li>{@link org.glassbox.plugins.ado.DecisionOrdering#exact}: ADO over all signal × background
 *       pairs in O(N log N); {@link org.glassbox.plugins.ado.AdoMatrix} among k functions;
 *   <li>{@link org.glassbox.plugins.ado.Auc#exact}: weighted AUC, ties ½;
 *   <li>{@link org.glassbox.plugins.ado.DisagreementSet}: the pairs two functions order
 *       differently, and the exact score of a third function on them in O(N log² N);
 *   <li>{@link org.glassbox.plugins.ado.SampledPairs}: seeded pair-sampling estimates of all of the
 *       above, as seed 002's authors compute them;
 *   <li>{@link org.glassbox.plugins.ado.Ams}: eq. 5 and the best cut on a score;
 *   <li>{@link org.glassbox.plugins.ado.AdoSimilarityMethod}: the {@code ado} similarity method
 *       and {@link org.glassbox.plugins.ado.GuidedSearchMethod}: the {@code guided-search}
 *       surrogate method (seed 002's guided iteration), both found by {@code ServiceLoader}.
 * </ul>
 *
 * <p>Conventions (METHODS.md §7, §9): a pair weighs {@code w_s · w_b}; a pair tied in either
 * function counts ½ toward ADO and AUC; values below ½ are inverted and the inversion is recorded
 * ({@link org.glassbox.plugins.ado.Orientation}); the differently ordered subset excludes ties.
 * Orders are decided by comparing scores, not by the sign of the product {@code (f_s - f_b)(g_s -
 * g_b)}, which can underflow to 0 for tiny differences and would turn an ordered pair into a tie.
 */
package org.glassbox.plugins.ado;
