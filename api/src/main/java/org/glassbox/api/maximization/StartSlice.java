package org.glassbox.api.maximization;

/**
 * A part of a maximization method's starts, for a run that climbs them on several machines. With
 * M starts numbered 0 .. M-1, part {@code index} of {@code count} holds the consecutive starts
 * {@code from(M) <= k < to(M)}; the parts in order hold every start once, in order.
 *
 * @param index which part, 0 .. count-1
 * @param count how many parts the starts are split into
 */
public record StartSlice(int index, int count) {
  /** Every start: what a method climbs on one machine. */
  public static final StartSlice ALL = new StartSlice(0, 1);

  public StartSlice {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("start slice " + index + " of " + count + ": need 0 <= index < count");
    }
  }

  /** The first start of this part, of {@code starts} in all. */
  public int from(int starts) {
    return (int) ((long) index * starts / count);
  }

  /** One past the last start of this part, of {@code starts} in all. */
  public int to(int starts) {
    return (int) ((long) (index + 1) * starts / count);
  }
}
