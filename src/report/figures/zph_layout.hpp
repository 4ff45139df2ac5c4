// Internal: the layout of a scaled-Schoenfeld-residual figure (R's plot(cox.zph)), a pure
// function of the plot and the text metrics; render_zph_plot draws exactly this.
#pragma once

#include <vector>

#include "report/figures/geometry.hpp"
#include "survkit/figure.hpp"

namespace survkit::figures {

struct ZphLayout {
  Rect canvas;  ///< (0, 0, width_pt, height_pt)
  Rect panel;   ///< framed plotting area; [x_lo, x_hi] x [y_lo, y_hi] maps onto it
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;  ///< the data range plus 4% each side (R's xaxs = "r")
  double tick_length = 4;
  double point_radius = 2;
  std::vector<double> x_tick_pos, y_tick_pos;  ///< positions of the drawn ticks (labelled ones only)
  std::vector<double> y_ticks;                 ///< data values of the y ticks
  std::vector<TextItem> x_tick_labels, y_tick_labels;
  std::vector<TextItem> title;  ///< empty or one line
  TextItem x_label, y_label;    ///< y_label reads upwards

  double map_x(double v) const { return panel.x + (v - x_lo) / (x_hi - x_lo) * panel.w; }
  double map_y(double v) const { return panel.bottom() - (v - y_lo) / (y_hi - y_lo) * panel.h; }
  std::vector<const TextItem*> all_text() const;
};

/// Throws InputError on inconsistent input (lengths, non-finite values, unsorted ticks,
/// bad sizes).
void validate_zph_plot(const ZphPlot& plot);

/// Throws InputError when the text cannot be made to fit the requested size.
ZphLayout layout_zph_plot(const ZphPlot& plot, const TextMeasurer& measurer);

}  // namespace survkit::figures
