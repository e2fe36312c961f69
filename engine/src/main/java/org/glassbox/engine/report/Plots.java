package org.glassbox.engine.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Bar charts of rankings and faithfulness curves, drawn with XChart as PNG and SVG. */
final class Plots {
  private static final int MAX_BARS = 20;

  private Plots() {}

  /** Horizontal-reading bar chart of the top features; returns the PNG file name (relative). */
  static void ranking(Path pngWithoutExtension, String title, String scoreName, List<String> features, double[] scores,
      double[] errors, int[] order) throws IOException {
    int n = Math.min(MAX_BARS, order.length);
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<Double> errs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(features.get(order[i]));
      values.add(scores[order[i]]);
      errs.add(Double.isFinite(errors[order[i]]) ? errors[order[i]] : 0.0);
    }
    CategoryChart chart = new CategoryChartBuilder().width(720).height(420).title(title).xAxisTitle("feature")
        .yAxisTitle(scoreName).build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries(scoreName, names, values, errs);
    save(chart, pngWithoutExtension);
  }

  static void faithfulness(Path pngWithoutExtension, String title, int[] counts, Map<String, double[]> curves) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle("inputs permuted (most important first)")
        .yAxisTitle("AUC").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    double[] x = new double[counts.length];
    for (int i = 0; i < x.length; i++) x[i] = counts[i];
    for (var e : curves.entrySet()) chart.addSeries(e.getKey(), x, e.getValue());
    save(chart, pngWithoutExtension);
  }

  /** Training and validation loss against the epoch, the kept epoch marked in the title. */
  static void training(Path pngWithoutExtension, String title, double[] epochs, double[] train, double[] validation)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle("epoch")
        .yAxisTitle("weighted binary cross-entropy").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries("training", epochs, train);
    if (validation != null) chart.addSeries("validation", epochs, validation);
    save(chart, pngWithoutExtension);
  }

  /** A method's scores of the leading features against the training step (seed 003's learning progress). */
  static void progress(Path pngWithoutExtension, String title, double[] steps, Map<String, double[]> curves) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle("training step")
        .yAxisTitle("score").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (var e : curves.entrySet()) chart.addSeries(e.getKey(), steps, e.getValue());
    save(chart, pngWithoutExtension);
  }

  /** Measures against the pass of a search (seed 002's AUC and ADO per pass), one series per name. */
  static void passes(Path pngWithoutExtension, String title, Map<String, List<double[]>> series) throws IOException {
    XYChart chart = new XYChartBuilder().width(760).height(440).title(title).xAxisTitle("pass").yAxisTitle("value").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (var e : series.entrySet()) {
      double[] x = new double[e.getValue().size()];
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = e.getValue().get(i)[0];
        y[i] = e.getValue().get(i)[1];
      }
      chart.addSeries(e.getKey(), x, y);
    }
    save(chart, pngWithoutExtension);
  }

  /** Mean per-event attribution against an input's value (seed 004's profile plots). */
  static void profile(Path pngWithoutExtension, String title, String feature, double[] x, double[] mean) throws IOException {
    XYChart chart = new XYChartBuilder().width(560).height(380).title(title).xAxisTitle(feature)
        .yAxisTitle("mean per-event value").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries(feature, x, mean);
    save(chart, pngWithoutExtension);
  }

  /** A per-pixel map (row 0 at the top), e.g. mean relevance of signal jets. */
  static void heatMap(Path pngWithoutExtension, String title, int height, int width, double[] values) throws IOException {
    // Wider than high by about the colour bar, so that the pixels come out square.
    org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(560).height(480).title(title).build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setPlotContentSize(1);
    // Small, upright pixel numbers: 32 of them side by side overlap otherwise.
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 9));
    if (width > 16) chart.getStyler().setXAxisLabelRotation(90);
    // Diverging colours: negative blue, zero white, positive red.
    chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(33, 102, 172), java.awt.Color.WHITE,
        new java.awt.Color(178, 24, 43)});
    List<Integer> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    for (int c = 0; c < width; c++) xs.add(c);
    for (int r = 0; r < height; r++) ys.add(r);
    List<Number[]> cells = new ArrayList<>();
    double max = 0;
    for (double v : values) if (Double.isFinite(v)) max = Math.max(max, Math.abs(v));
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        double v = values[r * width + c];
        cells.add(new Number[] {c, height - 1 - r, Double.isFinite(v) ? v : 0});
      }
    }
    // XChart prints the colour bar's ends with Double.toString: round them up to two significant digits.
    if (max > 0) max = new java.math.BigDecimal(max).round(new java.math.MathContext(2, java.math.RoundingMode.UP)).doubleValue();
    chart.getStyler().setMin(-max);
    chart.getStyler().setMax(max);
    chart.addSeries(title, xs, ys, cells);
    save(chart, pngWithoutExtension);
  }

  /** A 30-bin histogram of one input over a population. */
  static void histogram(Path pngWithoutExtension, String title, String feature, double[] values) throws IOException {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int bins = 30;
    if (!(hi > lo)) hi = lo + 1;
    double[] centres = new double[bins];
    double[] counts = new double[bins];
    for (int b = 0; b < bins; b++) centres[b] = lo + (b + 0.5) * (hi - lo) / bins;
    for (double v : values) counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
    XYChart chart = new XYChartBuilder().width(560).height(380).title(title).xAxisTitle(feature).yAxisTitle("points").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.addSeries(feature, centres, counts).setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Step);
    save(chart, pngWithoutExtension);
  }

  /** A 20×20 histogram of two inputs over a population, as a heat map (counts). */
  static void histogram2d(Path pngWithoutExtension, String title, String xName, String yName, double[] x, double[] y)
      throws IOException {
    int bins = 20;
    double[] xr = range(x);
    double[] yr = range(y);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      xs.add(round2(xr[0] + (b + 0.5) * (xr[1] - xr[0]) / bins));
      ys.add(round2(yr[0] + (b + 0.5) * (yr[1] - yr[0]) / bins));
    }
    double[][] counts = new double[bins][bins];
    for (int i = 0; i < x.length; i++) {
      int bx = Math.min(bins - 1, (int) ((x[i] - xr[0]) / (xr[1] - xr[0]) * bins));
      int by = Math.min(bins - 1, (int) ((y[i] - yr[0]) / (yr[1] - yr[0]) * bins));
      counts[bx][by]++;
    }
    List<Number[]> cells = new ArrayList<>();
    for (int a = 0; a < bins; a++) for (int b = 0; b < bins; b++) cells.add(new Number[] {a, b, counts[a][b]});
    org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(600).height(520).title(title)
        .xAxisTitle(xName).yAxisTitle(yName).build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setPlotContentSize(1);
    chart.getStyler().setRangeColors(new java.awt.Color[] {java.awt.Color.WHITE, new java.awt.Color(33, 102, 172)});
    chart.addSeries("points", xs, ys, cells);
    save(chart, pngWithoutExtension);
  }

  private static double[] range(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Points of a 2-D projection, one colour per cluster (label −1: noise). */
  static void clusters(Path pngWithoutExtension, String title, String xName, String yName, double[] x, double[] y, int[] labels)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(620).height(460).title(title).xAxisTitle(xName).yAxisTitle(yName).build();
    chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    java.util.TreeMap<Integer, List<double[]>> byLabel = new java.util.TreeMap<>();
    for (int i = 0; i < x.length; i++) byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(new double[] {x[i], y[i]});
    for (var e : byLabel.entrySet()) {
      double[] xs = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] ys = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      chart.addSeries(e.getKey() < 0 ? "noise" : "cluster " + e.getKey(), xs, ys);
    }
    save(chart, pngWithoutExtension);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path stem) throws IOException {
    BitmapEncoder.saveBitmap(chart, stem.toString(), BitmapEncoder.BitmapFormat.PNG);
    VectorGraphicsEncoder.saveVectorGraphic(chart, stem.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
  }
}
