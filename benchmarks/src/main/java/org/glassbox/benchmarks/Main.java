package org.glassbox.benchmarks;

import java.util.Arrays;

/** Entry point: {@code engine} runs {@link EngineBenchmark}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String which = args.length == 0 ? "engine" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (which) {
      case "engine" -> EngineBenchmark.main(rest);
      default -> System.err.println("unknown benchmark '" + which + "'; available: engine");
    }
  }
}
