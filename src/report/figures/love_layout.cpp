#include "report/figures/love_layout.hpp"

#include <algorithm>
#include <cmath>

#include "survkit/common.hpp"

namespace survkit::figures {
namespace {

constexpr double kMinFont = 6.0;
constexpr double kShrink = 0.92;

}  // namespace

std::vector<const TextItem*> LoveLayout::all_text() const {
  std::vector<const TextItem*> out;
  for (const auto& v : {&x_tick_labels, &row_labels, &title, &legend_labels})
    for (const auto& t : *v) out.push_back(&t);
  out.push_back(&x_label);
  return out;
}

void validate_love_plot(const LovePlot& plot) {
  const auto& o = plot.options;
  const std::size_t n = plot.covariates.size();
  if (n == 0) throw InputError("Love plot: no covariates");
  if (plot.smd_before.size() != n || plot.smd_after.size() != n)
    throw InputError("Love plot: smd_before and smd_after need one value per covariate");
  for (const auto* v : {&plot.smd_before, &plot.smd_after})
    for (double x : *v)
      if (std::isinf(x)) throw InputError("Love plot: SMDs must be finite or NA");
  if (!is_na(o.threshold) && !(o.threshold > 0 && std::isfinite(o.threshold)))
    throw InputError("Love plot: threshold must be positive (or NA)");
  if (!(o.width_pt > 0 && std::isfinite(o.width_pt)) ||
      (!is_na(o.height_pt) && !(o.height_pt > 0 && std::isfinite(o.height_pt))))
    throw InputError("Love plot: width_pt and height_pt must be positive");
  if (!(o.font_size_pt >= kMinFont && o.font_size_pt <= 36))
    throw InputError("Love plot: font_size_pt must be in [6, 36]");
}

LoveLayout layout_love_plot(const LovePlot& plot, const TextMeasurer& m) {
  validate_love_plot(plot);
  const LovePlotOptions& o = plot.options;
  const std::size_t n = plot.covariates.size();
  const double F = o.font_size_pt;
  const double tick_f = 0.9 * F, title_f = 1.2 * F;
  const double margin = std::max(6.0, 0.8 * F);
  const double gap = 0.5 * F;
  LoveLayout L;
  L.point_radius = 0.32 * F;
  L.inner_pad = L.point_radius + 3;
  const double label_offset = L.tick_length + 3;

  // ---- fixed vertical pieces.
  const TextExtent label_ext = m.measure("Hg", F, false);
  const TextExtent tick_ext = m.measure("0", tick_f, false);
  double top = place_title(m, o.title, margin, title_f, F, L.title);
  const double legend_top = top;
  top += label_ext.ascent + label_ext.descent + 0.8 * F;  // legend row
  const double bottom = margin + label_ext.ascent + label_ext.descent + 0.5 * F + label_offset +
                        tick_ext.ascent + tick_ext.descent;
  const double row_pitch_auto = 1.9 * F;
  const double height = is_na(o.height_pt) ? top + bottom + n * row_pitch_auto : o.height_pt;
  L.canvas = Rect{0, 0, o.width_pt, height};
  L.panel.y = top;
  L.panel.h = height - top - bottom;
  if (L.panel.h < 36) throw InputError("Love plot: height_pt too small");
  const double pitch = L.panel.h / n;

  // ---- covariate labels: shrink until they fit both the row pitch and 45% of the width.
  double row_f = 0.9 * F;
  double label_w = 0;
  for (;; row_f = std::max(kMinFont, row_f * kShrink)) {
    label_w = 0;
    for (const auto& c : plot.covariates) label_w = std::max(label_w, m.measure(c, row_f, false).width);
    const TextExtent e = m.measure("Hg", row_f, false);
    if (label_w <= 0.45 * o.width_pt && e.ascent + e.descent <= 0.95 * pitch) break;
    if (row_f <= kMinFont) throw InputError("Love plot: covariate names do not fit; enlarge the figure");
  }
  L.panel.x = margin + label_w + label_offset;

  // ---- x axis: 1-2-5 ticks covering the largest |SMD| and the threshold.
  double vmax = is_na(o.threshold) ? 0 : o.threshold;
  for (const auto* v : {&plot.smd_before, &plot.smd_after})
    for (double x : *v)
      if (!is_na(x)) vmax = std::max(vmax, std::abs(x));
  if (!(vmax > 0)) vmax = 0.1;  // everything balanced exactly: still draw a sensible axis
  struct Candidate {
    std::vector<double> ticks;
    double step, waste;
  };
  std::vector<Candidate> cands;
  for (double step = nice_step_at_least(vmax / 8);; step = next_nice_step(step)) {
    Candidate c{ticks_covering(vmax, step), step, 0};
    c.waste = c.ticks.back() - vmax;
    cands.push_back(c);
    if (c.ticks.size() <= 3) break;  // 2 intervals: coarser makes no sense
  }
  std::stable_sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    if (std::abs(a.waste - b.waste) > 1e-9 * vmax) return a.waste < b.waste;
    return a.step > b.step;
  });
  bool placed = false;
  for (const auto& c : cands) {
    std::vector<std::string> text;
    std::vector<double> w;
    for (double t : c.ticks) {
      text.push_back(format_tick(t, c.step));
      w.push_back(m.measure(text.back(), tick_f, false).width);
    }
    L.panel.w = o.width_pt - margin - std::max(0.0, w.back() / 2 - L.inner_pad) - L.panel.x;
    if (L.panel.w < 72) throw InputError("Love plot: width_pt too small");
    L.x_hi = c.ticks.back();
    std::vector<double> pos;
    for (double t : c.ticks) pos.push_back(L.map_x(t));
    bool ok = true;
    for (std::size_t j = 1; j < pos.size(); ++j)
      if (pos[j] - pos[j - 1] < (w[j] + w[j - 1]) / 2 + gap) ok = false;
    if (!ok) continue;
    L.x_ticks = c.ticks;
    L.x_tick_pos = pos;
    for (std::size_t j = 0; j < pos.size(); ++j)
      L.x_tick_labels.push_back(place_text(m, text[j], pos[j],
                                           L.panel.bottom() + label_offset + tick_ext.ascent,
                                           tick_f, false, Align::Centre));
    placed = true;
    break;
  }
  if (!placed) throw InputError("Love plot: width_pt too small for the axis labels");

  // ---- rows, labels, legend.
  const TextExtent row_ext = m.measure("Hg", row_f, false);
  for (std::size_t i = 0; i < n; ++i) {
    const double y = L.panel.y + (i + 0.5) * pitch;
    L.row_y.push_back(y);
    L.row_labels.push_back(place_text(m, plot.covariates[i], L.panel.x - label_offset,
                                      y + (row_ext.ascent - row_ext.descent) / 2, row_f, false,
                                      Align::Right));
  }
  L.x_label = place_text_within(m, o.x_label, L.panel.centre_x(),
                                L.panel.bottom() + label_offset + tick_ext.ascent +
                                    tick_ext.descent + 0.5 * F + label_ext.ascent,
                                F, false, Align::Centre, margin, o.width_pt - margin);
  if (!L.title.empty())
    L.title[0] = place_text_within(m, o.title, L.panel.x, L.title[0].y, title_f, true,
                                   Align::Left, margin, o.width_pt - margin);

  // Legend: "o Before   * After", centred over the panel, outside it (points never hide it).
  const double key_d = 2 * L.point_radius, key_gap = 0.4 * F, entry_gap = 1.5 * F;
  const double wb = m.measure(o.before_label, F, false).width;
  const double wa = m.measure(o.after_label, F, false).width;
  const double total = key_d + key_gap + wb + entry_gap + key_d + key_gap + wa;
  double x = std::max(margin, L.panel.centre_x() - total / 2);
  if (x + total > o.width_pt - margin) x = std::max(margin, o.width_pt - margin - total);
  const double baseline = legend_top + label_ext.ascent;
  L.legend_key_y = baseline - (label_ext.ascent - label_ext.descent) / 2;
  L.legend = Rect{x, legend_top, total, label_ext.ascent + label_ext.descent};
  L.legend_key_x.push_back(x + L.point_radius);
  L.legend_labels.push_back(place_text(m, o.before_label, x + key_d + key_gap, baseline, F, false, Align::Left));
  x += key_d + key_gap + wb + entry_gap;
  L.legend_key_x.push_back(x + L.point_radius);
  L.legend_labels.push_back(place_text(m, o.after_label, x + key_d + key_gap, baseline, F, false, Align::Left));
  if (total > o.width_pt - 2 * margin) throw InputError("Love plot: legend labels too long for width_pt");
  return L;
}

}  // namespace survkit::figures
