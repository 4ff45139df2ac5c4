// Drawing of the Love plot: positions come from layout_love_plot.
#include <cmath>
#include <numbers>

#include "report/figures/cairo_canvas.hpp"
#include "report/figures/love_layout.hpp"
#include "survkit/figure.hpp"

namespace survkit {
namespace {

using figures::LoveLayout;

// Before = open vermillion circle, after = filled blue circle: colour AND fill differ, so
// the two survive grayscale print.
const figures::Rgb kBefore = figures::kOkabeIto[1];
const figures::Rgb kAfter = figures::kOkabeIto[0];

void dot(cairo_t* cr, double x, double y, double r, bool filled) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x, y, r, 0, 2 * std::numbers::pi);
  if (filled) {
    figures::set_colour(cr, kAfter);
    cairo_fill(cr);
  } else {
    cairo_set_source_rgb(cr, 1, 1, 1);  // hides the grid line through the ring
    cairo_fill_preserve(cr);
    figures::set_colour(cr, kBefore);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
  }
}

void draw_love(cairo_t* cr, const LovePlot& plot, const LoveLayout& L) {
  const auto& p = L.panel;
  // Row guides: light dotted lines so each dot reads against its covariate.
  const double dots[] = {0.8, 2.0};
  cairo_set_dash(cr, dots, 2, 0);
  cairo_set_line_width(cr, 0.5);
  cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
  for (double y : L.row_y) {
    cairo_move_to(cr, p.x, y);
    cairo_line_to(cr, p.right(), y);
  }
  cairo_stroke(cr);
  // Balance threshold.
  if (!is_na(plot.options.threshold)) {
    const double dash[] = {4.0, 3.0};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    const double x = L.map_x(plot.options.threshold);
    cairo_move_to(cr, x, p.y);
    cairo_line_to(cr, x, p.bottom());
    cairo_stroke(cr);
  }
  // Frame and outward x ticks.
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, p.x, p.y, p.w, p.h);
  add_axis_ticks(cr, p, L.x_tick_pos, L.row_y, L.tick_length);
  cairo_stroke(cr);
  // Points: before first, so an "after" dot on top of it stays visible.
  for (std::size_t i = 0; i < L.row_y.size(); ++i)
    if (!is_na(plot.smd_before[i]))
      dot(cr, L.map_x(std::abs(plot.smd_before[i])), L.row_y[i], L.point_radius, false);
  for (std::size_t i = 0; i < L.row_y.size(); ++i)
    if (!is_na(plot.smd_after[i]))
      dot(cr, L.map_x(std::abs(plot.smd_after[i])), L.row_y[i], L.point_radius, true);
  dot(cr, L.legend_key_x[0], L.legend_key_y, L.point_radius, false);
  dot(cr, L.legend_key_x[1], L.legend_key_y, L.point_radius, true);
  for (const auto* t : L.all_text()) figures::draw_text(cr, *t);
}

}  // namespace

std::string render_love_plot(const LovePlot& plot, FigureFormat format) {
  const figures::CairoTextMeasurer measurer;
  const LoveLayout layout = figures::layout_love_plot(plot, measurer);
  figures::Canvas canvas(format, layout.canvas.w, layout.canvas.h, plot.options.png_dpi);
  draw_love(canvas.cr(), plot, layout);
  return canvas.finish();
}

}  // namespace survkit
