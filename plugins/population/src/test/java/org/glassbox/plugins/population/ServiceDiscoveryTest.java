package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.surrogate.SurrogateMethod;
import org.junit.jupiter.api.Test;

/** The engine finds the four methods on the class path (META-INF/services) and on the module path. */
class ServiceDiscoveryTest {
  @Test
  void classPathServiceLoaderFindsTheMethods() {
    assertTrue(ids(MaximizationMethod.class).contains("gradient-ascent"));
    assertTrue(ids(ClusteringMethod.class).containsAll(List.of("dbscan", "kmeans")));
    assertTrue(ids(SurrogateMethod.class).contains("caveman"));
  }

  private static <S extends MethodProvider> List<String> ids(Class<S> service) {
    return ServiceLoader.load(service).stream().map(p -> p.get().id()).toList();
  }

  @Test
  void moduleDescriptorProvidesTheMethodsAndRequiresCommonsMath() {
    ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.glassbox.plugins.population")
        .orElseThrow().descriptor();
    Map<String, List<String>> provides = d.provides().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
    assertEquals(List.of(GradientAscentMethod.class.getName()), provides.get(MaximizationMethod.class.getName()));
    assertEquals(List.of(DbscanMethod.class.getName(), KMeansMethod.class.getName()),
        provides.get(ClusteringMethod.class.getName()));
    assertEquals(List.of(CavemanMethod.class.getName()), provides.get(SurrogateMethod.class.getName()));
    Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    assertTrue(requires.containsAll(Set.of("org.glassbox.api", "commons.math3")), requires.toString());
    assertTrue(d.exports().isEmpty(), "no exported packages");
    // The automatic module name of the commons-math3 jar on the build's path is the one required.
    String jar = System.getProperty("java.class.path");
    for (String entry : jar.split(java.io.File.pathSeparator)) {
      if (entry.contains("commons-math3")) {
        assertEquals("commons.math3", ModuleFinder.of(Path.of(entry)).findAll().iterator().next().descriptor().name());
      }
    }
  }

  @Test
  void moduleLayerResolvesCommonsMathAndLoadsTheProviders() throws Exception {
    // The plugin, glassbox-api and commons-math3 on a module path: "requires commons.math3" must resolve to the
    // jar's automatic module, and ServiceLoader must find the providers through module-info alone.
    List<Path> path = new java.util.ArrayList<>(List.of(Path.of("target", "classes")));
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.contains("commons-math3") || entry.contains("glassbox-api")) path.add(Path.of(entry));
    }
    assertEquals(3, path.size(), path.toString());
    ModuleFinder finder = ModuleFinder.of(path.toArray(new Path[0]));
    ModuleLayer boot = ModuleLayer.boot();
    var configuration = boot.configuration().resolveAndBind(finder, ModuleFinder.of(),
        Set.of("org.glassbox.plugins.population"));
    ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    Class<?> service = layer.findLoader("org.glassbox.api").loadClass(ClusteringMethod.class.getName());
    List<String> ids = new java.util.ArrayList<>();
    for (Object provider : ServiceLoader.load(layer, service)) {
      ids.add((String) service.getMethod("id").invoke(provider));
    }
    assertEquals(List.of("dbscan", "kmeans"), ids.stream().sorted().toList());
  }

  @Test
  void idsAreKebabCaseAndEveryOptionDefaultHasItsType() {
    for (MethodProvider m : List.<MethodProvider>of(new GradientAscentMethod(), new DbscanMethod(), new KMeansMethod(),
        new CavemanMethod())) {
      assertTrue(m.id().matches("[a-z]+(-[a-z]+)*"), m.id());
      assertTrue(!m.description().isBlank() && !m.conventions().isBlank());
      assertEquals(m.options().size(), m.options().stream().map(o -> o.name()).distinct().count(), m.id());
      m.options().forEach(o -> {
        Object v = o.defaultValue();
        boolean ok = switch (o.type()) {
          case INTEGER -> v instanceof Long;
          case NUMBER -> v instanceof Double;
          case BOOLEAN -> v instanceof Boolean;
          case STRING -> v instanceof String s && (o.choices().isEmpty() || o.choices().contains(s));
          case NUMBER_LIST -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Double);
          case STRING_LIST -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String);
        };
        assertTrue(ok, m.id() + "." + o.name() + " default " + v);
      });
    }
  }
}
