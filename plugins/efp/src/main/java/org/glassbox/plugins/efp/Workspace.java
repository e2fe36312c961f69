package org.glassbox.plugins.efp;

/**
 * One thread's buffers for evaluating a {@link ContractionPlan} jet by jet: the plan's tensor
 * slots, and per jet the z vector of each κ and the powers θ^1..θ^k of each β, computed once and
 * shared by every graph. Sized for the largest jet of a batch.
 */
final class Workspace {
  private final ContractionPlan plan;
  private final double[][] slots;
  private final double[] scalars;
  private final double[][] z;
  private final double[][][] thetaPowers;
  private final double[] squared;

  Workspace(ContractionPlan plan, int kappas, int betas, int capacity) {
    this.plan = plan;
    int c = Math.max(capacity, 1);
    slots = new double[plan.slotCount()][];
    for (int s = 1 + plan.maxPower(); s < slots.length; s++) {
      int r = plan.slotRank(s);
      slots[s] = new double[r == 1 ? c : r == 2 ? c * c : c * c * c];
    }
    scalars = new double[plan.scalarCount()];
    z = new double[kappas][c];
    thetaPowers = new double[betas][plan.maxPower() + 1][c * c];
    squared = new double[c * c];
  }

  /** Computes z for each κ and θ^k for each β of one jet. */
  void load(JetBatch jets, int jet, EfpLibraryOptions options) {
    double[] x = jets.column(0, jet);
    int m = x.length;
    for (int k = 0; k < options.kappas().size(); k++) {
      options.weighting().weights(x, options.kappas().get(k), z[k]);
    }
    options.measure().squaredDistances(jets, jet, squared);
    int mm = m * m;
    for (int b = 0; b < options.betas().size(); b++) {
      double half = options.betas().get(b) / 2;
      double[][] pw = thetaPowers[b];
      double[] theta = pw[1];
      for (int i = 0; i < m; i++) {
        // θ is symmetric: take each power once per pair.
        theta[i * m + i] = Powers.power(squared[i * m + i], half);
        for (int j = i + 1; j < m; j++) {
          double t = Powers.power(squared[i * m + j], half);
          theta[i * m + j] = t;
          theta[j * m + i] = t;
        }
      }
      for (int p = 2; p < pw.length; p++) {
        double[] prev = pw[p - 1];
        double[] cur = pw[p];
        for (int i = 0; i < mm; i++) {
          cur[i] = prev[i] * theta[i];
        }
      }
    }
  }

  /** Runs the plan for the loaded jet at κ index k and β index b; returns the node scalars. */
  double[] run(int kappa, int beta, int m) {
    slots[0] = z[kappa];
    for (int p = 1; p <= plan.maxPower(); p++) {
      slots[p] = thetaPowers[beta][p];
    }
    plan.run(slots, scalars, m);
    return scalars;
  }

  /** Runs the plan op by op, adding each op's wall time to seconds[op]. */
  double[] runTimed(int kappa, int beta, int m, double[] seconds) {
    slots[0] = z[kappa];
    for (int p = 1; p <= plan.maxPower(); p++) {
      slots[p] = thetaPowers[beta][p];
    }
    int i = 0;
    for (PlanOp op : plan.ops()) {
      long t = System.nanoTime();
      op.run(slots, scalars, m);
      seconds[i++] += (System.nanoTime() - t) * 1e-9;
    }
    return scalars;
  }
}
