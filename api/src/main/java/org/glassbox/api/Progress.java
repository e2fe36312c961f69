package org.glassbox.api;

/** Progress of a long computation, shown as a bar on a terminal. */
public interface Progress {
  /** Starts (or restarts) a task of {@code total} steps. */
  void start(String task, long total);

  void step(long done);

  /** A short status shown beside the bar, e.g. the loss of the last epoch. */
  default void message(String text) {}

  /** Throws when the user asked to stop (Ctrl-C); methods call it between batches. */
  void checkCancelled();

  Progress NONE = new Progress() {
    @Override
    public void start(String task, long total) {}

    @Override
    public void step(long done) {}

    @Override
    public void checkCancelled() {}
  };
}
