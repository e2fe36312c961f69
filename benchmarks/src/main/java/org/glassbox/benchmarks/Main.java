package org.glassbox.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point: {@code ./glassbox-bench NAME [args]} runs the class {@code <Name>Benchmark} of this
 * package (engine, ado, efp, ...).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    String which = args.length == 0 ? "engine" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    String cls = Main.class.getPackageName() + "." + Character.toUpperCase(which.charAt(0)) + which.substring(1) + "Benchmark";
    Class<?> c;
    try {
      c = Class.forName(cls);
    } catch (ClassNotFoundException e) {
      System.err.println("unknown benchmark '" + which + "' (no class " + cls + ")");
      return;
    }
    try {
      c.getMethod("main", String[].class).invoke(null, (Object) rest);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
