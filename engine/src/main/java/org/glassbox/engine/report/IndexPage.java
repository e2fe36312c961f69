package org.glassbox.engine.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.glassbox.api.GlassboxException;
import org.owasp.encoder.Encode;

/** An index over several runs written into one folder (the demo): each run's findings and a link to its report. */
public final class IndexPage {
  private IndexPage() {}

  /**
   * @param folder the run's subfolder, relative to the index
   * @param title what the run shows
   */
  public record Part(String folder, String title, List<String> findings) {}

  public static void write(OutputFolder out, String title, String intro, List<Part> parts) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Encode.forHtml(title))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
        .append(".finding{background:#eef6ee;padding:0.6em 1em;border-left:4px solid #4a4}</style></head><body>\n<h1>")
        .append(Encode.forHtml(title)).append("</h1>\n<p>").append(Encode.forHtml(intro)).append("</p>\n");
    for (Part p : parts) {
      h.append("<h2>").append(Encode.forHtml(p.title())).append("</h2>\n<div class=\"finding\"><ul>\n");
      for (String f : p.findings()) h.append("<li>").append(Encode.forHtml(f)).append("</li>\n");
      h.append("</ul></div>\n<p><a href=\"").append(Encode.forHtmlAttribute(p.folder() + "/index.html"))
          .append("\">The full report</a> (tables, plots, rank agreement, faithfulness, provenance).</p>\n");
    }
    h.append("</body></html>\n");
    try {
      Files.writeString(out.file("index.html"), h.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GlassboxException("Cannot write " + out.partialPath().resolve("index.html") + ": " + e.getMessage(), e);
    }
  }
}
