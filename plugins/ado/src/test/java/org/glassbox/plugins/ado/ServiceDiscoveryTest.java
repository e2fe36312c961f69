package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.similarity.SimilarityMethod;
import org.glassbox.api.surrogate.SurrogateMethod;
import org.junit.jupiter.api.Test;

/** The engine finds both methods on the class path (META-INF/services) and on the module path. */
class ServiceDiscoveryTest {
  @Test
  void classPathServiceLoaderFindsBothMethods() {
    List<String> similarity = ServiceLoader.load(SimilarityMethod.class).stream()
        .map(p -> p.get().id()).toList();
    List<String> surrogate = ServiceLoader.load(SurrogateMethod.class).stream()
        .map(p -> p.get().id()).toList();
    assertTrue(similarity.contains("ado"), similarity.toString());
    assertTrue(surrogate.contains("guided-search"), surrogate.toString());
  }

  @Test
  void moduleDescriptorProvidesBothMethods() {
    ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.glassbox.plugins.ado")
        .orElseThrow().descriptor();
    Map<String, List<String>> provides = d.provides().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
    assertEquals(List.of(AdoSimilarityMethod.class.getName()), provides.get(SimilarityMethod.class.getName()));
    assertEquals(List.of(GuidedSearchMethod.class.getName()), provides.get(SurrogateMethod.class.getName()));
  }

  @Test
  void idsAreKebabCaseAndEveryOptionDefaultHasItsType() {
    for (MethodProvider m : List.<MethodProvider>of(new AdoSimilarityMethod(), new GuidedSearchMethod())) {
      assertTrue(m.id().matches("[a-z]+(-[a-z]+)*"), m.id());
      assertTrue(!m.description().isBlank() && !m.conventions().isBlank());
      m.options().forEach(o -> {
        Object v = o.defaultValue();
        boolean ok = switch (o.type()) {
          case INTEGER -> v instanceof Long;
          case NUMBER -> v instanceof Double;
          case BOOLEAN -> v instanceof Boolean;
          case STRING -> v instanceof String;
          case NUMBER_LIST -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Double);
          case STRING_LIST -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String);
        };
        assertTrue(ok, m.id() + "." + o.name() + " default " + v);
      });
    }
  }
}
