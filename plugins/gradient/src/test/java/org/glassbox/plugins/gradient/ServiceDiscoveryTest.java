package org.glassbox.plugins.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.glassbox.api.attribution.AttributionMethod;
import org.junit.jupiter.api.Test;

/** The engine finds all four methods on the class path (META-INF/services) and on the module path. */
class ServiceDiscoveryTest {
  static final List<String> IDS = List.of("gradient", "gradient-x-input", "integrated-gradients", "smoothgrad");

  @Test
  void classPathServiceLoaderFindsAllFour() {
    List<String> ids = ServiceLoader.load(AttributionMethod.class).stream().map(p -> p.get().id()).toList();
    assertTrue(ids.containsAll(IDS), ids.toString());
  }

  @Test
  void moduleDescriptorProvidesAllFourAndExportsNothing() {
    ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.glassbox.plugins.gradient")
        .orElseThrow().descriptor();
    ModuleDescriptor.Provides p = d.provides().iterator().next();
    assertEquals(AttributionMethod.class.getName(), p.service());
    assertEquals(List.of(GradientMethod.class.getName(), GradientTimesInputMethod.class.getName(),
        IntegratedGradientsMethod.class.getName(), SmoothGradMethod.class.getName()), p.providers());
    assertTrue(d.exports().isEmpty());
  }
}
