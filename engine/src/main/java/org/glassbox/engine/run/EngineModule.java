package org.glassbox.engine.run;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.report.ReportWriter;

/**
 * Wires the engine's services around a method catalog (discovered beforehand, so that plugin
 * errors reach the user as they are): the analysis-file parser, the executor, the report writer.
 */
public final class EngineModule extends AbstractModule {
  private final MethodCatalog catalog;

  public EngineModule(MethodCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  protected void configure() {
    bind(MethodCatalog.class).toInstance(catalog);
  }

  @Provides
  RunSpecParser parser(MethodCatalog catalog) {
    return new RunSpecParser(catalog);
  }

  @Provides
  ReportWriter reportWriter() {
    return new ReportWriter();
  }
}
