package org.glassbox.cli;

import java.io.PrintWriter;
import org.glassbox.api.GlassboxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code glassbox} command: the only place that calls System.exit. */
@Command(
    name = "glassbox",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Opens trained neural-network classifiers and shows what they learned.",
    subcommands = {DemoCommand.class, RunCommand.class, MethodsCommand.class, InitCommand.class, InspectCommand.class, GradientCommand.class,
        DeriveCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code: 0 ok, 1 internal error, 2 user error. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof GlassboxException) {
        err.println("error: " + ex.getMessage());
        err.flush();
        return 2;
      }
      err.println("internal error (please report it with the command you ran):");
      ex.printStackTrace(err);
      err.flush();
      return 1;
    });
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"glassbox " + (v == null ? "development build" : v) + ", Java " + Runtime.version()};
    }
  }
}
