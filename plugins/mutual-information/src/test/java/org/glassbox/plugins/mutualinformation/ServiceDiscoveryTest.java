package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.glassbox.api.similarity.SimilarityMethod;
import org.junit.jupiter.api.Test;

/** The engine finds the method on the class path (META-INF/services) and on the module path. */
class ServiceDiscoveryTest {
  @Test
  void classPathServiceLoaderFindsTheMethod() {
    List<String> ids = ServiceLoader.load(SimilarityMethod.class).stream().map(p -> p.get().id()).toList();
    assertTrue(ids.contains("mutual-information"), ids.toString());
  }

  @Test
  void moduleDescriptorProvidesTheMethodAndExportsItsPackage() {
    ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.glassbox.plugins.mutualinformation")
        .orElseThrow().descriptor();
    assertEquals(1, d.provides().size());
    ModuleDescriptor.Provides p = d.provides().iterator().next();
    assertEquals(SimilarityMethod.class.getName(), p.service());
    assertEquals(List.of(MutualInformationMethod.class.getName()), p.providers());
    // Exported for a run over events held in pieces (the Spark distribution), which forms its results with the
    // plugin's own pieces (MutualInformation, EqualPopulationScan, Permutation).
    assertEquals(List.of("org.glassbox.plugins.mutualinformation"), d.exports().stream().map(ModuleDescriptor.Exports::source).toList());
  }
}
