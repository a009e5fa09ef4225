package io.optimus.perception.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A static HTML report page: inline style, images and data files by relative name (they sit beside
 * it in the run directory), nothing fetched; opens from disk in any browser. Every text is escaped.
 */
public final class HtmlPage {
  private final StringBuilder h = new StringBuilder();

  public HtmlPage(String title) {
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font:14px sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;"
            + "margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{text-align:left;"
            + "background:#f4f4f4}img{max-width:100%;border:1px solid #ddd}</style></head><body>\n<h1>")
        .append(esc(title)).append("</h1>\n");
  }

  public HtmlPage section(String heading) {
    h.append("<h2>").append(esc(heading)).append("</h2>\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    h.append("<p>").append(esc(text)).append("</p>\n");
    return this;
  }

  /** An image beside the page, by file name. */
  public HtmlPage image(String file, String alt) {
    h.append("<img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt)).append("\">\n");
    return this;
  }

  /** Links to data files beside the page, by file name. */
  public HtmlPage links(List<String> files) {
    h.append("<p>");
    for (int i = 0; i < files.size(); i++) {
      h.append(i == 0 ? "" : " &middot; ").append("<a href=\"").append(esc(files.get(i))).append("\">")
          .append(esc(files.get(i))).append("</a>");
    }
    h.append("</p>\n");
    return this;
  }

  /** A table; the first cell of each row is its header cell. */
  public HtmlPage table(List<String> header, List<List<String>> rows) {
    h.append("<table>\n");
    if (header != null) {
      h.append("<tr>");
      header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
      h.append("</tr>\n");
    }
    for (List<String> r : rows) {
      h.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        String tag = i == 0 ? "th" : "td";
        h.append('<').append(tag).append('>').append(esc(r.get(i))).append("</").append(tag).append('>');
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    return this;
  }

  public String html() {
    return h + "</body></html>\n";
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, html());
  }

  /** A number for the page: 4 significant digits; NaN and infinities spelled out, never hidden. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return Double.isInfinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : String.format(Locale.ROOT, "%.4g", v);
  }

  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
