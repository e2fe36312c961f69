package org.glassbox.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Progress;

/** Progress bars on stderr (only on a terminal); Ctrl-C sets the cancelled flag checked between batches. */
final class TerminalProgress implements Progress, AutoCloseable {
  private ProgressBar bar;
  private volatile boolean cancelled;

  static Progress forTerminal(boolean quiet) {
    return quiet || System.console() == null ? Progress.NONE : new TerminalProgress();
  }

  void cancel() {
    cancelled = true;
  }

  @Override
  public void start(String task, long total) {
    close();
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  @Override
  public void step(long done) {
    if (bar != null) bar.stepTo(done);
  }

  @Override
  public void message(String text) {
    if (bar != null) bar.setExtraMessage(text);
  }

  @Override
  public void checkCancelled() {
    if (cancelled) throw new GlassboxException("Stopped by the user; no results were written.");
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
    bar = null;
  }
}
