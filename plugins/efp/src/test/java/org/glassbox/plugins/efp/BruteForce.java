package org.glassbox.plugins.efp;

import java.util.List;

/**
 * The naive reference: EFPs as the literal sum over all M^n index tuples, with z and θ computed
 * here from the raw particle arrays (independently of the library's own measure code).
 */
final class BruteForce {
  private BruteForce() {}

  /** z_a = (pT_a / Σ pT)^κ over the given (unpadded) particles. */
  static double[] z(double[] pt, double kappa) {
    double sum = 0;
    for (double p : pt) {
      sum += p;
    }
    double[] z = new double[pt.length];
    for (int a = 0; a < pt.length; a++) {
      z[a] = Math.pow(pt[a] / sum, kappa);
    }
    return z;
  }

  /** θ_ab = (Δy² + Δφ²)^(β/2), Δφ brought into [-π, π] by adding multiples of 2π. */
  static double[][] hadronicTheta(double[] y, double[] phi, double beta) {
    int m = y.length;
    double[][] t = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        double dphi = phi[a] - phi[b];
        while (dphi > Math.PI) {
          dphi -= 2 * Math.PI;
        }
        while (dphi < -Math.PI) {
          dphi += 2 * Math.PI;
        }
        double dy = y[a] - y[b];
        t[a][b] = Math.pow(dy * dy + dphi * dphi, beta / 2);
      }
    }
    return t;
  }

  /**
   * θ_ab = |2 (E_a E_b − p⃗_a·p⃗_b) / (E_a E_b)|^(β/2) off the diagonal; on it (2 m_a² / E_a²)^(β/2)
   * from the known masses, so that massless particles get exactly 0.
   */
  static double[][] eeTheta(double[] e, double[] px, double[] py, double[] pz, double[] mass, double beta) {
    int m = e.length;
    double[][] t = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        double dot = a == b ? mass[a] * mass[a] : e[a] * e[b] - (px[a] * px[b] + py[a] * py[b] + pz[a] * pz[b]);
        t[a][b] = Math.pow(Math.abs(2 * dot / (e[a] * e[b])), beta / 2);
      }
    }
    return t;
  }

  /** Σ over all index tuples of Π z · Π θ, for the graph's edge list. */
  static double efp(int vertices, List<Edge> edges, double[] z, double[][] theta) {
    int m = z.length;
    int[] idx = new int[vertices];
    double total = 0;
    while (true) {
      double term = 1;
      for (int v = 0; v < vertices; v++) {
        term *= z[idx[v]];
      }
      for (Edge e : edges) {
        term *= theta[idx[e.a()]][idx[e.b()]];
      }
      total += term;
      int k = 0;
      while (k < vertices && ++idx[k] == m) {
        idx[k++] = 0;
      }
      if (k == vertices) {
        return total;
      }
    }
  }
}
