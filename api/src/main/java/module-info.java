/**
 * Glassbox's stable surface: value types and service-provider interfaces shared by the engine and
 * method plugins. Depends on the JDK only.
 */
module org.glassbox.api {
  exports org.glassbox.api;
}
