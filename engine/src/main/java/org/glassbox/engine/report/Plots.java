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

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path stem) throws IOException {
    BitmapEncoder.saveBitmap(chart, stem.toString(), BitmapEncoder.BitmapFormat.PNG);
    VectorGraphicsEncoder.saveVectorGraphic(chart, stem.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
  }
}
