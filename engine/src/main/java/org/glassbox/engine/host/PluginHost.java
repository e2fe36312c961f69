package org.glassbox.engine.host;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.MethodProvider;
import org.glassbox.api.attribution.AttributionMethod;
import org.glassbox.api.clustering.ClusteringMethod;
import org.glassbox.api.maximization.MaximizationMethod;
import org.glassbox.api.observables.ObservableProvider;
import org.glassbox.api.similarity.SimilarityMethod;
import org.glassbox.api.surrogate.SurrogateMethod;

/**
 * Finds method providers: in the boot layer (or on the class path), and in every plugin of the
 * plugin folders. A plugin is a jar, or a folder of jars (the plugin and its dependencies); each is
 * loaded into a {@link ModuleLayer} of its own, so that two plugins' dependencies cannot clash.
 * When Glassbox itself runs on the class path, plugins get a class loader of their own instead.
 */
public final class PluginHost {
  private final List<ClassLoader> pluginLoaders = new ArrayList<>();
  private final List<ModuleLayer> pluginLayers = new ArrayList<>();
  private final List<String> pluginNames = new ArrayList<>();

  private PluginHost() {}

  /** Discovers every provider; {@code pluginDirs} may be empty or hold folders that do not exist. */
  public static MethodCatalog discover(List<Path> pluginDirs) {
    PluginHost host = new PluginHost();
    for (Path dir : pluginDirs) host.loadFolder(dir);
    return new MethodCatalog(
        host.find(AttributionMethod.class, "attribution"),
        host.find(MaximizationMethod.class, "maximization"),
        host.find(ClusteringMethod.class, "clustering"),
        host.find(SurrogateMethod.class, "surrogate"),
        host.find(SimilarityMethod.class, "similarity"),
        host.find(ObservableProvider.class, "observables"));
  }

  private void loadFolder(Path dir) {
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().toList()) {
        if (Files.isDirectory(p)) {
          try (Stream<Path> jars = Files.list(p)) {
            load(p.getFileName().toString(), jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList());
          }
        } else if (p.toString().endsWith(".jar")) {
          load(p.getFileName().toString(), List.of(p));
        }
      }
    } catch (IOException e) {
      throw new GlassboxException("Cannot read the plugins folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private void load(String name, List<Path> jars) {
    if (jars.isEmpty()) return;
    pluginNames.add(name);
    boolean apiIsModule = ModuleLayer.boot().findModule("org.glassbox.api").isPresent();
    if (apiIsModule) {
      ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
      List<String> roots = finder.findAll().stream().map(ModuleReference::descriptor).map(d -> d.name()).toList();
      try {
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        pluginLayers.add(ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader()));
      } catch (RuntimeException e) {
        throw new GlassboxException("Plugin " + name + " cannot be loaded: " + e.getMessage()
            + ". A plugin is a jar, or a folder with the plugin's jar and the jars it depends on.", e);
      }
    } else {
      URL[] urls = jars.stream().map(PluginHost::url).toArray(URL[]::new);
      pluginLoaders.add(new URLClassLoader("glassbox-plugin-" + name, urls, PluginHost.class.getClassLoader()));
    }
  }

  private static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  private <S extends MethodProvider> Providers<S> find(Class<S> spi, String spiName) {
    List<Installed<S>> found = new ArrayList<>();
    ServiceLoader<S> boot = PluginHost.class.getModule().isNamed()
        ? ServiceLoader.load(ModuleLayer.boot(), spi)
        : ServiceLoader.load(spi, PluginHost.class.getClassLoader());
    boot.stream().forEach(p -> found.add(new Installed<>(p.get(), spiName, origin(p.type(), "class path"))));
    for (ModuleLayer layer : pluginLayers) {
      ServiceLoader.load(layer, spi).stream()
          .filter(p -> p.type().getModule().getLayer() == layer)
          .forEach(p -> found.add(new Installed<>(p.get(), spiName, origin(p.type(), "plugin"))));
    }
    for (ClassLoader loader : pluginLoaders) {
      ServiceLoader.load(spi, loader).stream()
          .filter(p -> p.type().getClassLoader() == loader)
          .forEach(p -> found.add(new Installed<>(p.get(), spiName, ((URLClassLoader) loader).getName())));
    }
    return new Providers<>(spiName, found);
  }

  private static String origin(Class<?> type, String fallback) {
    Module m = type.getModule();
    if (m.isNamed()) return m.getName();
    var src = type.getProtectionDomain().getCodeSource();
    return src == null ? fallback : Path.of(src.getLocation().getPath()).getFileName().toString();
  }
}
