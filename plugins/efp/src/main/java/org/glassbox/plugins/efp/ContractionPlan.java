package org.glassbox.plugins.efp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared sub-contractions of a whole graph library, compiled into a straight-line program
 * over numbered tensor slots. One run computes every prime graph's EFP for one jet and one (κ, β):
 * slot 0 holds z and slot k holds θ^k (elementwise, θ already carrying β); the scalars of the
 * rank-0 nodes are the EFPs.
 *
 * <p>Slots are reused once the last reader of a tensor has run, so a jet needs a few dozen
 * matrices however many graphs share them.
 */
final class ContractionPlan {
  private final List<PlanOp> ops;
  private final int[] slotRank;
  private final int maxPower;
  private final int scalarCount;
  private final int[] opNode;

  private ContractionPlan(List<PlanOp> ops, int[] slotRank, int maxPower, int scalarCount, int[] opNode) {
    this.ops = List.copyOf(ops);
    this.slotRank = slotRank;
    this.maxPower = maxPower;
    this.scalarCount = scalarCount;
    this.opNode = opNode;
  }

  /** Largest power θ^k any node needs: slots 1..maxPower hold θ^1..θ^maxPower. */
  int maxPower() {
    return maxPower;
  }

  /** Number of scalars a run writes: one per node, filled for the rank-0 ones. */
  int scalarCount() {
    return scalarCount;
  }

  int slotCount() {
    return slotRank.length;
  }

  int slotRank(int slot) {
    return slotRank[slot];
  }

  List<PlanOp> ops() {
    return ops;
  }

  /** The node each op belongs to, for time profiles. */
  int nodeOf(int op) {
    return opNode[op];
  }

  void run(double[][] slots, double[] scalars, int m) {
    for (PlanOp op : ops) {
      op.run(slots, scalars, m);
    }
  }

  /** A planned instruction over value ids, before values are packed into slots. */
  private record Spec(int kind, int out, int rank, int[] in, Permutation[] perm, int[] group, boolean symmetric, int node) {
    static final int MULTIPLY = 0;
    static final int SUM = 1;
    static final int CONTRACT = 2;

    List<Integer> reads() {
      List<Integer> r = new ArrayList<>();
      if (kind == CONTRACT) {
        r.add(in[0]);
        for (int g : group) {
          if (g >= 0) {
            r.add(g);
          }
        }
      } else {
        for (int x : in) {
          r.add(x);
        }
      }
      return r;
    }
  }

  static ContractionPlan compile(List<ContractionNode> nodes) {
    int maxPower = 1;
    for (ContractionNode n : nodes) {
      for (int p : n.edgePowers()) {
        maxPower = Math.max(maxPower, p);
      }
    }
    List<Integer> valueRank = new ArrayList<>();
    valueRank.add(1); // z
    for (int k = 1; k <= maxPower; k++) {
      valueRank.add(2); // θ^k
    }
    int leaves = valueRank.size();
    int[] nodeValue = new int[nodes.size()];
    List<Spec> specs = new ArrayList<>();
    for (int id = 0; id < nodes.size(); id++) {
      ContractionNode node = nodes.get(id);
      int rank = node.rank();
      List<Integer> vectors = new ArrayList<>();
      vectors.add(0);
      List<List<Integer>> groupValues = new ArrayList<>();
      List<List<Permutation>> groupPerms = new ArrayList<>();
      for (int g = 0; g < (1 << rank); g++) {
        groupValues.add(new ArrayList<>());
        groupPerms.add(new ArrayList<>());
      }
      for (ContractionNode.Input input : node.inputs()) {
        ContractionNode source = nodes.get(input.node());
        int[] pos = input.positions();
        if (source.rank() == 1) {
          vectors.add(nodeValue[input.node()]);
          continue;
        }
        // Wanted layout: [v, then the input's output axes in increasing order].
        int[] wanted = pos.clone();
        Arrays.sort(wanted);
        int mask = 0;
        for (int p : pos) {
          if (p > 0) {
            mask |= 1 << (p - 1);
          }
        }
        if (mask == (1 << rank) - 1 && rank == 3) {
          throw new IllegalStateException("χ above 4 is not supported (node " + node.key() + ")");
        }
        int[] image = new int[pos.length];
        for (int i = 0; i < pos.length; i++) {
          image[i] = Arrays.binarySearch(wanted, pos[i]);
        }
        Permutation perm = new Permutation(image);
        boolean asStored = perm.isIdentity() || source.symmetricUnder(perm);
        groupValues.get(mask).add(nodeValue[input.node()]);
        groupPerms.get(mask).add(asStored ? null : perm);
      }
      int[] powers = node.edgePowers();
      for (int j = 0; j < rank; j++) {
        if (powers[j] > 0) {
          groupValues.get(1 << j).add(powers[j]);
          groupPerms.get(1 << j).add(null);
        }
      }
      int weight = 0;
      if (vectors.size() > 1) {
        weight = valueRank.size();
        valueRank.add(1);
        specs.add(new Spec(Spec.MULTIPLY, weight, 1, toArray(vectors), new Permutation[vectors.size()], null, false, id));
      }
      if (rank == 0) {
        specs.add(new Spec(Spec.SUM, id, 0, new int[] {weight}, null, null, false, id));
        nodeValue[id] = -1;
        continue;
      }
      int[] group = new int[1 << rank];
      Arrays.fill(group, -1);
      for (int g = 1; g < (1 << rank); g++) {
        List<Integer> vals = groupValues.get(g);
        List<Permutation> perms = groupPerms.get(g);
        if (vals.isEmpty()) {
          continue;
        }
        if (vals.size() == 1 && perms.get(0) == null) {
          group[g] = vals.get(0);
          continue;
        }
        int t = valueRank.size();
        int r = 1 + Integer.bitCount(g);
        valueRank.add(r);
        specs.add(new Spec(Spec.MULTIPLY, t, r, toArray(vals), perms.toArray(new Permutation[0]), null, false, id));
        group[g] = t;
      }
      boolean symmetric = rank >= 2 && node.fullySymmetric();
      int out = valueRank.size();
      valueRank.add(rank);
      nodeValue[id] = out;
      specs.add(new Spec(Spec.CONTRACT, out, rank, new int[] {weight}, null, group, symmetric, id));
    }
    return pack(specs, valueRank, leaves, maxPower, nodes.size());
  }

  /** Assigns value ids to slots, reusing a slot of the same rank once its value is dead. */
  private static ContractionPlan pack(List<Spec> specs, List<Integer> valueRank, int leaves, int maxPower, int nodeCount) {
    int values = valueRank.size();
    int[] lastUse = new int[values];
    Arrays.fill(lastUse, -1);
    for (int i = 0; i < specs.size(); i++) {
      for (int v : specs.get(i).reads()) {
        lastUse[v] = i;
      }
    }
    int[] slotOf = new int[values];
    Arrays.fill(slotOf, -1);
    List<Integer> slotRank = new ArrayList<>();
    for (int v = 0; v < leaves; v++) {
      slotOf[v] = v;
      slotRank.add(valueRank.get(v));
    }
    Map<Integer, Deque<Integer>> free = new HashMap<>();
    List<PlanOp> ops = new ArrayList<>();
    int[] opNode = new int[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      if (s.kind() != Spec.SUM) {
        Deque<Integer> pool = free.computeIfAbsent(s.rank(), r -> new ArrayDeque<>());
        if (pool.isEmpty()) {
          slotOf[s.out()] = slotRank.size();
          slotRank.add(s.rank());
        } else {
          slotOf[s.out()] = pool.pop();
        }
      }
      ops.add(build(s, slotOf));
      opNode[i] = s.node();
      for (int v : s.reads()) {
        if (v >= leaves && lastUse[v] == i && slotOf[v] >= 0) {
          free.computeIfAbsent(valueRank.get(v), r -> new ArrayDeque<>()).push(slotOf[v]);
          slotOf[v] = -2; // dead; a later read would be a planning bug
        }
      }
      if (s.kind() != Spec.SUM && lastUse[s.out()] < 0) {
        free.get(s.rank()).push(slotOf[s.out()]);
      }
    }
    return new ContractionPlan(ops, slotRank.stream().mapToInt(Integer::intValue).toArray(), maxPower, nodeCount, opNode);
  }

  private static PlanOp build(Spec s, int[] slotOf) {
    switch (s.kind()) {
      case Spec.MULTIPLY:
        return new PlanOp.Multiply(slotOf[s.out()], s.rank(), slots(s.in(), slotOf), s.perm());
      case Spec.SUM:
        return new PlanOp.Sum(s.out(), slotOf[s.in()[0]]);
      default:
        return new PlanOp.Contract(s.rank(), slotOf[s.out()], slotOf[s.in()[0]], slots(s.group(), slotOf), s.symmetric());
    }
  }

  private static int[] slots(int[] values, int[] slotOf) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      int v = values[i];
      if (v >= 0 && slotOf[v] < 0) {
        throw new IllegalStateException("value " + v + " read after its slot was released");
      }
      out[i] = v < 0 ? -1 : slotOf[v];
    }
    return out;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
