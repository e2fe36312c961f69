package org.glassbox.engine.run;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.engine.host.MethodCatalog;
import org.glassbox.engine.host.PluginHost;
import org.glassbox.engine.report.ReportWriter;

/**
 * Wires the engine's services: the method catalog (discovered once, from the boot layer and the
 * plugin folders), the analysis-file parser, the executor and the report writer.
 */
public final class EngineModule extends AbstractModule {
  private final List<Path> pluginDirs;

  public EngineModule(List<Path> pluginDirs) {
    this.pluginDirs = List.copyOf(pluginDirs);
  }

  @Provides
  @Singleton
  MethodCatalog catalog() {
    return PluginHost.discover(pluginDirs);
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
