#include "report/figures/zph_layout.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <tuple>

#include "survkit/common.hpp"

namespace survkit::figures {
namespace {

constexpr double kMinFont = 6.0;
constexpr double kPad = 0.04;  // R's "regular" axis style: the data range plus 4% each side

/// The range of every finite value of the given vectors (and `extra` when not NA).
std::pair<double, double> range_of(std::initializer_list<const std::vector<double>*> vs, double extra = NA) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* v : vs)
    for (double x : *v)
      if (std::isfinite(x)) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
  if (!is_na(extra)) {
    lo = std::min(lo, extra);
    hi = std::max(hi, extra);
  }
  if (!(hi > lo)) {  // one value: a unit-wide window around it
    const double half = lo == 0 ? 1.0 : 0.5 * std::abs(lo);
    lo -= half;
    hi += half;
  }
  const double pad = kPad * (hi - lo);
  return {lo - pad, hi + pad};
}

/// Multiples of `step` inside [lo, hi].
std::vector<double> ticks_between(double lo, double hi, double step) {
  std::vector<double> t;
  for (double i = std::ceil(lo / step - 1e-9); i * step <= hi * (1 + 1e-12) + 1e-12 * step; ++i) t.push_back(i * step);
  return t;
}

/// True when consecutive labels (boxes of the same row) keep `gap` apart.
bool apart(const std::vector<TextItem>& items, double gap) {
  for (std::size_t j = 1; j < items.size(); ++j)
    if (items[j].box.x < items[j - 1].box.right() + gap) return false;
  return true;
}

}  // namespace

std::vector<const TextItem*> ZphLayout::all_text() const {
  std::vector<const TextItem*> out;
  for (const auto* v : {&x_tick_labels, &y_tick_labels, &title})
    for (const auto& t : *v) out.push_back(&t);
  out.push_back(&x_label);
  out.push_back(&y_label);
  return out;
}

void validate_zph_plot(const ZphPlot& p) {
  const auto& o = p.options;
  if (p.x.size() != p.y.size()) throw InputError("Schoenfeld plot: x and y need the same length");
  if (p.x.empty() && p.fit_x.empty()) throw InputError("Schoenfeld plot: nothing to draw");
  for (const auto* v : {&p.x, &p.y, &p.fit_x, &p.fit, &p.lower, &p.upper})
    for (double x : *v)
      if (!std::isfinite(x)) throw InputError("Schoenfeld plot: values must be finite");
  const std::size_t m = p.fit_x.size();
  if (p.fit.size() != m || p.lower.size() != m || p.upper.size() != m)
    throw InputError("Schoenfeld plot: fit, lower and upper need one value per fit_x");
  if (!std::is_sorted(p.fit_x.begin(), p.fit_x.end())) throw InputError("Schoenfeld plot: fit_x must be sorted");
  if (p.x_ticks.size() != p.x_tick_labels.size())
    throw InputError("Schoenfeld plot: x_ticks and x_tick_labels need the same length");
  for (std::size_t j = 0; j < p.x_ticks.size(); ++j)
    if (!std::isfinite(p.x_ticks[j]) || (j > 0 && !(p.x_ticks[j] > p.x_ticks[j - 1])))
      throw InputError("Schoenfeld plot: x_ticks must be finite and increasing");
  if (!is_na(o.reference) && !std::isfinite(o.reference)) throw InputError("Schoenfeld plot: reference must be finite");
  if (!(o.width_pt > 0 && std::isfinite(o.width_pt) && o.height_pt > 0 && std::isfinite(o.height_pt)))
    throw InputError("Schoenfeld plot: width_pt and height_pt must be positive");
  if (!(o.font_size_pt >= kMinFont && o.font_size_pt <= 36))
    throw InputError("Schoenfeld plot: font_size_pt must be in [6, 36]");
}

ZphLayout layout_zph_plot(const ZphPlot& plot, const TextMeasurer& m) {
  validate_zph_plot(plot);
  const ZphPlotOptions& o = plot.options;
  const double F = o.font_size_pt, tick_f = 0.9 * F, title_f = 1.2 * F;
  const double margin = std::max(6.0, 0.8 * F), gap = 0.5 * F;
  ZphLayout L;
  L.canvas = Rect{0, 0, o.width_pt, o.height_pt};
  L.point_radius = 0.2 * F;
  const double label_offset = L.tick_length + 3;
  const TextExtent label_ext = m.measure("Hg", F, false), tick_ext = m.measure("0", tick_f, false);
  const double tick_h = tick_ext.ascent + tick_ext.descent;
  std::tie(L.x_lo, L.x_hi) = range_of({&plot.x, &plot.fit_x});
  std::tie(L.y_lo, L.y_hi) = range_of({&plot.y, &plot.fit, &plot.lower, &plot.upper}, o.reference);

  // ---- vertical: title, panel (half a tick label of room above, for the top y label), x axis.
  L.panel.y = place_title(m, o.title, margin, title_f, F, L.title) + tick_h / 2;
  const double bottom = margin + label_ext.ascent + label_ext.descent + gap + label_offset + tick_h;
  L.panel.h = o.height_pt - L.panel.y - bottom;
  if (L.panel.h < 72) throw InputError("Schoenfeld plot: height_pt too small");

  // ---- y ticks: the finest 1-2-5 step whose labels are 1.8 lines apart.
  double step = nice_step_at_least((L.y_hi - L.y_lo) / 10);
  for (;; step = next_nice_step(step)) {
    L.y_ticks = ticks_between(L.y_lo, L.y_hi, step);
    if (L.y_ticks.size() <= 2 || L.panel.h * step / (L.y_hi - L.y_lo) >= 1.8 * tick_h) break;
  }
  std::vector<std::string> y_text;
  double y_text_w = 0;
  for (double t : L.y_ticks) {
    y_text.push_back(format_tick(t, step));
    y_text_w = std::max(y_text_w, m.measure(y_text.back(), tick_f, false).width);
  }

  // ---- the y label (rotated), shrunk to the panel height if need be.
  double ylab_f = F;
  while (m.measure(o.y_label, ylab_f, false).width > L.panel.h) {
    if (ylab_f <= kMinFont) throw InputError("Schoenfeld plot: the y label does not fit; enlarge the figure");
    ylab_f = std::max(kMinFont, ylab_f * 0.92);
  }
  const TextExtent ylab_ext = m.measure("Hg", ylab_f, false);
  L.panel.x = margin + ylab_ext.ascent + ylab_ext.descent + gap + y_text_w + label_offset;

  // ---- horizontal: room on the right for half of the widest x tick label.
  double x_text_w = 0;
  for (const auto& s : plot.x_tick_labels) x_text_w = std::max(x_text_w, m.measure(s, tick_f, false).width);
  if (plot.x_ticks.empty()) x_text_w = m.measure(format_tick(-std::max(std::abs(L.x_lo), std::abs(L.x_hi)), 1e-3), tick_f, false).width;
  L.panel.w = o.width_pt - margin - x_text_w / 2 - L.panel.x;
  if (L.panel.w < 108) throw InputError("Schoenfeld plot: width_pt too small");

  for (std::size_t j = 0; j < L.y_ticks.size(); ++j) {
    const double y = L.map_y(L.y_ticks[j]);
    L.y_tick_pos.push_back(y);
    L.y_tick_labels.push_back(place_text(m, y_text[j], L.panel.x - label_offset,
                                         y + (tick_ext.ascent - tick_ext.descent) / 2, tick_f, false, Align::Right));
  }
  L.y_label = place_rotated_text(m, o.y_label, margin + ylab_ext.ascent, L.panel.y + L.panel.h / 2, ylab_f, false);

  // ---- x ticks: the given ones (thinned: every 2nd, 4th, ... until the labels are apart),
  // or the finest 1-2-5 step whose labels are apart.
  const double x_base = L.panel.bottom() + label_offset + tick_ext.ascent;
  auto place_x = [&](const std::vector<double>& at, const std::vector<std::string>& text) {
    std::vector<TextItem> items;
    for (std::size_t j = 0; j < at.size(); ++j)
      items.push_back(place_text(m, text[j], L.map_x(at[j]), x_base, tick_f, false, Align::Centre));
    return items;
  };
  std::vector<double> at;
  std::vector<std::string> text;
  if (!plot.x_ticks.empty()) {
    std::vector<double> in_at;
    std::vector<std::string> in_text;
    for (std::size_t j = 0; j < plot.x_ticks.size(); ++j)
      if (plot.x_ticks[j] >= L.x_lo && plot.x_ticks[j] <= L.x_hi) {
        in_at.push_back(plot.x_ticks[j]);
        in_text.push_back(plot.x_tick_labels[j]);
      }
    for (std::size_t stride = 1;; stride *= 2) {
      at.clear();
      text.clear();
      for (std::size_t j = 0; j < in_at.size(); j += stride) {
        at.push_back(in_at[j]);
        text.push_back(in_text[j]);
      }
      if (at.size() <= 1 || apart(place_x(at, text), gap)) break;
    }
  } else {
    for (double s = nice_step_at_least((L.x_hi - L.x_lo) / 12);; s = next_nice_step(s)) {
      at = ticks_between(L.x_lo, L.x_hi, s);
      text.clear();
      for (double t : at) text.push_back(format_tick(t, s));
      if (at.size() <= 2 || apart(place_x(at, text), gap)) break;
    }
  }
  L.x_tick_labels = place_x(at, text);
  for (double t : at) L.x_tick_pos.push_back(L.map_x(t));
  L.x_label = place_text_within(m, o.x_label, L.panel.centre_x(), x_base + tick_ext.descent + gap + label_ext.ascent, F,
                                false, Align::Centre, margin, o.width_pt - margin);
  if (!L.title.empty())
    L.title[0] = place_text_within(m, o.title, L.panel.x, L.title[0].y, title_f, true, Align::Left, margin,
                                   o.width_pt - margin);
  return L;
}

}  // namespace survkit::figures
