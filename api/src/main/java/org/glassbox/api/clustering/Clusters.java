package org.glassbox.api.clustering;

/**
 * Cluster labels per point (-1 = noise) and the number of clusters.
 */
public record Clusters(int[] labels, int count) {}
