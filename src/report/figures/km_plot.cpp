// Drawing of the Kaplan-Meier figure: everything positional comes from layout_km_plot;
// this file only maps the curves through the layout and paints.
#include <algorithm>
#include <cmath>

#include "report/figures/cairo_canvas.hpp"
#include "report/figures/km_layout.hpp"
#include "survkit/figure.hpp"

namespace survkit {
namespace {

using figures::KmLayout;
using figures::Rect;
using figures::Rgb;
using figures::set_colour;

constexpr double kCurveWidth = 1.3;   // pt; survminer's size = 1 is ~1.07 pt at 96 dpi
constexpr double kAxisWidth = 0.8;
constexpr double kCensorHalf = 3.0;   // half length of a censor tick, pt
constexpr double kBandAlpha = 0.16;   // bands stay light so overlapping ones remain legible

/// The step curve as a path: from (0, 1), horizontally to each time, then vertically to
/// the survival just after it (right-continuous, as R's plot.survfit draws it).
void step_path(cairo_t* cr, const KmLayout& L, const KmCurve& c) {
  double y = L.map_y(1.0);
  cairo_move_to(cr, L.map_x(0), y);
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    const double x = L.map_x(c.time[i]);
    cairo_line_to(cr, x, y);
    y = L.map_y(c.survival[i]);
    cairo_line_to(cr, x, y);
  }
}

/// The confidence band as filled step polygons.  The band is (1, 1) before the first time
/// and (lower[i], upper[i]) on [time[i], time[i+1]); the last interval is closed at the
/// curve's last time.  An NA limit interrupts the band, so each run of intervals with
/// finite limits becomes one polygon (one polygon per run avoids seams between
/// rectangles in anti-aliased output).
void fill_band(cairo_t* cr, const KmLayout& L, const KmCurve& c, Rgb colour) {
  const std::size_t n = c.time.size();
  if (n == 0) return;
  auto ok = [&](std::size_t i) { return std::isfinite(c.lower[i]) && std::isfinite(c.upper[i]); };
  auto end_of = [&](std::size_t i) { return i + 1 < n ? c.time[i + 1] : c.time[i]; };
  set_colour(cr, colour, kBandAlpha);
  std::size_t i = 0;
  while (i < n) {
    if (!ok(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < n && ok(j + 1)) ++j;
    // Upper edge left to right, lower edge right to left.
    cairo_move_to(cr, L.map_x(c.time[i]), L.map_y(c.upper[i]));
    for (std::size_t k = i; k <= j; ++k) {
      cairo_line_to(cr, L.map_x(c.time[k]), L.map_y(c.upper[k]));
      cairo_line_to(cr, L.map_x(end_of(k)), L.map_y(c.upper[k]));
    }
    for (std::size_t k = j + 1; k-- > i;) {
      cairo_line_to(cr, L.map_x(end_of(k)), L.map_y(c.lower[k]));
      cairo_line_to(cr, L.map_x(c.time[k]), L.map_y(c.lower[k]));
    }
    cairo_close_path(cr);
    cairo_fill(cr);
    i = j + 1;
  }
}

void set_series_stroke(cairo_t* cr, std::size_t i) {
  set_colour(cr, figures::series_colour(i));
  const auto& dash = figures::series_dash(i);
  cairo_set_dash(cr, dash.data(), static_cast<int>(dash.size()), 0);
  cairo_set_line_width(cr, kCurveWidth);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
}

void draw_km(cairo_t* cr, const KmPlot& plot, const KmLayout& L) {
  const auto& o = plot.options;
  const Rect& p = L.panel;
  // Curves are clipped to the panel (x_max may cut them), with room for the line width
  // at survival 1 and 0.
  cairo_save(cr);
  cairo_rectangle(cr, p.x, p.y - 2 * kCurveWidth, p.w + 0.5, p.h + 4 * kCurveWidth);
  cairo_clip(cr);
  if (o.ci_bands)
    for (std::size_t i = 0; i < plot.curves.size(); ++i)
      if (!plot.curves[i].lower.empty()) fill_band(cr, L, plot.curves[i], figures::series_colour(i));
  for (std::size_t i = 0; i < plot.curves.size(); ++i) {
    set_series_stroke(cr, i);
    step_path(cr, L, plot.curves[i]);
    cairo_stroke(cr);
  }
  if (o.censor_marks) {
    for (std::size_t i = 0; i < plot.curves.size(); ++i) {
      const auto& c = plot.curves[i];
      set_colour(cr, figures::series_colour(i));
      cairo_set_dash(cr, nullptr, 0, 0);
      cairo_set_line_width(cr, 0.9);
      for (std::size_t k = 0; k < c.censor_time.size(); ++k) {
        const double x = L.map_x(c.censor_time[k]), y = L.map_y(c.censor_survival[k]);
        cairo_move_to(cr, x, y - kCensorHalf);
        cairo_line_to(cr, x, y + kCensorHalf);
      }
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);

  // Axes: an L-shaped frame with outward ticks (the classic journal look).
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, kAxisWidth);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  cairo_move_to(cr, p.x, p.y);
  cairo_line_to(cr, p.x, p.bottom());
  cairo_line_to(cr, p.right(), p.bottom());
  add_axis_ticks(cr, p, L.x_tick_pos, L.y_tick_pos, L.tick_length);
  cairo_stroke(cr);

  if (L.has_annotation) {
    // A light white backing keeps the text legible over a band without hiding it.
    cairo_rectangle(cr, L.annotation.x, L.annotation.y, L.annotation.w, L.annotation.h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    cairo_fill(cr);
  }
  if (L.has_legend) {
    const Rect& b = L.legend;
    cairo_rectangle(cr, b.x, b.y, b.w, b.h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    for (const auto& key : L.legend_keys) {
      set_series_stroke(cr, key.series);
      cairo_move_to(cr, key.x0, key.y);
      cairo_line_to(cr, key.x1, key.y);
      cairo_stroke(cr);
    }
  }
  for (const auto* t : L.all_text()) figures::draw_text(cr, *t);
}

}  // namespace

std::vector<double> km_plot_ticks(const KmPlot& plot) {
  const figures::CairoTextMeasurer measurer;
  return figures::layout_km_plot(plot, measurer, figures::RiskInput::Ignore).x_ticks;
}

std::string render_km_plot(const KmPlot& plot, FigureFormat format) {
  const figures::CairoTextMeasurer measurer;
  const KmLayout layout = figures::layout_km_plot(plot, measurer);
  figures::Canvas canvas(format, plot.options.width_pt, plot.options.height_pt,
                         plot.options.png_dpi);
  draw_km(canvas.cr(), plot, layout);
  return canvas.finish();
}

}  // namespace survkit
