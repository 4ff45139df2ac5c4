// Drawing of the scaled-Schoenfeld-residual figure: positions come from layout_zph_plot.
#include <cmath>
#include <numbers>

#include "report/figures/cairo_canvas.hpp"
#include "report/figures/zph_layout.hpp"
#include "survkit/figure.hpp"

namespace survkit {
namespace {

using figures::ZphLayout;

const figures::Rgb kPoints{0.45, 0.45, 0.45};
const figures::Rgb kCurve = figures::kOkabeIto[0];

void polyline(cairo_t* cr, const ZphLayout& L, const std::vector<double>& x, const std::vector<double>& y) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i == 0)
      cairo_move_to(cr, L.map_x(x[i]), L.map_y(y[i]));
    else
      cairo_line_to(cr, L.map_x(x[i]), L.map_y(y[i]));
  }
  cairo_stroke(cr);
}

void draw_zph(cairo_t* cr, const ZphPlot& plot, const ZphLayout& L) {
  const auto& p = L.panel;
  cairo_save(cr);
  cairo_rectangle(cr, p.x, p.y, p.w, p.h);
  cairo_clip(cr);
  // Reference: the constant coefficient (proportional hazards).
  if (!is_na(plot.options.reference)) {
    const double dots[] = {1.5, 2.5};
    cairo_set_dash(cr, dots, 2, 0);
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    const double y = L.map_y(plot.options.reference);
    cairo_move_to(cr, p.x, y);
    cairo_line_to(cr, p.right(), y);
    cairo_stroke(cr);
  }
  // Residuals: open circles (R's points()).
  cairo_set_dash(cr, nullptr, 0, 0);
  figures::set_colour(cr, kPoints);
  cairo_set_line_width(cr, 0.6);
  for (std::size_t i = 0; i < plot.x.size(); ++i) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, L.map_x(plot.x[i]), L.map_y(plot.y[i]), L.point_radius, 0, 2 * std::numbers::pi);
  }
  cairo_stroke(cr);
  // The smooth (solid) and its +-2 SE band (dashed), as R's lty = 1:2.
  figures::set_colour(cr, kCurve);
  cairo_set_line_width(cr, 1.8);
  polyline(cr, L, plot.fit_x, plot.fit);
  const double dash[] = {5.0, 3.0};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 1.1);
  polyline(cr, L, plot.fit_x, plot.upper);
  polyline(cr, L, plot.fit_x, plot.lower);
  cairo_restore(cr);
  // Frame, outward ticks, text.
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, p.x, p.y, p.w, p.h);
  figures::add_axis_ticks(cr, p, L.x_tick_pos, L.y_tick_pos, L.tick_length);
  cairo_stroke(cr);
  for (const auto* t : L.all_text()) figures::draw_text(cr, *t);
}

}  // namespace

std::string render_zph_plot(const ZphPlot& plot, FigureFormat format) {
  const figures::CairoTextMeasurer measurer;
  const ZphLayout layout = figures::layout_zph_plot(plot, measurer);
  figures::Canvas canvas(format, layout.canvas.w, layout.canvas.h, plot.options.png_dpi);
  draw_zph(canvas.cr(), plot, layout);
  return canvas.finish();
}

}  // namespace survkit
