// Internal: the layout of a Love plot (|SMD| per covariate before / after matching), a pure
// function of the plot and the text metrics; render_love_plot draws exactly this.
#pragma once

#include <vector>

#include "report/figures/geometry.hpp"
#include "survkit/figure.hpp"

namespace survkit::figures {

struct LoveLayout {
  Rect canvas;                 ///< (0, 0, width, height); height may be automatic
  Rect panel;                  ///< framed plotting area
  double inner_pad = 0;        ///< data 0 and x_hi sit this far inside the frame (whole dots)
  double x_hi = 1;             ///< right end of the |SMD| axis; the left end is 0
  std::vector<double> x_ticks, x_tick_pos;
  std::vector<TextItem> x_tick_labels;
  std::vector<double> row_y;   ///< centre line of each covariate's row, top to bottom
  std::vector<TextItem> row_labels;
  std::vector<TextItem> title; ///< empty or one line
  TextItem x_label;
  double point_radius = 3;
  Rect legend;                 ///< above the panel: two keys with their labels
  double legend_key_y = 0;
  std::vector<double> legend_key_x;  ///< [before, after] dot centres
  std::vector<TextItem> legend_labels;
  double tick_length = 4;

  double map_x(double v) const {
    return panel.x + inner_pad + v / x_hi * (panel.w - 2 * inner_pad);
  }
  std::vector<const TextItem*> all_text() const;
};

/// Throws InputError on inconsistent input (length mismatch, no covariates, bad sizes).
void validate_love_plot(const LovePlot& plot);

/// Throws InputError when the text cannot be made to fit the requested size.
LoveLayout layout_love_plot(const LovePlot& plot, const TextMeasurer& measurer);

}  // namespace survkit::figures
