/** The glassbox command. */
module org.glassbox.cli {
  requires org.glassbox.engine;
  requires org.glassbox.toys;
  requires info.picocli;
  requires me.tongfei.progressbar;

  opens org.glassbox.cli to info.picocli;
}
