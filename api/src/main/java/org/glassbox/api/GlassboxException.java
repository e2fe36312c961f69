package org.glassbox.api;

/**
 * A problem the user can fix (a bad file, an unsupported operator, a malformed neuron name). The
 * message names what is wrong and what to do; the command line prints it without a stack trace.
 */
public class GlassboxException extends RuntimeException {
  public GlassboxException(String message) {
    super(message);
  }

  public GlassboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
