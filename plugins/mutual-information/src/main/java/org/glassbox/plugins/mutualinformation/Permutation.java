package org.glassbox.plugins.mutualinformation;

import java.util.SplittableRandom;

/**
 * The seeded shuffle of the permutation baseline: a pseudo-random permutation π of the event
 * indices {@code 0 .. n-1} that can be evaluated, and inverted, at any index on its own. The
 * baseline pairs event e's first function with event π(e)'s second; because π(e) needs no table of
 * the other events, a cluster holding the events in pieces computes the same pairs as one machine
 * (each event sends its bins to event π⁻¹(e)).
 *
 * <p>A balanced Feistel network of {@link #ROUNDS} rounds on the smallest even number of bits that
 * holds {@code n - 1} (round function: a 64-bit finaliser of the half word xor a round key drawn from
 * the seed), restricted to {@code [0, n)} by cycle walking (apply it again while the result is ≥ n:
 * a bijection of {@code [0, n)}, on average under four applications).
 */
public final class Permutation {
  /** Feistel rounds (four already make a pseudo-random permutation of a random round function). */
  static final int ROUNDS = 6;

  private final long n;
  private final int half;
  private final long mask;
  private final long[] keys = new long[ROUNDS];

  /**
   * @param n the number of events, 0 or more
   * @param seed the run's seed
   */
  public Permutation(long n, long seed) {
    if (n < 0) throw new IllegalArgumentException("a permutation of " + n + " events");
    this.n = n;
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(n - 1, 1));
    if (bits % 2 == 1) bits++;
    if (bits > 62) throw new IllegalArgumentException("a permutation of " + n + " events (at most 2^62)");
    this.half = bits / 2;
    this.mask = (1L << half) - 1;
    SplittableRandom random = new SplittableRandom(seed);
    for (int r = 0; r < ROUNDS; r++) keys[r] = random.nextLong();
  }

  /** The number of events permuted. */
  public long size() {
    return n;
  }

  /** π(e): the event whose second function event e is paired with. */
  public long apply(long e) {
    check(e);
    long x = e;
    do {
      x = forward(x);
    } while (x >= n);
    return x;
  }

  /** π⁻¹(f): the event that is paired with event f's second function. */
  public long inverse(long f) {
    check(f);
    long x = f;
    do {
      x = backward(x);
    } while (x >= n);
    return x;
  }

  private void check(long e) {
    if (e < 0 || e >= n) throw new IndexOutOfBoundsException("event " + e + " of " + n);
  }

  private long forward(long x) {
    long l = x >>> half;
    long r = x & mask;
    for (int i = 0; i < ROUNDS; i++) {
      long t = l ^ (mix(r ^ keys[i]) & mask);
      l = r;
      r = t;
    }
    return (l << half) | r;
  }

  private long backward(long x) {
    long l = x >>> half;
    long r = x & mask;
    for (int i = ROUNDS - 1; i >= 0; i--) {
      long t = r ^ (mix(l ^ keys[i]) & mask);
      r = l;
      l = t;
    }
    return (l << half) | r;
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser (as {@link SplittableRandom} mixes). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
