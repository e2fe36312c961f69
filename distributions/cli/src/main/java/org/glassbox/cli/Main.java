package org.glassbox.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    // -h/--help (and -V/--version) on every subcommand, as on glassbox itself: 'glassbox inspect --help' shows the
    // usage instead of asking for the missing MODEL.
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) sub.getCommandSpec().mixinStandardHelpOptions(true);
    }
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

  /**
   * Checks a file a command is about to write, before any work: its folder must exist and it must
   * not be a directory. {@code option} names how it was given (e.g. "-o"), for the message.
   */
  static void checkOutputFile(Path file, String option, String example) {
    if (Files.isDirectory(file)) {
      throw new GlassboxException(file + " is a directory; " + option + " names the file to write, e.g. " + option + " "
          + file.resolve(example) + ".");
    }
    checkFolderOf(file);
  }

  /** The folder a file is to be written in exists (it is not created: a typo would leave folders behind). */
  static void checkFolderOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new GlassboxException("Cannot write " + file + ": the folder " + parent + (Files.exists(parent) ? " is a file,"
          + " not a folder." : " does not exist; create it first (mkdir -p " + parent + ") or choose another path."));
    }
  }

  /** A model path that is a directory (the model's load would only say it cannot be read). */
  static void checkModelFile(Path model) {
    if (Files.isDirectory(model)) {
      throw new GlassboxException(model + " is a directory; a model file (.onnx) is expected.");
    }
  }

  /** Checks an input file a command reads: it exists and is not a directory; {@code what} is e.g. "an ONNX model file". */
  static void checkInputFile(Path file, String what) {
    if (Files.isDirectory(file)) throw new GlassboxException(file + " is a directory; " + what + " is expected.");
    if (!Files.exists(file)) throw new GlassboxException(file + " does not exist.");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"glassbox " + (v == null ? "development build" : v) + ", Java " + Runtime.version()};
    }
  }

  /** Writes a file's content into a given path. */
  @FunctionalInterface
  interface Writer<T> {
    T write(java.nio.file.Path file) throws java.io.IOException;
  }

  /**
   * Writes {@code target} through a new file beside it, moved into place when complete, so that a
   * failed or interrupted write leaves no partial file under the target's name. The file is made with
   * Files.createFile, so it gets the user's usual permissions (Files.createTempFile would make it
   * readable by its owner only).
   */
  static <T> T writeInPlace(java.nio.file.Path target, Writer<T> writer) {
    java.nio.file.Path tmp = null;
    try {
      tmp = partFile(target);
      T result = writer.write(tmp);
      java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return result;
    } catch (java.io.IOException e) {
      throw new GlassboxException("Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) tmp.toFile().delete();
    }
  }

  private static java.nio.file.Path partFile(java.nio.file.Path target) throws java.io.IOException {
    java.nio.file.Path dir = target.toAbsolutePath().getParent();
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (int attempt = 0; ; attempt++) {
      java.nio.file.Path p = dir.resolve("." + target.getFileName() + "." + Long.toHexString(random.nextLong()) + ".part");
      try {
        return java.nio.file.Files.createFile(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }
}
