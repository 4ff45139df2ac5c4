// Internal: the layout of a Kaplan-Meier figure, a pure function of the plot and the text
// metrics (no drawing).  render_km_plot draws exactly what this returns, and the tests
// check its geometry: risk-table numbers centred on the x ticks, ticks on a 1-2-5 grid
// covering the data, legend and annotation inside the panel and apart, no text overlaps.
#pragma once

#include <cstddef>
#include <vector>

#include "report/figures/geometry.hpp"
#include "survkit/figure.hpp"

namespace survkit::figures {

/// A legend key: a horizontal line sample of series `series` from x0 to x1 at height y.
struct LegendKey {
  double x0 = 0, x1 = 0, y = 0;
  std::size_t series = 0;
};

struct KmLayout {
  Rect canvas;              ///< (0, 0, width_pt, height_pt)
  Rect panel;               ///< the plotting area: x in [0, x_hi] maps onto it, y in [0, 1]
  double x_hi = 1;          ///< right end of the x axis in data units (the left end is 0)
  double tick_length = 4;   ///< outward tick marks, pt
  std::vector<double> x_ticks, x_tick_pos;  ///< data values and their x positions
  std::vector<double> y_ticks, y_tick_pos;
  std::vector<TextItem> x_tick_labels, y_tick_labels;
  std::vector<TextItem> title;  ///< empty or one line
  TextItem x_label, y_label;
  bool has_legend = false;
  Rect legend;                  ///< legend box (white, thin frame)
  std::vector<LegendKey> legend_keys;
  std::vector<TextItem> legend_labels;
  bool has_annotation = false;
  Rect annotation;              ///< annotation box (white backing)
  std::vector<TextItem> annotation_lines;
  bool has_risk_table = false;
  std::vector<TextItem> risk_title;                 ///< "Number at risk"
  std::vector<TextItem> risk_labels;                ///< one per curve, in its colour
  std::vector<std::vector<TextItem>> risk_numbers;  ///< [curve][tick], centred on x_tick_pos

  double map_x(double t) const { return panel.x + t / x_hi * panel.w; }
  double map_y(double s) const { return panel.bottom() - s * panel.h; }
  /// Every text item of the figure (for overlap checks).
  std::vector<const TextItem*> all_text() const;
};

/// The natural tick steps for times in `unit` spanning [0, range], best first: the
/// smallest step of the unit's list (see KmPlotOptions::time_unit) that covers the range
/// in at most its interval limit, then the coarser ones that still give 3 or more
/// intervals (tried when the labels do not fit).  Empty when the range is too short for
/// two of the smallest steps, or so long that even the coarsest step needs more than 12
/// intervals: the 1-2-5 rule applies.
std::vector<double> natural_time_steps(TimeUnit unit, double range);

/// Throws InputError when the plot's vectors are inconsistent (see KmCurve, RiskTable).
void validate_km_plot(const KmPlot& plot);

/// What to do with plot.risk: Use it (render), or Ignore it and choose the ticks as if no
/// numbers were given yet (km_plot_ticks).
enum class RiskInput { Use, Ignore };

/// The layout of `plot` on a width_pt x height_pt page.  Throws InputError when the text
/// cannot be made to fit (page too small, explicit ticks too dense).
KmLayout layout_km_plot(const KmPlot& plot, const TextMeasurer& measurer,
                        RiskInput risk_input = RiskInput::Use);

}  // namespace survkit::figures
