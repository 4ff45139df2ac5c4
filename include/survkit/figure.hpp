// survkit public API: journal-style figures drawn with cairo.
//
//  * Kaplan-Meier plot (as survminer's ggsurvplot(..., risk.table = TRUE)): step curves,
//    censor marks, optional confidence bands, legend, an annotation (log-rank P, HR) and
//    a number-at-risk table whose numbers sit exactly under the x-axis ticks.
//  * Love plot (as cobalt's love.plot): |SMD| per covariate before and after matching.
//
// The drawing layer is independent of the statistics: it takes plain numbers.  The
// render functions do no file I/O; they return the bytes of an SVG, PNG or PDF file.
// Malformed input (length mismatches, unsorted times, a figure too small to hold its
// text) throws survkit::InputError.
//
// Typical flow for a KM figure with a risk table:
//   KmPlot plot{curves, {}, options};
//   plot.risk.ticks = km_plot_ticks(plot);            // the x ticks the figure will use
//   plot.risk.n_at_risk = ... n at risk of each curve at those ticks (KmOptions::times)
//   std::string svg = render_km_plot(plot, FigureFormat::Svg);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"

namespace survkit {

enum class FigureFormat { Svg, Png, Pdf };

/// One Kaplan-Meier curve, a right-continuous step function.
///  time            : sorted nondecreasing, finite, >= 0.
///  survival        : same length as time; survival just after time[i], in [0, 1].
///                    The curve starts at (0, 1) implicitly and ends at time.back().
///  lower, upper    : confidence band, both empty or both the length of time; NA entries
///                    (R reports NA limits, e.g. log-type limits at survival 0) leave
///                    a gap in the band.
///  censor_time,
///  censor_survival : censor marks, same length (survival of the curve at that time).
struct KmCurve {
  std::string label;  ///< legend and risk-table text, e.g. "Local therapy"
  std::vector<double> time, survival;
  std::vector<double> lower, upper;
  std::vector<double> censor_time, censor_survival;
};

/// Number at risk of each curve at each tick.
///  ticks     : strictly increasing, finite, >= 0; they become the x-axis ticks.
///  n_at_risk : one row per curve (same order as KmPlot::curves), one value per tick;
///              NA prints as an empty cell.  Fractional (weighted) counts print with
///              one decimal.
struct RiskTable {
  std::vector<double> ticks;
  std::vector<std::vector<double>> n_at_risk;
};

/// Where the legend goes inside the panel.
enum class LegendPosition { TopRight, BottomRight };

struct KmPlotOptions {
  std::string title;                       ///< empty = no title
  std::string x_label = "Time (months)";
  std::string y_label = "Survival probability";
  double x_max = NA;        ///< right end of the x axis; NA = the data's last time, rounded up to a tick
  double x_tick_step = NA;  ///< NA = a natural step for time_unit, else a 1-2-5 step chosen to cover the data with 4-10 intervals
  /// The unit of the times.  With it (and no x_tick_step), ticks fall at the unit's
  /// natural steps, chosen by the range: months 6, 12 or 24 (60, 120 beyond 20 years);
  /// years 1, 2 or 5 (10); days 90, 180, 365 or 730.  A range too short for two of the
  /// smallest steps, or steps whose labels do not fit, fall back to the 1-2-5 rule.
  std::optional<TimeUnit> time_unit;
  bool y_percent = false;   ///< y tick labels 0%..100% instead of 0.00..1.00
  bool ci_bands = false;    ///< draw the curves' lower/upper as translucent step bands
  bool censor_marks = true;
  bool risk_table = true;   ///< requires KmPlot::risk to be filled
  LegendPosition legend_position = LegendPosition::TopRight;
  std::string annotation;   ///< drawn inside the panel, in the corner that hides least of the curves (bottom-left on ties); '\n' separates lines (UTF-8)
  double font_size_pt = 10; ///< base font size; tick labels and the risk table use 0.9 of it
  double width_pt = 504, height_pt = 432;  ///< page size (7 x 6 in)
  int png_dpi = 300;        ///< PNG resolution; SVG and PDF are vector, in points
};

struct KmPlot {
  std::vector<KmCurve> curves;
  RiskTable risk;
  KmPlotOptions options;
};

/// The x-axis ticks render_km_plot will draw for this plot (ignoring plot.risk): compute
/// the numbers at risk at these times and put both into plot.risk.
std::vector<double> km_plot_ticks(const KmPlot& plot);

/// Renders the plot; returns the complete file contents in the requested format.
std::string render_km_plot(const KmPlot& plot, FigureFormat format);

struct LovePlotOptions {
  std::string title;  ///< empty = no title
  std::string x_label = "Absolute standardized mean difference";
  std::string before_label = "Before matching", after_label = "After matching";
  double threshold = 0.1;   ///< dashed balance line; NA = none
  double font_size_pt = 10;
  double width_pt = 432;
  double height_pt = NA;    ///< NA = sized from the number of covariates
  int png_dpi = 300;
};

/// Love plot data: one row per covariate, drawn top to bottom in the given order.
///  smd_before, smd_after : same length as covariates; the absolute value is plotted;
///                          NA = no point.
struct LovePlot {
  std::vector<std::string> covariates;
  std::vector<double> smd_before, smd_after;
  LovePlotOptions options;
};

std::string render_love_plot(const LovePlot& plot, FigureFormat format);

// ---------------------------------------------------------------------------------------
// Scaled Schoenfeld residuals of one Cox model term against transformed time, as R's
// plot(cox.zph(fit)): the residuals as open circles, the spline smooth (solid) and its
// +-2 SE band (dashed), optionally a dotted horizontal line at the model's coefficient
// (where the smooth would lie under proportional hazards).  All x values are on the
// transformed time scale; the x-axis ticks can be given with their own labels (R labels
// the km and rank scales with the times they stand for: survkit::cox_zph_time_axis).

struct ZphPlotOptions {
  std::string title;  ///< empty = no title
  std::string x_label = "Time";
  std::string y_label = "Beta(t)";
  double reference = NA;      ///< dotted horizontal line (the model's coefficient); NA = none
  double font_size_pt = 10;
  double width_pt = 504, height_pt = 360;  ///< 7 x 5 in
  int png_dpi = 300;
};

struct ZphPlot {
  std::vector<double> x, y;  ///< residuals: same length, finite
  /// The smooth: fit_x sorted increasing, fit / lower / upper the same length (all
  /// empty: residuals only).
  std::vector<double> fit_x, fit, lower, upper;
  /// Explicit x ticks (positions on the transformed scale, increasing) and their labels,
  /// same length; empty = 1-2-5 ticks chosen by the layout.  Labels that would collide
  /// are thinned (every second one, then every fourth, ...).
  std::vector<double> x_ticks;
  std::vector<std::string> x_tick_labels;
  ZphPlotOptions options;
};

std::string render_zph_plot(const ZphPlot& plot, FigureFormat format);

}  // namespace survkit
