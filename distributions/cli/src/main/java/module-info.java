/** The glassbox command. */
module org.glassbox.cli {
  requires org.glassbox.engine;
  requires info.picocli;

  opens org.glassbox.cli to info.picocli;
}
