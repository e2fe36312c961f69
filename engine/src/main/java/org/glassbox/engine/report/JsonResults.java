package org.glassbox.engine.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.glassbox.api.WeightedStats;
import org.glassbox.engine.run.RunResult;

/**
 * results.json, schema "glassbox-results/1" (documented in docs/results-schema.md): provenance,
 * data, and per model, neuron and method every number behind the report. NaN is written as null.
 * No timestamps or absolute paths, so the same analysis and seed give the same file: every object
 * is written in a fixed order. A method's summary keeps the order the method wrote it in (the
 * methods write LinkedHashMaps; Map.of's order would change from one JVM to the next); maps that
 * plugins hand over raw (table rows, map-valued options) are written in their own order when they
 * have one (LinkedHashMap, SortedMap), else sorted by key. Summary entries named {@code note: ...}
 * are notes for the reader: written under the method's {@code notes}, not its summary.
 */
final class JsonResults {
  static final String SCHEMA = "glassbox-results/1";

  private JsonResults() {}

  static void write(RunResult r, Map<String, String> arrays, OutputStream out) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("schema", SCHEMA);
      g.writeStringField("name", r.spec().name());
      g.writeObjectFieldStart("provenance");
      for (var e : r.provenance().entrySet()) writeValue(g, e.getKey(), e.getValue());
      g.writeEndObject();
      RunResult.DataSummary d = r.data();
      g.writeObjectFieldStart("data");
      g.writeStringField("file", Names.dataName(d.file()));
      g.writeStringField("sha256", d.sha256());
      g.writeNumberField("events", d.events());
      g.writeNumberField("dropped_events", d.dropped());
      if (d.truth() != null) g.writeStringField("truth", d.truth());
      if (d.trainingEvents() > 0) g.writeNumberField("training_events", d.trainingEvents());
      if (d.streamedEvents() > 0) g.writeNumberField("streamed_events", d.streamedEvents());
      g.writeBooleanField("labelled", d.labelled());
      g.writeBooleanField("weighted", d.weighted());
      strings(g, "features", d.features());
      if (d.layout() != null) writeInputs(g, d.layout());
      g.writeEndObject();
      g.writeArrayFieldStart("models");
      for (RunResult.ModelResult m : r.models()) {
        g.writeStartObject();
        g.writeStringField("name", m.name());
        g.writeStringField("file", m.training() != null ? m.file() : java.nio.file.Path.of(m.file()).getFileName().toString());
        g.writeStringField("sha256", m.sha256());
        g.writeStringField("producer", m.producer());
        g.writeNumberField("opset", m.opset());
        if (m.training() != null) writeTraining(g, m);
        g.writeArrayFieldStart("neurons");
        for (RunResult.NeuronResult n : m.neurons()) writeNeuron(g, m, n, arrays, d.layout());
        g.writeEndArray();
        if (!m.populations().isEmpty()) {
          g.writeArrayFieldStart("populations");
          for (RunResult.PopulationResult pr : m.populations()) {
            var pop = pr.population();
            g.writeStartObject();
            g.writeStringField("neuron", pr.neuron());
            g.writeStringField("method", pr.method());
            options(g, pr.options());
            g.writeNumberField("starts", pop.starts());
            g.writeNumberField("reached", pop.points().events());
            int boundary = 0;
            for (boolean b : pop.onBoundary()) if (b) boundary++;
            g.writeNumberField("on_boundary", boundary);
            String rel = arrays.get(ReportWriter.populationStem(m, pr));
            if (rel != null) g.writeStringField("points", rel);
            strings(g, "projection", pr.projection());
            if (!pr.dependentPair().isEmpty()) strings(g, "most_dependent_pair", pr.dependentPair());
            g.writeArrayFieldStart("clusters");
            for (RunResult.ClusterResult c : pr.clusters()) {
              g.writeStartObject();
              g.writeStringField("method", c.method());
              options(g, c.options());
              strings(g, "features", c.features());
              g.writeNumberField("count", c.clusters().count());
              long[] sizes = new long[c.clusters().count()];
              long noise = 0;
              for (int l : c.clusters().labels()) {
                if (l >= 0 && l < sizes.length) sizes[l]++;
                else noise++;
              }
              longs(g, "sizes", sizes);
              g.writeNumberField("noise", noise);
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        if (!m.progress().isEmpty()) {
          g.writeArrayFieldStart("learning_progress");
          for (RunResult.LearningProgress lp : m.progress()) {
            g.writeStartObject();
            g.writeStringField("neuron", lp.neuron());
            g.writeStringField("method", lp.method());
            longs(g, "steps", lp.steps());
            strings(g, "features", lp.features());
            matrix(g, "scores", lp.scores());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      writeExtras(g, r);
      g.writeEndObject();
    }
  }

  /** Computed observables, similarity matrices and surrogates (each key only when the analysis asked for it). */
  private static void writeExtras(JsonGenerator g, RunResult r) throws IOException {
    if (!r.observables().isEmpty()) {
      g.writeArrayFieldStart("observables");
      for (RunResult.ObservableColumn c : r.observables()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("provider", c.provider());
        g.writeStringField("description", c.description());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!r.similarity().isEmpty()) {
      g.writeArrayFieldStart("similarity");
      for (RunResult.SimilarityResult sr : r.similarity()) {
        var s = sr.similarity();
        g.writeStartObject();
        g.writeStringField("method", sr.id());
        options(g, sr.options());
        g.writeStringField("measure", s.measure());
        strings(g, "functions", s.names());
        matrix(g, "matrix", s.matrix());
        g.writeObjectFieldStart("per_function");
        for (String n : s.names()) {
          Map<String, Double> values = s.perFunction().get(n);
          if (values == null) continue;
          g.writeObjectFieldStart(n);
          for (var e : new java.util.TreeMap<>(values).entrySet()) number(g, e.getKey(), e.getValue());
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!r.surrogates().isEmpty()) {
      g.writeArrayFieldStart("surrogates");
      for (RunResult.SurrogateResult sr : r.surrogates()) {
        var s = sr.surrogate();
        g.writeStartObject();
        g.writeStringField("method", sr.id());
        g.writeStringField("model", sr.model());
        g.writeStringField("neuron", sr.neuron());
        options(g, sr.options());
        g.writeStringField("formula", s.formula());
        strings(g, "terms", s.terms());
        g.writeObjectFieldStart("fidelity");
        for (var e : new java.util.TreeMap<>(s.fidelity()).entrySet()) number(g, e.getKey(), e.getValue());
        g.writeEndObject();
        g.writeArrayFieldStart("table");
        for (Map<String, Object> row : s.table()) {
          g.writeStartObject();
          for (var e : ordered(row).entrySet()) writeValue(g, e.getKey(), e.getValue());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private static void writeTraining(JsonGenerator g, RunResult.ModelResult m) throws IOException {
    RunResult.Training t = m.training();
    g.writeObjectFieldStart("training");
    g.writeStringField("network", t.spec().conv().isEmpty() ? "mlp" : "cnn");
    g.writeNumberField("inputs", t.inputs());
    g.writeArrayFieldStart("conv");
    for (var b : t.spec().conv()) {
      g.writeStartArray();
      g.writeNumber(b.channels());
      g.writeNumber(b.kernel());
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("hidden");
    for (int h : t.spec().hidden()) g.writeNumber(h);
    g.writeEndArray();
    g.writeStringField("activation", t.spec().activation().yamlName());
    g.writeNumberField("parameters", t.parameters());
    var o = t.spec().options();
    g.writeNumberField("epochs", o.epochs());
    g.writeNumberField("batch_size", o.batchSize());
    number(g, "learning_rate", o.learningRate());
    number(g, "validation", o.validationFraction());
    g.writeNumberField("patience", o.patience());
    g.writeNumberField("seed", o.seed());
    g.writeNumberField("best_epoch", t.bestEpoch());
    g.writeArrayFieldStart("history");
    for (var e : t.history()) {
      g.writeStartObject();
      g.writeNumberField("epoch", e.epoch());
      number(g, "training_loss", e.trainingLoss());
      number(g, "validation_loss", e.validationLoss());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("checkpoints");
    for (RunResult.Checkpoint c : t.checkpoints()) {
      g.writeStartObject();
      g.writeNumberField("step", c.step());
      g.writeNumberField("epoch", c.epoch());
      g.writeStringField("file", ReportWriter.checkpointFile(m, c));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The model inputs of a multi-input run, in the order their values are packed into an event's features. */
  private static void writeInputs(JsonGenerator g, org.glassbox.engine.run.InputLayout layout) throws IOException {
    g.writeArrayFieldStart("inputs");
    for (var in : layout.inputs()) {
      g.writeStartObject();
      g.writeStringField("name", in.name());
      g.writeStringField("array", in.array());
      longs(g, "shape", in.eventShape());
      strings(g, "axes", in.axes());
      if (!in.labels().isEmpty()) strings(g, "names", in.labels());
      g.writeBooleanField("differentiable", in.differentiable());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeNeuron(JsonGenerator g, RunResult.ModelResult m, RunResult.NeuronResult n, Map<String, String> arrays,
      org.glassbox.engine.run.InputLayout layout) throws IOException {
    g.writeStartObject();
    g.writeStringField("neuron", n.neuron().label());
    g.writeStringField("tensor", n.neuron().tensor());
    g.writeNumberField("index", n.neuron().index());
    g.writeStringField("direction", n.neuron().direction() > 0 ? "signal-high" : "signal-low");
    number(g, "auc", n.auc());
    g.writeArrayFieldStart("methods");
    for (RunResult.MethodResult mr : n.methods()) {
      g.writeStartObject();
      g.writeStringField("id", mr.id());
      g.writeStringField("version", mr.version());
      options(g, mr.options());
      if (!mr.conventions().isEmpty()) g.writeStringField("conventions", mr.conventions());
      g.writeStringField("score", mr.attribution().scoreName());
      strings(g, "features", mr.attribution().features());
      numbers(g, "scores", mr.attribution().values());
      numbers(g, "standard_errors", mr.attribution().errors());
      numbers(g, "input_scores", mr.inputScores());
      if (layout != null && mr.inputScores().length == layout.size()) {
        g.writeObjectFieldStart("groups");
        for (var group : layout.groups(mr.inputScores()).entrySet()) {
          g.writeObjectFieldStart(group.getKey());
          for (var e : group.getValue().entrySet()) number(g, e.getKey(), e.getValue());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeObjectFieldStart("summary");
      for (Map.Entry<String, WeightedStats> e : mr.attribution().summary().entrySet()) {
        if (!Findings.isNote(e.getKey())) number(g, e.getKey(), e.getValue().mean()[0]);
      }
      g.writeEndObject();
      List<String> notes = Findings.notes(mr);
      if (!notes.isEmpty()) strings(g, "notes", notes);
      String array = arrays.get(Names.stem(m.name(), n.neuron().label(), mr.id()));
      if (array != null) g.writeStringField("per_event", array);
      if (!mr.perEventParts().isEmpty()) parts(g, mr.perEventParts());
      if (!mr.profiles().isEmpty()) {
        g.writeArrayFieldStart("profiles");
        for (RunResult.Profile p : mr.profiles()) {
          g.writeStartObject();
          g.writeStringField("feature", p.feature());
          numbers(g, "x", p.x());
          numbers(g, "mean", p.mean());
          longs(g, "events", p.events());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (mr.heatMaps() != null) {
        g.writeObjectFieldStart("heat_maps");
        g.writeNumberField("height", mr.heatMaps().height());
        g.writeNumberField("width", mr.heatMaps().width());
        numbers(g, "signal", mr.heatMaps().signal());
        numbers(g, "background", mr.heatMaps().background());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    RunResult.ComparisonResult c = n.comparison();
    g.writeObjectFieldStart("comparison");
    strings(g, "methods", c.methods());
    matrix(g, "spearman", c.spearman());
    matrix(g, "kendall_tau_b", c.kendall());
    g.writeNumberField("top_k", c.topK());
    matrix(g, "top_k_overlap", c.topKOverlap());
    if (!c.faithfulness().isEmpty()) {
      g.writeObjectFieldStart("faithfulness");
      g.writeArrayFieldStart("permuted_inputs");
      for (int k : c.permutedCounts()) g.writeNumber(k);
      g.writeEndArray();
      g.writeObjectFieldStart("auc");
      for (var e : c.faithfulness().entrySet()) numbers(g, e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeObjectFieldStart("area");
      for (var e : c.faithfulnessArea().entrySet()) number(g, e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, String key, Object v) throws IOException {
    if (v instanceof Number num) {
      if (v instanceof Double || v instanceof Float) number(g, key, num.doubleValue());
      else g.writeNumberField(key, num.longValue());
    } else if (v instanceof Boolean b) {
      g.writeBooleanField(key, b);
    } else if (v instanceof Map<?, ?> map) {
      g.writeObjectFieldStart(key);
      for (var e : ordered(map).entrySet()) writeValue(g, String.valueOf(e.getKey()), e.getValue());
      g.writeEndObject();
    } else if (v instanceof List<?> list) {
      g.writeArrayFieldStart(key);
      for (Object o : list) {
        if (o instanceof Number num) g.writeNumber(num.doubleValue());
        else g.writeString(String.valueOf(o));
      }
      g.writeEndArray();
    } else {
      g.writeStringField(key, String.valueOf(v));
    }
  }

  /**
   * A map in a fixed order: its own when it has one (LinkedHashMap, SortedMap), else its entries
   * sorted by key (a HashMap's or Map.of's order is not the same in every JVM).
   */
  static <V> Map<String, V> ordered(Map<?, V> map) {
    Map<String, V> out = map instanceof java.util.LinkedHashMap<?, ?> || map instanceof java.util.SortedMap<?, ?>
        ? new java.util.LinkedHashMap<>() : new java.util.TreeMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static void number(JsonGenerator g, String key, double v) throws IOException {
    if (Double.isFinite(v)) g.writeNumberField(key, v);
    else g.writeNullField(key);
  }

  private static void numbers(JsonGenerator g, String key, double[] v) throws IOException {
    g.writeArrayFieldStart(key);
    for (double x : v) {
      if (Double.isFinite(x)) g.writeNumber(x);
      else g.writeNull();
    }
    g.writeEndArray();
  }

  private static void matrix(JsonGenerator g, String key, double[][] m) throws IOException {
    g.writeArrayFieldStart(key);
    for (double[] row : m) {
      g.writeStartArray();
      for (double x : row) {
        if (Double.isFinite(x)) g.writeNumber(x);
        else g.writeNull();
      }
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static void longs(JsonGenerator g, String key, long[] v) throws IOException {
    g.writeArrayFieldStart(key);
    for (long x : v) g.writeNumber(x);
    g.writeEndArray();
  }

  private static void options(JsonGenerator g, org.glassbox.api.Options o) throws IOException {
    g.writeObjectFieldStart("options");
    for (var e : o.asMap().entrySet()) writeValue(g, e.getKey(), e.getValue());
    g.writeEndObject();
  }

  /** A per-event array written in parts (e.g. one per Spark partition): file, first_event, events per part. */
  private static void parts(JsonGenerator g, List<RunResult.ArrayPart> parts) throws IOException {
    g.writeArrayFieldStart("per_event_parts");
    for (RunResult.ArrayPart p : parts) {
      g.writeStartObject();
      g.writeStringField("file", p.file());
      g.writeNumberField("first_event", p.firstEvent());
      g.writeNumberField("events", p.events());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void strings(JsonGenerator g, String key, List<String> v) throws IOException {
    g.writeArrayFieldStart(key);
    for (String s : v) g.writeString(s);
    g.writeEndArray();
  }
}
