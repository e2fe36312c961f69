package org.glassbox.engine.run;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.api.GlassboxException;
import org.glassbox.engine.host.Providers;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML value with the place it was written, so every validation error can name the file, line
 * and column. Files are composed (never constructed into objects) by SnakeYAML with the safe
 * constructor and limits on aliases, nesting depth and size.
 */
public final class YamlNode {
  private static final int MAX_BYTES = 1 << 20;

  private final Node node;
  private final Path file;
  private final String path;

  private YamlNode(Node node, Path file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
  }

  public static YamlNode load(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) throw new GlassboxException(file + " is larger than 1 MiB; an analysis file is short.");
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new GlassboxException("Analysis file not found: " + file + ". 'glassbox init FILE' writes a commented template.");
    } catch (IOException e) {
      throw new GlassboxException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_BYTES);
    options.setAllowRecursiveKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    Node root;
    try (Reader r = new java.io.StringReader(text)) {
      root = yaml.compose(r);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = m == null ? file.toString() : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      throw new GlassboxException(where + ": not valid YAML: " + e.getProblem()
          + (e.getContext() != null ? " (" + e.getContext() + ")" : "") + "." + hint(e, text, m), e);
    } catch (RuntimeException | IOException e) {
      throw new GlassboxException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) throw new GlassboxException(file + " is empty; 'glassbox init FILE' writes a commented template.");
    // The file is composed, never constructed, so SnakeYAML's duplicate-key check (a constructor's) does not run: check here.
    refuseDuplicateKeys(root, file, "");
    return new YamlNode(root, file, "");
  }

  /** A bracket inside a flow sequence: {@code [output[1]]} parses as a list that lacks a comma. */
  private static final java.util.regex.Pattern NESTED_BRACKET = java.util.regex.Pattern.compile("\\[[^\\]]*\\[");
  private static final java.util.regex.Pattern INDEXED_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_./:-]*\\[\\d+\\](?:\\[\\d+\\])*");

  /**
   * What a parse error most likely means, for the two mistakes people make: a neuron name with
   * brackets unquoted in a flow list, and indentation (reported on the line after the bad one).
   */
  private static String hint(MarkedYAMLException e, String text, Mark m) {
    String[] lines = text.split("\\R", -1);
    String line = m != null && m.getLine() < lines.length ? lines[m.getLine()] : "";
    String code = line.replaceFirst("\\s#.*$", "");
    if (NESTED_BRACKET.matcher(code).find()) {
      java.util.regex.Matcher named = INDEXED_NAME.matcher(code.substring(code.indexOf('[') + 1));
      String example = named.find() ? named.group() : "output[1]";
      return " Write neuron names with brackets in quotes: '" + example + "' (e.g. neurons: ['" + example + "']).";
    }
    String problem = String.valueOf(e.getProblem()) + " " + e.getContext();
    if (problem.contains("<block end>") || problem.contains("mapping values are not allowed")
        || problem.contains("expected ':'") || problem.contains("did not find expected key")
        || problem.contains("while parsing a block")) {
      return " Check the indentation of this line and the one before (YAML uses spaces, nested keys are indented more"
          + " than their parent).";
    }
    return "";
  }

  /** Fails at the second occurrence of a key in any mapping of the file, naming the first. */
  private static void refuseDuplicateKeys(Node node, Path file, String path) {
    if (node instanceof MappingNode mn) {
      Map<String, Node> seen = new java.util.HashMap<>();
      for (NodeTuple t : mn.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
        String child = key == null ? path : path.isEmpty() ? key : path + "." + key;
        if (key != null) {
          Node first = seen.putIfAbsent(key, t.getKeyNode());
          if (first != null) {
            throw new YamlNode(t.getKeyNode(), file, child).error("given twice (first at line "
                + (first.getStartMark().getLine() + 1) + "); each key may appear once in a mapping: remove one.");
          }
        }
        refuseDuplicateKeys(t.getValueNode(), file, child);
      }
    } else if (node instanceof SequenceNode sn) {
      int i = 0;
      for (Node n : sn.getValue()) refuseDuplicateKeys(n, file, path + "[" + i++ + "]");
    }
  }

  /** "file:line:column" of this value. */
  public String where() {
    Mark m = node.getStartMark();
    return file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
  }

  public Path file() {
    return file;
  }

  /** The key path, e.g. "data.features". */
  public String path() {
    return path;
  }

  public GlassboxException error(String message) {
    return new GlassboxException(where() + ": " + (path.isEmpty() ? "" : "'" + path + "': ") + message);
  }

  public boolean isMap() {
    return node instanceof MappingNode;
  }

  public boolean isList() {
    return node instanceof SequenceNode;
  }

  public boolean isScalar() {
    return node instanceof ScalarNode;
  }

  /** Entries of a mapping, in file order; fails naming the place when this is not a mapping. */
  public Map<String, YamlNode> map() {
    if (!(node instanceof MappingNode m)) throw error("expected a mapping of keys to values here.");
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) throw new YamlNode(t.getKeyNode(), file, path).error("keys must be plain names.");
      String key = k.getValue();
      out.put(key, new YamlNode(t.getValueNode(), file, path.isEmpty() ? key : path + "." + key));
    }
    return out;
  }

  /** The mapping's entries, after checking that every key is one of {@code allowed}. */
  public Map<String, YamlNode> map(Set<String> allowed) {
    Map<String, YamlNode> m = map();
    if (node instanceof MappingNode mn) {
      for (NodeTuple t : mn.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        if (!allowed.contains(key)) {
          String hint = Providers.suggestion(key, new ArrayList<>(allowed));
          throw new YamlNode(t.getKeyNode(), file, path).error("unknown key '" + key + "'. " + (hint.isEmpty() ? "" : hint + " ")
              + "Allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
        }
      }
    }
    return m;
  }

  public List<YamlNode> list() {
    if (!(node instanceof SequenceNode s)) throw error("expected a list here ([a, b] or lines starting with '- ').");
    List<YamlNode> out = new ArrayList<>();
    int i = 0;
    for (Node n : s.getValue()) out.add(new YamlNode(n, file, path + "[" + i++ + "]"));
    return out;
  }

  /** A scalar's text; null for YAML null (~ or empty). */
  public String text() {
    if (!(node instanceof ScalarNode s)) throw error("expected a single value here, not a list or mapping.");
    String tag = s.getTag().getValue();
    return tag.endsWith(":null") ? null : s.getValue();
  }

  public String string() {
    String t = text();
    if (t == null || t.isBlank()) throw error("a value is required.");
    return t;
  }

  public long integer() {
    String t = string();
    try {
      return Long.parseLong(t.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got '" + t + "'.");
    }
  }

  public double number() {
    String t = string();
    try {
      return Double.parseDouble(t.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("expected a number, got '" + t + "'.");
    }
  }

  public boolean bool() {
    String t = string();
    if (t.equals("true")) return true;
    if (t.equals("false")) return false;
    throw error("expected true or false, got '" + t + "'.");
  }

  /** A list of scalars, or a single scalar taken as a list of one. */
  public List<String> strings() {
    if (isScalar()) return List.of(string());
    return list().stream().map(YamlNode::string).toList();
  }

  /** A path relative to the analysis file's folder. */
  public Path resolvePath() {
    Path base = file.toAbsolutePath().getParent();
    return base.resolve(string()).normalize();
  }
}
