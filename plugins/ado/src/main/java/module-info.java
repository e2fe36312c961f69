/** Average decision ordering (seed 002), AUC and AMS (seed 000), exact over all pairs. */
module org.glassbox.plugins.ado {
  requires org.glassbox.api;

  exports org.glassbox.plugins.ado;
}
