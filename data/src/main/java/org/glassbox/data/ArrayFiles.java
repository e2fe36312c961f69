package org.glassbox.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.glassbox.api.GlassboxException;

/** Opens NPY, NPZ and HDF5 files as {@link ArraySource}s, resolving the spec's names to arrays. */
final class ArrayFiles {
  private ArrayFiles() {}

  /** Collects what has been opened so that a failure half-way closes it all. */
  private static final class Opened implements AutoCloseable {
    private final List<AutoCloseable> all = new ArrayList<>();

    <T extends AutoCloseable> T add(T c) {
      all.add(c);
      return c;
    }

    @Override
    public void close() {
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          all.get(i).close();
        } catch (Exception ignored) {
          // Already failing with a better message.
        }
      }
    }
  }

  // ---------------------------------------------------------------- NPY

  /** A plain {@code .npy}: the whole array is the features; labels and weights are sibling files. */
  static RowSource npy(Path file, DataSpec spec) {
    if (spec.dataset() != null) {
      throw new GlassboxException("data.dataset ('" + spec.dataset() + "') names an array inside an .npz or HDF5 file;"
          + " " + file + " is a plain .npy file, whose whole array is the features. Remove data.dataset.");
    }
    Opened opened = new Opened();
    try {
      Column x = opened.add(Column.npy(Npy.open(file), file.toString()));
      Column y = spec.label() == null ? null : opened.add(sibling(file, spec.label(), "label"));
      Column w = spec.weight() == null ? null : opened.add(sibling(file, spec.weight(), "weight"));
      return new ArraySource(file.toString(), List.of(x), spec.features(), y, w, null);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private static Column sibling(Path file, String name, String role) {
    Path p = file.resolveSibling(name.endsWith(".npy") ? name : name + ".npy");
    if (!Files.isRegularFile(p)) {
      List<String> there = new ArrayList<>();
      Path dir = p.toAbsolutePath().getParent();
      try (Stream<Path> s = Files.list(dir)) {
        s.map(q -> q.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().forEach(there::add);
      } catch (IOException e) {
        // No listing: the message still names the file looked for.
      }
      throw new GlassboxException("The " + role + " file " + p + " (data." + role + " '" + name + "', next to " + file
          + ") does not exist. .npy files there: " + (there.isEmpty() ? "none" : Names.list(there)) + "."
          + Names.didYouMean(p.getFileName().toString(), there));
    }
    return Column.npy(Npy.open(p), p.toString());
  }

  // ---------------------------------------------------------------- NPZ

  /**
   * {@code numpy.savez} / {@code savez_compressed}: a zip of {@code .npy} members, each streamed
   * from the zip (members may be deflated, so they are read in order, never seeked).
   */
  static RowSource npz(Path file, DataSpec spec) {
    Opened opened = new Opened();
    try {
      ZipFile zip = opened.add(new ZipFile(file.toFile()));
      Map<String, ZipEntry> members = new LinkedHashMap<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry z = e.nextElement();
        if (z.getName().endsWith(".npy")) members.put(z.getName().substring(0, z.getName().length() - 4), z);
      }
      String where = file.toString();
      List<Column> features = new ArrayList<>();
      List<String> names = spec.features();
      if (spec.dataset() != null) {
        features.add(opened.add(member(zip, file, members, spec.dataset(), "array")));
      } else if (!names.isEmpty() && members.keySet().containsAll(names)) {
        for (String n : names) features.add(opened.add(member(zip, file, members, n, "array")));
      } else if (members.containsKey("x")) {
        features.add(opened.add(member(zip, file, members, "x", "array")));
      } else {
        String hint = names.isEmpty() ? "" : Names.missing(where, "array", names.stream()
            .filter(n -> !members.containsKey(n)).findFirst().orElseThrow(), members.keySet()) + " ";
        throw new GlassboxException(hint + where + " has no array 'x': set data.dataset to the key of the feature array,"
            + " or list 1-D arrays under data.features. Arrays: " + Names.list(members.keySet()) + ".");
      }
      Column y = spec.label() == null ? null : opened.add(member(zip, file, members, spec.label(), "label array"));
      Column w = spec.weight() == null ? null : opened.add(member(zip, file, members, spec.weight(), "weight array"));
      return new ArraySource(where, features, names, y, w, zip);
    } catch (IOException e) {
      opened.close();
      throw new GlassboxException("Cannot read " + file + " as an .npz (zip) file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** The keys of an {@code .npz}'s arrays, in the order of the zip. */
  static List<String> npzArrays(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> out = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".npy")) out.add(name.substring(0, name.length() - 4));
      }
      return out;
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + " as an .npz (zip) file: " + e.getMessage(), e);
    }
  }

  private static Column member(ZipFile zip, Path file, Map<String, ZipEntry> members, String key, String what)
      throws IOException {
    String k = key.endsWith(".npy") ? key.substring(0, key.length() - 4) : key;
    ZipEntry e = members.get(k);
    if (e == null) throw new GlassboxException(Names.missing(file.toString(), what, key, members.keySet()));
    String where = file + " '" + k + "'";
    return Column.npy(new Npy.Reader(new java.io.BufferedInputStream(zip.getInputStream(e), 1 << 16), where), where);
  }

  // ---------------------------------------------------------------- HDF5

  /** HDF5 via jhdf: one N-D feature dataset, or one 1-D dataset per feature. */
  static RowSource hdf5(Path file, DataSpec spec) {
    Opened opened = new Opened();
    try {
      HdfFile h = opened.add(new HdfFile(file));
      String where = file.toString();
      List<Column> features = new ArrayList<>();
      List<String> names = spec.features();
      if (spec.dataset() != null) {
        features.add(opened.add(dataset(h, file, spec.dataset(), "dataset")));
      } else if (!names.isEmpty()) {
        for (String n : names) {
          try {
            features.add(opened.add(dataset(h, file, n, "dataset")));
          } catch (GlassboxException e) {
            throw new GlassboxException(e.getMessage() + " (Without data.dataset, data.features lists 1-D datasets;"
                + " to name the columns of one 2-D dataset, set data.dataset to it.)", e);
          }
        }
      } else if (datasets(h).contains("x")) {
        features.add(opened.add(dataset(h, file, "x", "dataset")));
      } else {
        throw new GlassboxException(where + ": say which dataset holds the features: set data.dataset to a 2-D"
            + " (or N-D) dataset, or list 1-D datasets under data.features. Datasets: " + Names.list(datasets(h)) + ".");
      }
      Column y = spec.label() == null ? null : opened.add(dataset(h, file, spec.label(), "label dataset"));
      Column w = spec.weight() == null ? null : opened.add(dataset(h, file, spec.weight(), "weight dataset"));
      return new ArraySource(where, features, names, y, w, h);
    } catch (HdfException e) {
      opened.close();
      throw new GlassboxException("Cannot read " + file + " as HDF5: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private static Column dataset(HdfFile h, Path file, String path, String what) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    Node n = null;
    try {
      n = h.getByPath(p);
    } catch (HdfException e) {
      // Missing: reported below with the datasets that do exist.
    }
    if (!(n instanceof Dataset)) {
      List<String> all = datasets(h);
      if (n instanceof Group) {
        throw new GlassboxException(file + ": '" + path + "' is a group, not a dataset. Datasets: " + Names.list(all) + ".");
      }
      throw new GlassboxException(Names.missing(file.toString(), what, path, all));
    }
    return new HdfColumn((Dataset) n, file + " '" + p + "'");
  }

  /** Every dataset's path of an HDF5 file (without the leading slash), depth first. */
  static List<String> hdf5Arrays(Path file) {
    try (HdfFile h = new HdfFile(file)) {
      return datasets(h);
    } catch (HdfException e) {
      throw new GlassboxException("Cannot read " + file + " as HDF5: " + e.getMessage(), e);
    }
  }

  /** Every dataset's path (without the leading slash), depth first. */
  private static List<String> datasets(HdfFile h) {
    List<String> out = new ArrayList<>();
    collect(h, out);
    return out;
  }

  private static void collect(Group g, List<String> out) {
    for (Node n : g.getChildren().values()) {
      try {
        if (n.isLink()) continue; // soft and external links: may dangle, and their targets are listed anyway
        String path = n.getPath().startsWith("/") ? n.getPath().substring(1) : n.getPath();
        if (n instanceof Dataset) out.add(path);
        else if (n instanceof Group) collect((Group) n, out);
      } catch (HdfException e) {
        // A node jhdf cannot open is left out of the listing; the listing is only a hint.
      }
    }
  }
}
