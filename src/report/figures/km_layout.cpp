#include "report/figures/km_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "survkit/common.hpp"

namespace survkit::figures {
namespace {

constexpr double kMinFont = 6.0;     // below this, print becomes unreadable: give up instead
constexpr double kShrink = 0.92;     // font reduction per fitting attempt

bool finite_all(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

std::string format_count(double n) {
  if (is_na(n)) return {};
  char buf[32];
  // Weighted (matched) samples have fractional numbers at risk: show one decimal then.
  if (n == std::round(n)) std::snprintf(buf, sizeof buf, "%.0f", n);
  else std::snprintf(buf, sizeof buf, "%.1f", n);
  return buf;
}

/// Centres of consecutive items must be at least their half widths plus `gap` apart.
bool spaced(const std::vector<double>& centres, const std::vector<double>& widths, double gap) {
  for (std::size_t i = 1; i < centres.size(); ++i)
    if (centres[i] - centres[i - 1] < (widths[i] + widths[i - 1]) / 2 + gap) return false;
  return true;
}

/// The ticks and the axis end under consideration while fitting the x axis.
struct XAxis {
  std::vector<double> ticks;
  double hi = 1;
};

/// The value of a step curve at t: the value at the last time <= t (1 before the first
/// time); NA where the value is NA.
double step_value(const std::vector<double>& time, const std::vector<double>& value, double t) {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  if (it == time.begin()) return 1.0;
  return value[static_cast<std::size_t>(it - time.begin()) - 1];
}

/// How much of the drawing a box would hide: at 48 points across its width, the curves
/// that pass through it, and (with bands) the bands that reach into it.
int ink_under(const KmLayout& L, const KmPlot& plot, bool bands, const Rect& box) {
  int ink = 0;
  for (int k = 0; k <= 47; ++k) {
    const double px = box.x + box.w * k / 47.0;
    const double t = (px - L.panel.x) / L.panel.w * L.x_hi;
    for (const auto& c : plot.curves) {
      if (c.time.empty() || t > c.time.back()) continue;
      const double y = L.map_y(step_value(c.time, c.survival, t));
      if (y >= box.y && y <= box.bottom()) ink += 2;
      if (!bands || c.lower.size() != c.time.size()) continue;
      const double lo = step_value(c.time, c.lower, t), up = step_value(c.time, c.upper, t);
      if (is_na(lo) || is_na(up)) continue;
      if (L.map_y(up) <= box.bottom() && L.map_y(lo) >= box.y) ++ink;  // the band overlaps the box's rows
    }
  }
  return ink;
}

}  // namespace

std::vector<double> natural_time_steps(TimeUnit unit, double range) {
  // {step, the longest range it serves}: about 8-10 intervals at most, so that a cohort
  // followed for 19 years in months gets 2-year (24-month) ticks, 5 years 12-month ones.
  struct Step {
    double step, up_to;
  };
  constexpr double kAny = 1e300;
  static const std::vector<Step> months{{6, 48}, {12, 96}, {24, 240}, {60, 600}, {120, kAny}};
  static const std::vector<Step> years{{1, 8}, {2, 16}, {5, 50}, {10, kAny}};
  static const std::vector<Step> days{{90, 720}, {180, 1440}, {365, 3650}, {730, kAny}};
  const auto& list = unit == TimeUnit::Months ? months : unit == TimeUnit::Years ? years : days;
  std::vector<double> out;
  if (!(range > 2 * list.front().step) || !std::isfinite(range)) return out;
  for (const Step& s : list) {
    if (out.empty() && range > s.up_to) continue;
    const double intervals = std::ceil(range / s.step - 1e-9);
    if (intervals >= 3 && intervals <= 12) out.push_back(s.step);  // a coarser fallback still needs 3 intervals
  }
  return out;
}

std::vector<const TextItem*> KmLayout::all_text() const {
  std::vector<const TextItem*> out;
  auto add = [&](const std::vector<TextItem>& v) {
    for (const auto& t : v) out.push_back(&t);
  };
  add(x_tick_labels);
  add(y_tick_labels);
  add(title);
  out.push_back(&x_label);
  out.push_back(&y_label);
  add(legend_labels);
  add(annotation_lines);
  add(risk_title);
  add(risk_labels);
  for (const auto& row : risk_numbers) add(row);
  return out;
}

void validate_km_plot(const KmPlot& plot) {
  const auto& o = plot.options;
  if (plot.curves.empty()) throw InputError("KM plot: no curves");
  if (!(o.width_pt > 0) || !(o.height_pt > 0) || !std::isfinite(o.width_pt) ||
      !std::isfinite(o.height_pt))
    throw InputError("KM plot: width_pt and height_pt must be positive");
  if (!(o.font_size_pt >= kMinFont && o.font_size_pt <= 36))
    throw InputError("KM plot: font_size_pt must be in [6, 36]");
  if (!is_na(o.x_max) && !(o.x_max > 0 && std::isfinite(o.x_max)))
    throw InputError("KM plot: x_max must be positive (or NA)");
  if (!is_na(o.x_tick_step) && !(o.x_tick_step > 0 && std::isfinite(o.x_tick_step)))
    throw InputError("KM plot: x_tick_step must be positive (or NA)");
  for (const auto& c : plot.curves) {
    const std::string who = "KM curve '" + c.label + "': ";
    if (c.survival.size() != c.time.size())
      throw InputError(who + "time and survival differ in length");
    if (!finite_all(c.time) || !finite_all(c.survival))
      throw InputError(who + "time and survival must be finite");
    if (!std::is_sorted(c.time.begin(), c.time.end()) || (!c.time.empty() && c.time[0] < 0))
      throw InputError(who + "time must be sorted and >= 0");
    for (double s : c.survival)
      if (s < 0 || s > 1) throw InputError(who + "survival must lie in [0, 1]");
    if (c.lower.size() != c.upper.size() ||
        (!c.lower.empty() && c.lower.size() != c.time.size()))
      throw InputError(who + "lower and upper must both be empty or the length of time");
    if (c.censor_time.size() != c.censor_survival.size())
      throw InputError(who + "censor_time and censor_survival differ in length");
    if (!finite_all(c.censor_time) || !finite_all(c.censor_survival))
      throw InputError(who + "censor marks must be finite");
  }
  const auto& r = plot.risk;
  if (!finite_all(r.ticks)) throw InputError("risk table: ticks must be finite");
  for (std::size_t j = 0; j < r.ticks.size(); ++j)
    if (r.ticks[j] < 0 || (j > 0 && !(r.ticks[j] > r.ticks[j - 1])))
      throw InputError("risk table: ticks must be >= 0 and strictly increasing");
  if (!is_na(o.x_max) && !r.ticks.empty() && r.ticks.back() > o.x_max)
    throw InputError("risk table: a tick lies beyond x_max");
  if (!r.n_at_risk.empty()) {
    if (r.n_at_risk.size() != plot.curves.size())
      throw InputError("risk table: n_at_risk needs one row per curve");
    for (const auto& row : r.n_at_risk)
      if (row.size() != r.ticks.size())
        throw InputError("risk table: each n_at_risk row needs one value per tick");
  }
}

KmLayout layout_km_plot(const KmPlot& plot, const TextMeasurer& m, RiskInput risk_input) {
  validate_km_plot(plot);
  const KmPlotOptions& o = plot.options;
  const std::size_t nc = plot.curves.size();
  const bool use_risk = risk_input == RiskInput::Use;
  if (use_risk && o.risk_table && plot.risk.n_at_risk.empty())
    throw InputError("risk_table requested but KmPlot::risk is empty "
                     "(fill it at km_plot_ticks(plot))");

  const double F = o.font_size_pt;
  const double tick_f = 0.9 * F;  // tick labels
  const double title_f = 1.2 * F;
  const double margin = std::max(6.0, 0.8 * F);
  const double gap = 0.5 * F;

  KmLayout L;
  L.canvas = Rect{0, 0, o.width_pt, o.height_pt};
  L.has_risk_table = o.risk_table;
  const double tick_gap = 3;  // between a tick mark and its label
  const double label_offset = L.tick_length + tick_gap;

  // ---- risk-table label font: shrink long curve labels rather than squeeze the panel.
  double risk_f = 0.9 * F;
  double risk_label_w = 0;
  if (L.has_risk_table) {
    auto widest = [&](double f) {
      double w = 0;
      for (const auto& c : plot.curves) w = std::max(w, m.measure(c.label, f, false).width);
      return w;
    };
    while ((risk_label_w = widest(risk_f)) > 0.4 * o.width_pt) {
      if (risk_f <= kMinFont) throw InputError("KM plot: curve labels too long for the risk table");
      risk_f = std::max(kMinFont, risk_f * kShrink);
    }
  }
  double number_f = risk_f;  // risk-table numbers (may shrink further when ticks are dense)

  // ---- y axis: 0..1 by 0.25 (survminer's default breaks).
  for (int i = 0; i <= 4; ++i) L.y_ticks.push_back(i * 0.25);
  std::vector<std::string> y_text;
  double y_tick_w = 0;
  for (double v : L.y_ticks) {
    char buf[16];
    if (o.y_percent) std::snprintf(buf, sizeof buf, "%.0f%%", v * 100);
    else std::snprintf(buf, sizeof buf, "%.2f", v);
    y_text.emplace_back(buf);
    y_tick_w = std::max(y_tick_w, m.measure(buf, tick_f, false).width);
  }
  const TextExtent label_ext = m.measure("Hg", F, false);
  const TextExtent tick_ext = m.measure("0", tick_f, false);
  const TextExtent risk_ext = m.measure("0", risk_f, false);
  const TextExtent risk_title_ext = m.measure("Number at risk", F, true);

  // ---- vertical stack: title, panel, tick labels, x label, risk table.
  double top = place_title(m, o.title, margin, title_f, F, L.title);
  top += tick_ext.ascent / 2 + 2;  // room for the upper half of the "1.00" label
  const double row_h = 1.6 * risk_ext.ascent + risk_ext.descent;
  double bottom = margin;
  if (L.has_risk_table) {
    bottom += nc * row_h + 0.3 * F + risk_title_ext.ascent + risk_title_ext.descent + 1.2 * F;
  }
  bottom += label_ext.ascent + label_ext.descent + 0.5 * F;  // x label
  bottom += label_offset + tick_ext.ascent + tick_ext.descent;
  L.panel.y = top;
  L.panel.h = o.height_pt - bottom - top;
  if (L.panel.h < 72) throw InputError("KM plot: height_pt too small for the text it must hold");

  // ---- data range and x axis.
  double data_hi = 0;
  for (const auto& c : plot.curves) {
    if (!c.time.empty()) data_hi = std::max(data_hi, c.time.back());
    for (double t : c.censor_time) data_hi = std::max(data_hi, t);
  }
  const bool user_xmax = !is_na(o.x_max);
  const double hi = user_xmax ? o.x_max : (data_hi > 0 ? data_hi : 1.0);
  const bool given_ticks = use_risk && !plot.risk.ticks.empty();
  const bool have_numbers = use_risk && L.has_risk_table && !plot.risk.n_at_risk.empty();

  const double y_axis_w = margin + label_ext.ascent + label_ext.descent + gap + y_tick_w + label_offset;

  auto tick_text = [&](const std::vector<double>& ticks) {
    // Decimals as needed by the spacing of the ticks (0.5-month steps show "2.5").
    double step = ticks.size() > 1 ? ticks[1] - ticks[0] : (ticks.empty() ? 1 : ticks[0]);
    for (std::size_t j = 2; j < ticks.size(); ++j) step = std::min(step, ticks[j] - ticks[j - 1]);
    std::vector<std::string> out;
    for (double t : ticks) out.push_back(format_tick(t, step > 0 ? step : 1));
    return out;
  };
  auto widths = [&](const std::vector<std::string>& text, double f) {
    std::vector<double> w;
    for (const auto& s : text) w.push_back(m.measure(s, f, false).width);
    return w;
  };
  std::vector<std::vector<std::string>> number_text(nc);
  if (have_numbers)
    for (std::size_t i = 0; i < nc; ++i)
      for (double n : plot.risk.n_at_risk[i]) number_text[i].push_back(format_count(n));

  // Horizontal geometry for a candidate axis; returns false when labels would collide.
  auto fit = [&](const XAxis& ax, double num_f, bool apply) {
    const auto labels = tick_text(ax.ticks);
    const auto lw = widths(labels, tick_f);
    std::vector<std::vector<double>> nw(nc);
    double first_half = 0, last_half = lw.back() / 2;
    if (have_numbers)
      for (std::size_t i = 0; i < nc; ++i) {
        nw[i] = widths(number_text[i], num_f);
        first_half = std::max(first_half, nw[i].front() / 2);
        last_half = std::max(last_half, nw[i].back() / 2);
      }
    // The risk labels end left of the first column of numbers (and the y tick labels).
    const double risk_label_gap = std::max(label_offset, first_half + gap);
    double left = y_axis_w;
    if (L.has_risk_table) left = std::max(left, margin + risk_label_w + risk_label_gap);
    // The last tick's label may stick out past the axis end: keep it on the page.
    const double last_pos_slack = ax.hi - ax.ticks.back();  // data units left of the end
    double right = o.width_pt - margin - 2;
    // Solve for the panel width so that the last label's right edge is within the page.
    const double width0 = right - left;
    const double overhang = last_half - last_pos_slack / ax.hi * width0;
    if (overhang > 0) right -= overhang;
    const double panel_w = right - left;
    if (panel_w < 100) return false;
    std::vector<double> pos;
    for (double t : ax.ticks) pos.push_back(left + t / ax.hi * panel_w);
    if (!spaced(pos, lw, gap)) return false;
    if (have_numbers)
      for (std::size_t i = 0; i < nc; ++i)
        if (!spaced(pos, nw[i], 0.6 * gap)) return false;
    if (apply) {
      L.panel.x = left;
      L.panel.w = panel_w;
      L.x_hi = ax.hi;
      L.x_ticks = ax.ticks;
      L.x_tick_pos = pos;
      const double base = L.panel.bottom() + label_offset + tick_ext.ascent;
      for (std::size_t j = 0; j < pos.size(); ++j)
        L.x_tick_labels.push_back(place_text(m, labels[j], pos[j], base, tick_f, false, Align::Centre));
      if (L.has_risk_table) {
        const double x_right = left - risk_label_gap;
        double y = o.height_pt - margin - nc * row_h;
        L.risk_title.push_back(place_text(m, "Number at risk", margin, y - 0.3 * F - risk_title_ext.descent,
                                          F, true, Align::Left));
        for (std::size_t i = 0; i < nc; ++i) {
          const double baseline = y + (row_h + risk_ext.ascent - risk_ext.descent) / 2;
          L.risk_labels.push_back(place_text(m, plot.curves[i].label, x_right, baseline, risk_f,
                                             false, Align::Right, series_colour(i)));
          std::vector<TextItem> row;
          if (have_numbers)
            for (std::size_t j = 0; j < pos.size(); ++j)
              row.push_back(place_text(m, number_text[i][j], pos[j], baseline, num_f, false, Align::Centre));
          L.risk_numbers.push_back(std::move(row));
          y += row_h;
        }
      }
    }
    return true;
  };

  // The unit's natural steps (6/12/24 months ...), the finest that fits; the axis ends
  // on a tick (or at x_max).  False: none applies or fits.
  auto place_on_natural_steps = [&] {
    if (!o.time_unit) return false;
    for (double step : natural_time_steps(*o.time_unit, hi)) {
      XAxis ax;
      ax.ticks = user_xmax ? ticks_within(hi, step) : ticks_covering(hi, step);
      ax.hi = user_xmax ? hi : ax.ticks.back();
      if (fit(ax, number_f, false)) return fit(ax, number_f, true);
    }
    return false;
  };

  if (given_ticks || !is_na(o.x_tick_step)) {
    XAxis ax;
    if (given_ticks) {
      ax.ticks = plot.risk.ticks;
      ax.hi = user_xmax ? o.x_max : std::max(data_hi, ax.ticks.back());
      if (!(ax.hi > 0)) ax.hi = 1;
    } else {
      ax.ticks = user_xmax ? ticks_within(hi, o.x_tick_step) : ticks_covering(hi, o.x_tick_step);
      ax.hi = user_xmax ? hi : ax.ticks.back();
      if (ax.ticks.size() > 200) throw InputError("KM plot: x_tick_step gives too many ticks");
    }
    // Explicit ticks are the user's choice: shrink the numbers, never move the ticks.
    while (!fit(ax, number_f, false)) {
      if (number_f <= kMinFont) throw InputError("KM plot: the x ticks are too dense for the figure width");
      number_f = std::max(kMinFont, number_f * kShrink);
    }
    fit(ax, number_f, true);
  } else if (!place_on_natural_steps()) {
    // Candidate 1-2-5 steps giving 4..10 intervals, best first: least empty axis beyond the
    // data (or least gap between the last tick and x_max), then the coarser step.
    struct Candidate {
      XAxis ax;
      double waste, step;
    };
    std::vector<Candidate> good, coarse;
    for (double step = nice_step_at_least(hi / 10);; step = next_nice_step(step)) {
      Candidate c;
      c.step = step;
      c.ax.ticks = user_xmax ? ticks_within(hi, step) : ticks_covering(hi, step);
      c.ax.hi = user_xmax ? hi : c.ax.ticks.back();
      c.waste = std::abs(c.ax.hi - c.ax.ticks.back()) + std::abs(c.ax.ticks.back() - hi);
      const std::size_t intervals = c.ax.ticks.size() - 1;
      if (intervals < 1) break;
      (intervals >= 4 ? good : coarse).push_back(c);
      if (intervals == 1) break;
    }
    std::stable_sort(good.begin(), good.end(), [&](const Candidate& a, const Candidate& b) {
      if (std::abs(a.waste - b.waste) > 1e-9 * hi) return a.waste < b.waste;
      return a.step > b.step;
    });
    bool placed = false;
    for (const auto* list : {&good, &coarse}) {
      for (const auto& c : *list)
        if (fit(c.ax, number_f, false)) {
          fit(c.ax, number_f, true);
          placed = true;
          break;
        }
      if (placed) break;
    }
    if (!placed) throw InputError("KM plot: width_pt too small for the x-axis labels");
  }

  // ---- y tick labels, axis labels.
  for (std::size_t k = 0; k < L.y_ticks.size(); ++k) {
    const double y = L.map_y(L.y_ticks[k]);
    L.y_tick_pos.push_back(y);
    L.y_tick_labels.push_back(place_text(m, y_text[k], L.panel.x - label_offset,
                                         y + (tick_ext.ascent - tick_ext.descent) / 2, tick_f,
                                         false, Align::Right));
  }
  L.x_label = place_text_within(m, o.x_label, L.panel.centre_x(),
                                L.panel.bottom() + label_offset + tick_ext.ascent +
                                    tick_ext.descent + 0.5 * F + label_ext.ascent,
                                F, false, Align::Centre, margin, o.width_pt - margin);
  // The y label hugs the tick labels (the panel may sit further right when the risk-table
  // labels are long; the label belongs to the axis, not to the page margin).
  double y_label_f = F;  // a long y label shrinks to the panel's height
  while (m.measure(o.y_label, y_label_f, false).width > L.panel.h) {
    if (y_label_f <= kMinFont) throw InputError("KM plot: y_label longer than the panel is high");
    y_label_f = std::max(kMinFont, y_label_f * kShrink);
  }
  L.y_label = place_rotated_text(m, o.y_label,
                                 L.panel.x - label_offset - y_tick_w - gap - label_ext.descent,
                                 L.panel.y + L.panel.h / 2, y_label_f, false);
  if (!L.title.empty()) {
    L.title[0] = place_text_within(m, o.title, L.panel.x, L.title[0].y, title_f, true,
                                   Align::Left, margin, o.width_pt - margin);
  }

  // ---- legend (top- or bottom-right) and annotation (the free corner), inside the panel.
  const bool any_label = std::any_of(plot.curves.begin(), plot.curves.end(),
                                     [](const KmCurve& c) { return !c.label.empty(); });
  const auto note_lines = split_lines(o.annotation);
  L.has_legend = any_label;
  L.has_annotation = !note_lines.empty();
  const double inset = 0.6 * F;  // distance of the boxes from the panel edges
  for (double f = 0.9 * F;; f = std::max(kMinFont, f * kShrink)) {
    L.legend_keys.clear();
    L.legend_labels.clear();
    L.annotation_lines.clear();
    const TextExtent e = m.measure("Hg", f, false);
    const double pad = 0.5 * f, key_len = 2.4 * f, lrow = 1.35 * (e.ascent + e.descent);
    if (L.has_legend) {
      double w = 0;
      for (const auto& c : plot.curves) w = std::max(w, m.measure(c.label, f, false).width);
      L.legend.w = pad + key_len + pad + w + pad;
      L.legend.h = 2 * pad + nc * lrow;
      L.legend.x = L.panel.right() - inset - L.legend.w;
      L.legend.y = o.legend_position == LegendPosition::TopRight
                       ? L.panel.y + inset
                       : L.panel.bottom() - inset - L.legend.h;
      for (std::size_t i = 0; i < nc; ++i) {
        const double mid = L.legend.y + pad + (i + 0.5) * lrow;
        L.legend_keys.push_back({L.legend.x + pad, L.legend.x + pad + key_len, mid, i});
        L.legend_labels.push_back(place_text(m, plot.curves[i].label, L.legend.x + 2 * pad + key_len,
                                             mid + (e.ascent - e.descent) / 2, f, false, Align::Left));
      }
    }
    if (L.has_annotation) {
      const double arow = 1.25 * (e.ascent + e.descent);
      double w = 0;
      for (const auto& s : note_lines) w = std::max(w, m.measure(s, f, false).width);
      L.annotation.w = w + 2 * pad;
      L.annotation.h = note_lines.size() * arow + 2 * pad;
      // Bottom-left unless another corner hides less of the curves and bands: bottom-
      // right, or top-right under a top-right legend (ties keep bottom-left).
      std::vector<Rect> spots;
      Rect r = L.annotation;
      r.x = L.panel.x + inset;
      r.y = L.panel.bottom() - inset - r.h;
      spots.push_back(r);
      r.x = L.panel.right() - inset - r.w;
      spots.push_back(r);
      if (L.has_legend && o.legend_position == LegendPosition::TopRight) {
        r.y = L.legend.bottom() + inset;
        spots.push_back(r);
      }
      int best = -1;
      for (const Rect& spot : spots) {
        if (L.has_legend && L.legend.intersects(spot)) continue;
        if (!L.panel.contains(spot)) continue;
        const int ink = ink_under(L, plot, o.ci_bands, spot);
        if (best < 0 || ink < best) {
          best = ink;
          L.annotation.x = spot.x;
          L.annotation.y = spot.y;
        }
      }
      if (best < 0) {
        L.annotation.x = spots[0].x;
        L.annotation.y = spots[0].y;
      }
      for (std::size_t k = 0; k < note_lines.size(); ++k)
        L.annotation_lines.push_back(place_text(
            m, note_lines[k], L.annotation.x + pad,
            L.annotation.y + pad + k * arow + (arow + e.ascent - e.descent) / 2, f, false, Align::Left));
    }
    // The legend may not reach the panel's left quarter, where every curve starts at
    // (0, 1) and the early drops are; the annotation keeps to the lower half or sits
    // under the legend.
    const bool legend_ok = !L.has_legend || (L.legend.w <= 0.75 * L.panel.w - inset &&
                                             L.legend.h <= 0.6 * L.panel.h);
    const bool note_ok = !L.has_annotation || (L.annotation.w <= 0.75 * L.panel.w - inset &&
                                               L.annotation.h <= 0.45 * L.panel.h);
    const bool apart = !(L.has_legend && L.has_annotation) || !L.legend.intersects(L.annotation);
    if (legend_ok && note_ok && apart) break;
    if (f <= kMinFont) throw InputError("KM plot: legend and annotation do not fit in the panel");
  }
  return L;
}

}  // namespace survkit::figures
