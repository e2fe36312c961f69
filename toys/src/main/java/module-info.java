/** Seeded generators of the toy data sets of the four seed documents. */
module org.glassbox.toys {
  requires org.glassbox.api;

  exports org.glassbox.toys;
}
