// Tests of the figures (report area): tick arithmetic, the KM and Love layouts (geometry is
// checked, not just "non-empty"), the three file formats, and the pixels of a rendered PNG.
//
// Tolerances: layout coordinates are sums and products of a handful of doubles in points,
// so "exactly equal" positions are compared to 1e-9 pt (1e-9 pt = 3.5e-13 mm; the actual
// round-off is ~1e-13 pt).  Pixel tests sample the centre of lines several pixels wide, so
// they need no tolerance on position; colours are compared to 0.1 per channel because
// anti-aliasing and PNG's 8-bit quantisation blur edges but not line centres.
#include <gtest/gtest.h>

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <survkit/figure.hpp>

#include "report/figures/cairo_canvas.hpp"
#include "report/figures/geometry.hpp"
#include "report/figures/km_layout.hpp"
#include "report/figures/love_layout.hpp"
#include "report/figures/zph_layout.hpp"

namespace {

using namespace survkit;
using namespace survkit::figures;

constexpr double kPosTol = 1e-9;  // pt; see the header comment

/// Deterministic metrics: every code point is half an em wide.  Makes the layout
/// arithmetic checkable by hand, independent of the installed fonts.
class FixedMeasurer final : public TextMeasurer {
 public:
  TextExtent measure(std::string_view text, double size, bool) const override {
    std::size_t cps = 0;
    for (unsigned char c : text) cps += (c & 0xC0) != 0x80;  // count UTF-8 lead bytes
    return TextExtent{0.5 * size * static_cast<double>(cps), 0.8 * size, 0.2 * size};
  }
};

/// A curve of n patients with one event every `gap` months (survival (n-k)/n after the
/// k-th), a censoring half-way between some events and the survivors censored at `end`.
KmCurve synthetic_curve(std::string label, int n, double gap, double end) {
  KmCurve c;
  c.label = std::move(label);
  double s = 1;
  int at_risk = n;
  for (double t = gap; t <= end && at_risk > 1; t += gap) {
    s *= (at_risk - 1.0) / at_risk;
    --at_risk;
    c.time.push_back(t);
    c.survival.push_back(s);
    c.lower.push_back(std::max(0.0, s - 0.1));
    c.upper.push_back(std::min(1.0, s + 0.1));
    if (static_cast<int>(t / gap) % 3 == 0) {
      c.time.push_back(t + gap / 2);
      c.survival.push_back(s);
      c.lower.push_back(std::max(0.0, s - 0.1));
      c.upper.push_back(std::min(1.0, s + 0.1));
      c.censor_time.push_back(t + gap / 2);
      c.censor_survival.push_back(s);
      --at_risk;
    }
  }
  // Administrative censoring of the survivors at the end of follow-up.
  c.time.push_back(end);
  c.survival.push_back(s);
  c.lower.push_back(std::max(0.0, s - 0.1));
  c.upper.push_back(std::min(1.0, s + 0.1));
  c.censor_time.push_back(end);
  c.censor_survival.push_back(s);
  return c;
}

/// Two groups (~40 and ~80 patients) over about 90 months, with a filled risk table.
KmPlot realistic_plot() {
  KmPlot p;
  p.curves = {synthetic_curve("Local therapy", 40, 2.5, 91), synthetic_curve("Chemotherapy", 80, 1.2, 88)};
  p.options.ci_bands = true;
  p.options.annotation = "Log-rank P < 0.001\nHR 3.30 (95% CI 1.19\u20139.17)";
  p.risk.ticks = km_plot_ticks(p);
  for (std::size_t i = 0; i < p.curves.size(); ++i) {
    std::vector<double> row;
    for (double t : p.risk.ticks) row.push_back(std::max(0.0, 80.0 / (i + 1) - t));
    p.risk.n_at_risk.push_back(row);
  }
  return p;
}

double data_max(const KmPlot& p) {
  double hi = 0;
  for (const auto& c : p.curves) hi = std::max(hi, c.time.back());
  return hi;
}

bool is_nice_step(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-12));
  const double m = step / mag;
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

void expect_no_text_overlap(const std::vector<const TextItem*>& items) {
  for (std::size_t i = 0; i < items.size(); ++i)
    for (std::size_t j = i + 1; j < items.size(); ++j) {
      if (items[i]->text.empty() || items[j]->text.empty()) continue;
      EXPECT_FALSE(items[i]->box.intersects(items[j]->box))
          << "'" << items[i]->text << "' overlaps '" << items[j]->text << "'";
    }
}

void expect_all_inside(const Rect& canvas, const std::vector<const TextItem*>& items) {
  for (const auto* t : items)
    EXPECT_TRUE(canvas.contains(t->box)) << "'" << t->text << "' leaves the page";
}

// ---------------------------------------------------------------- tick arithmetic

TEST(FigureTicks, NiceStepsByHand) {
  EXPECT_DOUBLE_EQ(nice_step_at_least(9.0), 10.0);
  EXPECT_DOUBLE_EQ(nice_step_at_least(10.0), 10.0);
  EXPECT_DOUBLE_EQ(nice_step_at_least(11.0), 20.0);
  EXPECT_DOUBLE_EQ(nice_step_at_least(15.0), 20.0);
  EXPECT_DOUBLE_EQ(nice_step_at_least(21.0), 50.0);
  EXPECT_DOUBLE_EQ(nice_step_at_least(0.3), 0.5);
  EXPECT_DOUBLE_EQ(nice_step_at_least(60.0 / 3.0), 20.0);  // a division's round-off stays at 20
  EXPECT_DOUBLE_EQ(next_nice_step(10.0), 20.0);
  EXPECT_DOUBLE_EQ(next_nice_step(20.0), 50.0);
  EXPECT_DOUBLE_EQ(next_nice_step(50.0), 100.0);
}

TEST(FigureTicks, CoveringAndWithin) {
  EXPECT_EQ(ticks_covering(90, 20), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(ticks_covering(80, 20), (std::vector<double>{0, 20, 40, 60, 80}));
  EXPECT_EQ(ticks_within(90, 20), (std::vector<double>{0, 20, 40, 60, 80}));
  // i * step, not accumulation: the 3rd tick of 0.1 is 3 * 0.1 exactly as computed.
  const auto t = ticks_covering(0.3, 0.1);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[3], 3 * 0.1);
}

TEST(FigureTicks, LabelsShowTheStepsDecimals) {
  EXPECT_EQ(format_tick(20, 20), "20");
  EXPECT_EQ(format_tick(0.5, 0.25), "0.50");
  EXPECT_EQ(format_tick(3 * 0.1, 0.1), "0.3");
  EXPECT_EQ(format_tick(2.5, 2.5), "2.5");
}

// ---------------------------------------------------------------- KM layout

TEST(KmLayout, HandCheckedWithFixedMetrics) {
  // One curve to 50 months, explicit ticks 0..50 by 10: the risk numbers must sit exactly
  // under the ticks, and the ticks must be equally spaced: pos[j] = x0 + j/5 * panel width.
  KmPlot p;
  p.curves = {KmCurve{"A", {10, 20, 50}, {5.0 / 6.0, 5.0 / 6.0 * 3.0 / 4.0, 0}, {}, {}, {}, {}}};
  p.risk.ticks = {0, 10, 20, 30, 40, 50};
  p.risk.n_at_risk = {{6, 6, 4, 3, 3, 1}};
  const FixedMeasurer m;
  const KmLayout L = layout_km_plot(p, m);
  ASSERT_EQ(L.x_ticks, p.risk.ticks);
  EXPECT_DOUBLE_EQ(L.x_hi, 50.0);
  for (std::size_t j = 0; j < 6; ++j) {
    EXPECT_NEAR(L.x_tick_pos[j], L.panel.x + j / 5.0 * L.panel.w, kPosTol);
    EXPECT_NEAR(L.risk_numbers[0][j].box.centre_x(), L.x_tick_pos[j], kPosTol);
    EXPECT_NEAR(L.x_tick_labels[j].box.centre_x(), L.x_tick_pos[j], kPosTol);
  }
  // "6" at 9 pt is 4.5 pt wide in FixedMeasurer: its box is [pos - 2.25, pos + 2.25].
  EXPECT_NEAR(L.risk_numbers[0][0].box.w, 0.5 * 0.9 * 10, kPosTol);
  EXPECT_NEAR(L.risk_numbers[0][0].box.x, L.x_tick_pos[0] - 2.25, kPosTol);
  // The y axis: survival 1 at the panel top, 0 at its bottom, 0.25 steps in between.
  EXPECT_NEAR(L.y_tick_pos.front(), L.panel.bottom(), kPosTol);
  EXPECT_NEAR(L.y_tick_pos.back(), L.panel.y, kPosTol);
  EXPECT_NEAR(L.map_y(5.0 / 6.0 * 3.0 / 4.0), L.panel.bottom() - 0.625 * L.panel.h, kPosTol);
  EXPECT_EQ(L.y_tick_labels[2].text, "0.50");
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
}

TEST(KmLayout, RealisticPlotGeometry) {
  const KmPlot p = realistic_plot();
  const CairoTextMeasurer m;
  const KmLayout L = layout_km_plot(p, m);

  // Ticks: a 1-2-5 step from 0, covering the data (~90 months) with the first tick past it.
  const double hi = data_max(p);
  ASSERT_GT(hi, 80.0);
  ASSERT_GE(L.x_ticks.size(), 5u);
  const double step = L.x_ticks[1] - L.x_ticks[0];
  EXPECT_EQ(L.x_ticks.front(), 0.0);
  EXPECT_TRUE(is_nice_step(step)) << step;
  EXPECT_GE(L.x_ticks.back(), hi);
  EXPECT_LT(L.x_ticks.back() - step, hi);
  EXPECT_EQ(L.x_hi, L.x_ticks.back());
  EXPECT_EQ(L.x_ticks, p.risk.ticks);  // what km_plot_ticks promised is what is drawn

  // Risk table: one row per curve, each number centred on its tick, labels left of them.
  ASSERT_EQ(L.risk_numbers.size(), 2u);
  ASSERT_EQ(L.risk_labels.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(L.risk_numbers[i].size(), L.x_ticks.size());
    for (std::size_t j = 0; j < L.x_ticks.size(); ++j) {
      EXPECT_NEAR(L.risk_numbers[i][j].box.centre_x(), L.x_tick_pos[j], kPosTol);
      EXPECT_NEAR(L.x_tick_pos[j], L.map_x(L.x_ticks[j]), kPosTol);
    }
    EXPECT_LT(L.risk_labels[i].box.right(), L.risk_numbers[i][0].box.x);
    EXPECT_GT(L.risk_labels[i].box.y, L.x_label.box.bottom());  // the table is below the axis
    EXPECT_EQ(L.risk_labels[i].text, p.curves[i].label);
  }
  EXPECT_EQ(L.risk_numbers[0][0].text, "80");
  EXPECT_EQ(L.risk_numbers[1][0].text, "40");
  ASSERT_EQ(L.risk_title.size(), 1u);
  EXPECT_EQ(L.risk_title[0].text, "Number at risk");

  // Legend and annotation: inside the panel, apart from each other; the legend is top-right.
  ASSERT_TRUE(L.has_legend);
  ASSERT_TRUE(L.has_annotation);
  EXPECT_TRUE(L.panel.contains(L.legend));
  EXPECT_TRUE(L.panel.contains(L.annotation));
  EXPECT_FALSE(L.legend.intersects(L.annotation));
  EXPECT_GT(L.legend.centre_x(), L.panel.centre_x());
  EXPECT_LT(L.legend.y + L.legend.h / 2, L.panel.y + L.panel.h / 2);
  EXPECT_EQ(L.annotation_lines.size(), 2u);
  for (const auto& t : L.legend_labels) EXPECT_TRUE(L.legend.contains(t.box));
  for (const auto& t : L.annotation_lines) EXPECT_TRUE(L.annotation.contains(t.box));
  for (const auto& k : L.legend_keys) {
    EXPECT_GE(k.x0, L.legend.x);
    EXPECT_LE(k.x1, L.legend.right());
  }
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
}

TEST(KmLayout, ExplicitStepAndXMax) {
  KmPlot p = realistic_plot();
  p.risk = {};
  p.options.risk_table = false;
  p.options.x_tick_step = 12;
  const CairoTextMeasurer m;
  KmLayout L = layout_km_plot(p, m);
  // 12-month ticks covering the data: 0, 12, ..., the first multiple of 12 >= the last time.
  const double last = 12 * std::ceil(data_max(p) / 12);
  ASSERT_EQ(L.x_ticks.size(), static_cast<std::size_t>(last / 12) + 1);
  EXPECT_EQ(L.x_ticks.back(), last);
  EXPECT_EQ(L.x_hi, last);
  EXPECT_TRUE(L.risk_numbers.empty());

  // x_max cuts the axis at 60: ticks stay within it and the axis ends there.
  p.options.x_max = 60;
  L = layout_km_plot(p, m);
  EXPECT_EQ(L.x_ticks, (std::vector<double>{0, 12, 24, 36, 48, 60}));
  EXPECT_EQ(L.x_hi, 60.0);
  EXPECT_NEAR(L.x_tick_pos.back(), L.panel.right(), kPosTol);

  // Automatic ticks with x_max = 65: a nice step whose ticks end at or before 65.
  p.options.x_tick_step = NA;
  p.options.x_max = 65;
  L = layout_km_plot(p, m);
  EXPECT_EQ(L.x_hi, 65.0);
  EXPECT_LE(L.x_ticks.back(), 65.0);
  EXPECT_TRUE(is_nice_step(L.x_ticks[1]));
  expect_no_text_overlap(L.all_text());
}

TEST(KmLayout, LongLabelsShrinkButStayInside) {
  KmPlot p = realistic_plot();
  p.curves[0].label = "Local intervention plus chemotherapy (n = 40)";
  const CairoTextMeasurer m;
  const KmLayout L = layout_km_plot(p, m);
  EXPECT_LT(L.legend_labels[0].size, 0.9 * p.options.font_size_pt);  // shrunk
  EXPECT_GE(L.legend_labels[0].size, 6.0);
  EXPECT_TRUE(L.panel.contains(L.legend));
  EXPECT_FALSE(L.legend.intersects(L.annotation));
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());

  // A label that cannot fit even at 6 pt is refused, not drawn over the curves.
  p.curves[0].label = std::string(400, 'x');
  EXPECT_THROW(layout_km_plot(p, m), InputError);
}

TEST(KmLayout, SmallFigureStillClean) {
  KmPlot p = realistic_plot();
  p.options.width_pt = 300;
  p.options.height_pt = 260;
  p.options.title = "B. Overall survival after propensity-score matching";
  p.options.y_percent = true;
  p.risk.ticks = km_plot_ticks(p);
  for (auto& row : p.risk.n_at_risk) row.assign(p.risk.ticks.size(), 24);
  const CairoTextMeasurer m;
  const KmLayout L = layout_km_plot(p, m);
  EXPECT_EQ(L.y_tick_labels.back().text, "100%");
  for (std::size_t j = 0; j < L.x_ticks.size(); ++j)
    EXPECT_NEAR(L.risk_numbers[1][j].box.centre_x(), L.x_tick_pos[j], kPosTol);
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
}

TEST(KmLayout, RejectsInconsistentInput) {
  const CairoTextMeasurer m;
  KmPlot p = realistic_plot();
  p.curves[0].survival.pop_back();
  EXPECT_THROW(layout_km_plot(p, m), InputError);

  p = realistic_plot();
  std::swap(p.curves[0].time[0], p.curves[0].time[1]);  // unsorted
  EXPECT_THROW(layout_km_plot(p, m), InputError);

  p = realistic_plot();
  p.risk.n_at_risk[1].pop_back();
  EXPECT_THROW(layout_km_plot(p, m), InputError);

  p = realistic_plot();
  p.risk = {};  // risk table requested but not filled
  EXPECT_THROW(layout_km_plot(p, m), InputError);

  p = realistic_plot();
  p.risk.ticks = {0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12,
                  0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25,
                  0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38,
                  0.39, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48, 0.49, 0.5, 0.51,
                  0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, 0.64};
  p.risk.n_at_risk.assign(2, std::vector<double>(p.risk.ticks.size(), 100));
  EXPECT_THROW(layout_km_plot(p, m), InputError);  // 65 crowded ticks cannot be labelled

  p = realistic_plot();
  p.options.height_pt = 120;
  EXPECT_THROW(layout_km_plot(p, m), InputError);
}

TEST(KmLayout, FractionalCountsAndNa) {
  KmPlot p = realistic_plot();
  p.risk.n_at_risk[0][1] = 23.5;  // a matching-weighted number at risk
  p.risk.n_at_risk[1][1] = NA;
  const CairoTextMeasurer m;
  const KmLayout L = layout_km_plot(p, m);
  EXPECT_EQ(L.risk_numbers[0][1].text, "23.5");
  EXPECT_EQ(L.risk_numbers[1][1].text, "");
  EXPECT_NEAR(L.risk_numbers[0][1].box.centre_x(), L.x_tick_pos[1], kPosTol);
}

// ---------------------------------------------------------------- file formats

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

TEST(KmRender, EachFormatIsAValidFile) {
  const KmPlot p = realistic_plot();
  const std::string svg = render_km_plot(p, FigureFormat::Svg);
  EXPECT_TRUE(svg.starts_with("<?xml"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("width=\"504pt\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"432pt\""), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));

  const std::string png = render_km_plot(p, FigureFormat::Png);
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(be32(png, 16), 2100u);  // 504 pt * 300 dpi / 72
  EXPECT_EQ(be32(png, 20), 1800u);  // 432 pt * 300 dpi / 72

  const std::string pdf = render_km_plot(p, FigureFormat::Pdf);
  EXPECT_TRUE(pdf.starts_with("%PDF-"));
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 504 432 ]"), std::string::npos);
}

// ---------------------------------------------------------------- pixels of a PNG

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

struct PngReader {
  const std::string* bytes;
  std::size_t at = 0;
  static cairo_status_t read(void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<PngReader*>(closure);
    if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->bytes->data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
  }
};

/// The decoded image; pixel(x_pt, y_pt) returns the RGB (0..1) at a point in pt.
class Decoded {
 public:
  Decoded(const std::string& png, double scale) : scale_(scale) {
    PngReader r{&png};
    surface_.reset(cairo_image_surface_create_from_png_stream(PngReader::read, &r));
    EXPECT_EQ(cairo_surface_status(surface_.get()), CAIRO_STATUS_SUCCESS);
  }
  Rgb pixel(double x_pt, double y_pt) const {
    cairo_surface_flush(surface_.get());
    const int x = static_cast<int>(x_pt * scale_), y = static_cast<int>(y_pt * scale_);
    const unsigned char* row = cairo_image_surface_get_data(surface_.get()) +
                               y * cairo_image_surface_get_stride(surface_.get());
    std::uint32_t v;
    std::memcpy(&v, row + 4 * x, 4);  // native-endian ARGB32, opaque (white page)
    return Rgb{((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
  }

 private:
  double scale_;
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface_;
};

void expect_colour(Rgb got, Rgb want, const char* where) {
  EXPECT_NEAR(got.r, want.r, 0.1) << where;
  EXPECT_NEAR(got.g, want.g, 0.1) << where;
  EXPECT_NEAR(got.b, want.b, 0.1) << where;
}

TEST(KmRender, PixelsFollowTheStepFunction) {
  // S = 1 until 50 months, then 0.4 until 100; a band [0.2, 0.6] after 50.
  KmPlot p;
  p.curves = {KmCurve{"", {50, 100}, {0.4, 0.4}, {0.2, 0.2}, {0.6, 0.6}, {}, {}}};
  p.options.risk_table = false;
  p.options.ci_bands = true;
  p.options.png_dpi = 144;  // 2 px per pt: the 1.3 pt curve is ~2.6 px wide
  const CairoTextMeasurer m;
  const KmLayout L = layout_km_plot(p, m);
  const Decoded img(render_km_plot(p, FigureFormat::Png), 2.0);
  const Rgb blue = series_colour(0), white{1, 1, 1};
  expect_colour(img.pixel(L.map_x(25), L.map_y(1.0)), blue, "horizontal at S = 1");
  expect_colour(img.pixel(L.map_x(50), L.map_y(0.7)), blue, "vertical drop at t = 50");
  expect_colour(img.pixel(L.map_x(75), L.map_y(0.4)), blue, "horizontal at S = 0.4");
  expect_colour(img.pixel(L.map_x(25), L.map_y(0.4)), white, "no curve before the drop");
  expect_colour(img.pixel(L.map_x(25), L.map_y(0.7)), white, "no band before the drop");
  // Inside the band: a light tint of the curve's colour (alpha 0.16 over white).
  const Rgb band = img.pixel(L.map_x(75), L.map_y(0.3));
  expect_colour(band, Rgb{1 - 0.16 * (1 - blue.r), 1 - 0.16 * (1 - blue.g), 1 - 0.16 * (1 - blue.b)},
                "band tint");
  expect_colour(img.pixel(L.map_x(75), L.map_y(0.7)), white, "above the band");
  expect_colour(img.pixel(L.panel.x, L.map_y(0.5)), Rgb{0, 0, 0}, "y axis");
}

// ---------------------------------------------------------------- Love plot

LovePlot example_love() {
  LovePlot l;
  l.covariates = {"Age > 60 years", "Bilateral lung metastases", "Extrapulmonary metastasis",
                  "CEA > 5 ng/mL", "CA19-9 > 37 U/mL"};
  l.smd_before = {0.62, -0.81, 0.55, 0.47, 0.39};  // the sign is dropped: |SMD| is plotted
  l.smd_after = {0.05, 0.0, -0.09, 0.04, NA};
  return l;
}

TEST(LoveLayout, Geometry) {
  const LovePlot l = example_love();
  const CairoTextMeasurer m;
  const LoveLayout L = layout_love_plot(l, m);
  // Ticks from 0 by a 1-2-5 step, covering the largest |SMD| (0.81) and the threshold.
  EXPECT_EQ(L.x_ticks.front(), 0.0);
  EXPECT_TRUE(is_nice_step(L.x_ticks[1] - L.x_ticks[0]));
  EXPECT_GE(L.x_hi, 0.81);
  EXPECT_GT(L.map_x(0.81), L.panel.x);
  EXPECT_LT(L.map_x(0.81) + L.point_radius, L.panel.right());
  EXPECT_GT(L.map_x(0.0) - L.point_radius, L.panel.x);  // dots at 0 are whole
  for (std::size_t j = 0; j < L.x_ticks.size(); ++j)
    EXPECT_NEAR(L.x_tick_labels[j].box.centre_x(), L.map_x(L.x_ticks[j]), kPosTol);
  // One row per covariate, top to bottom in order, evenly spaced, labels centred on rows.
  ASSERT_EQ(L.row_y.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(L.row_y[i], L.panel.y + (i + 0.5) * L.panel.h / 5, kPosTol);
    EXPECT_EQ(L.row_labels[i].text, l.covariates[i]);
    EXPECT_LT(L.row_labels[i].box.right(), L.panel.x);
    EXPECT_NEAR(L.row_labels[i].box.y + L.row_labels[i].box.h / 2, L.row_y[i], 0.5);  // ascent/descent asymmetry < 0.5 pt
  }
  // Legend above the panel, both entries inside the page.
  EXPECT_LE(L.legend.bottom(), L.panel.y);
  EXPECT_TRUE(L.canvas.contains(L.legend));
  EXPECT_LT(L.legend_key_x[0], L.legend_labels[0].box.x);
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
}

TEST(LoveLayout, HeightGrowsWithCovariates) {
  LovePlot l = example_love();
  const CairoTextMeasurer m;
  const double h5 = layout_love_plot(l, m).canvas.h;
  l.covariates.push_back("Male sex");
  l.smd_before.push_back(0.1);
  l.smd_after.push_back(0.1);
  const double h6 = layout_love_plot(l, m).canvas.h;
  EXPECT_NEAR(h6 - h5, 1.9 * l.options.font_size_pt, kPosTol);  // one row pitch
  l.smd_after.pop_back();
  EXPECT_THROW(layout_love_plot(l, m), InputError);
}

TEST(LoveRender, EachFormatIsAValidFile) {
  const LovePlot l = example_love();
  const std::string svg = render_love_plot(l, FigureFormat::Svg);
  EXPECT_TRUE(svg.starts_with("<?xml"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  const std::string png = render_love_plot(l, FigureFormat::Png);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(be32(png, 16), 1800u);  // 432 pt at 300 dpi
  EXPECT_TRUE(render_love_plot(l, FigureFormat::Pdf).starts_with("%PDF-"));

  // Pixels: the filled "after" dot is solid blue at its centre; the open "before" ring is
  // white inside and vermillion on the ring.
  LovePlot small = l;
  small.options.png_dpi = 144;
  const CairoTextMeasurer m;
  const LoveLayout L = layout_love_plot(small, m);
  const Decoded img(render_love_plot(small, FigureFormat::Png), 2.0);
  expect_colour(img.pixel(L.map_x(0.05), L.row_y[0]), kOkabeIto[0], "after dot");
  expect_colour(img.pixel(L.map_x(0.62), L.row_y[0]), Rgb{1, 1, 1}, "inside the before ring");
  expect_colour(img.pixel(L.map_x(0.62) + L.point_radius, L.row_y[0]), kOkabeIto[1], "before ring");
}

}  // namespace

// The annotation goes to the corner that hides least of the curves.  Curve B drops to
// 0.05 at once and runs along the bottom to t = 40, under the bottom-left corner; the
// bottom right (t > 40) is free.  With the curve at the bottom right instead, the
// annotation stays bottom-left (ties and free space keep the default corner).
TEST(KmLayout, AnnotationAvoidsTheCurves) {
  const FixedMeasurer m;
  KmPlot p;
  p.curves = {KmCurve{"A", {90, 100}, {0.9, 0.9}, {}, {}, {}, {}},
              KmCurve{"B", {1, 40}, {0.05, 0.05}, {}, {}, {}, {}}};
  p.options.annotation = "Log-rank P < 0.001\nHR 3.30";
  p.options.risk_table = false;
  KmLayout L = layout_km_plot(p, m);
  ASSERT_TRUE(L.has_annotation);
  EXPECT_GT(L.annotation.x, L.panel.centre_x());                  // bottom right
  EXPECT_GT(L.annotation.y, L.panel.y + L.panel.h / 2);           // in the lower half
  EXPECT_LE((L.annotation.x - L.panel.x) / L.panel.w * L.x_hi, 100.0);
  // Its box holds no point of curve B.
  EXPECT_GT((L.annotation.x - L.panel.x) / L.panel.w * L.x_hi, 40.0);

  p.curves[1] = KmCurve{"B", {1, 60, 100}, {1.0, 0.05, 0.05}, {}, {}, {}, {}};  // along the top, then bottom right
  L = layout_km_plot(p, m);
  EXPECT_LT(L.annotation.x, L.panel.centre_x());  // bottom left
}

// ------------------------------------------------------------ natural time ticks (issue 8 §8)

TEST(KmTimeTicks, NaturalStepsByUnitAndRange) {
  // Months: 6, 12 or 24 by range (at most 8 intervals of 6 or 12, 10 of 24); longer
  // follow-up steps to 5 and 10 years.
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 30).front(), 6.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 48).front(), 6.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 60).front(), 12.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 96).front(), 12.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 19 * 12).front(), 24.0);  // was 50 with the 1-2-5 rule
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 300).front(), 60.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Months, 60), (std::vector<double>{12, 24}));  // coarser fallbacks, >= 3 intervals
  // Years: 1, 2 or 5.
  EXPECT_EQ(natural_time_steps(TimeUnit::Years, 5).front(), 1.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Years, 12).front(), 2.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Years, 19).front(), 5.0);
  // Days: 90, 180, 365 or 730.
  EXPECT_EQ(natural_time_steps(TimeUnit::Days, 500).front(), 90.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Days, 1000).front(), 180.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Days, 3000).front(), 365.0);
  EXPECT_EQ(natural_time_steps(TimeUnit::Days, 6000).front(), 730.0);
  // Too short for two of the smallest steps: the 1-2-5 rule decides.
  EXPECT_TRUE(natural_time_steps(TimeUnit::Months, 10).empty());
  EXPECT_TRUE(natural_time_steps(TimeUnit::Years, 1.5).empty());
  EXPECT_TRUE(natural_time_steps(TimeUnit::Days, 120).empty());
}

/// A plot of two curves over [0, end] with the risk table filled at its own ticks.
static KmPlot plot_over(double end, std::optional<TimeUnit> unit) {
  KmPlot p;
  p.curves = {synthetic_curve("Local therapy", 40, end / 37, end), synthetic_curve("Chemotherapy", 80, end / 75, end * 0.97)};
  p.options.time_unit = unit;
  p.risk.ticks = km_plot_ticks(p);
  for (std::size_t i = 0; i < p.curves.size(); ++i) {
    std::vector<double> row;
    for (double t : p.risk.ticks) row.push_back(std::max(0.0, std::round(80.0 / (i + 1) * (1 - t / (1.1 * end)))));
    p.risk.n_at_risk.push_back(row);
  }
  return p;
}

TEST(KmTimeTicks, NineteenYearsInMonthsTicksEveryTwoYears) {
  const CairoTextMeasurer m;
  const KmPlot p = plot_over(228, TimeUnit::Months);
  const KmLayout L = layout_km_plot(p, m);
  std::vector<double> want;
  for (double t = 0; t <= 240; t += 24) want.push_back(t);
  EXPECT_EQ(L.x_ticks, want);
  EXPECT_EQ(L.x_hi, 240.0);            // the axis ends on a tick
  EXPECT_EQ(L.x_ticks, p.risk.ticks);  // and the number-at-risk columns follow the ticks
  for (const auto& row : L.risk_numbers) ASSERT_EQ(row.size(), want.size());
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
  // Without the unit, the 1-2-5 rule: what the study drew before (every 50 months).
  const KmLayout G = layout_km_plot(plot_over(228, std::nullopt), m);
  EXPECT_EQ(G.x_ticks[1] - G.x_ticks[0], 50.0);
}

TEST(KmTimeTicks, YearsAndDaysAndAnExplicitStep) {
  const CairoTextMeasurer m;
  KmLayout L = layout_km_plot(plot_over(7.3, TimeUnit::Years), m);
  EXPECT_EQ(L.x_ticks, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(L.x_hi, 8.0);
  L = layout_km_plot(plot_over(1300, TimeUnit::Days), m);
  EXPECT_EQ(L.x_ticks, (std::vector<double>{0, 180, 360, 540, 720, 900, 1080, 1260, 1440}));
  EXPECT_EQ(L.x_hi, 1440.0);
  // The spec's time_breaks (x_tick_step) wins over the natural step.
  KmPlot p = plot_over(100, TimeUnit::Months);
  p.options.x_tick_step = 20;
  p.risk = {};
  p.options.risk_table = false;
  L = layout_km_plot(p, m);
  EXPECT_EQ(L.x_ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(L.x_hi, 100.0);
}
// ---------------------------------------------------------------- Schoenfeld residual plot

namespace {

/// 60 residuals on a km-like scale [0, 0.9] around a declining smooth, with R-style time
/// ticks (8 positions, labels in months).
ZphPlot example_zph() {
  ZphPlot p;
  for (int i = 0; i < 60; ++i) {
    const double x = 0.015 * i;
    p.x.push_back(x);
    p.y.push_back(1.5 - 2 * x + ((i % 3) - 1) * 2.5);
  }
  for (int k = 0; k < 40; ++k) {
    const double x = 0.885 * k / 39;
    p.fit_x.push_back(x);
    p.fit.push_back(1.5 - 2 * x);
    p.lower.push_back(1.5 - 2 * x - 0.8 - x);
    p.upper.push_back(1.5 - 2 * x + 0.8 + x);
  }
  const double at[] = {0.05, 0.16, 0.27, 0.38, 0.49, 0.6, 0.71, 0.82};
  const char* lab[] = {"0.77", "3.3", "7.2", "10", "21", "34", "41", "62"};
  for (int k = 0; k < 8; ++k) {
    p.x_ticks.push_back(at[k]);
    p.x_tick_labels.push_back(lab[k]);
  }
  p.options.x_label = "Time (months), on the Kaplan\u2013Meier scale";
  p.options.y_label = "Beta(t) for Karnofsky performance score";
  p.options.reference = 0.3;
  return p;
}

}  // namespace

TEST(ZphLayout, Geometry) {
  const ZphPlot p = example_zph();
  const CairoTextMeasurer m;
  const ZphLayout L = layout_zph_plot(p, m);
  // Every residual, the smooth, the band and the reference line lie inside the panel.
  for (std::size_t i = 0; i < p.x.size(); ++i) {
    EXPECT_GT(L.map_x(p.x[i]), L.panel.x);
    EXPECT_LT(L.map_x(p.x[i]), L.panel.right());
    EXPECT_GT(L.map_y(p.y[i]), L.panel.y);
    EXPECT_LT(L.map_y(p.y[i]), L.panel.bottom());
  }
  for (std::size_t k = 0; k < p.fit_x.size(); ++k)
    for (double v : {p.fit[k], p.lower[k], p.upper[k]}) {
      EXPECT_GT(L.map_y(v), L.panel.y);
      EXPECT_LT(L.map_y(v), L.panel.bottom());
    }
  // The data range plus 4% each side (R's xaxs = "r").
  EXPECT_NEAR(L.x_lo, -0.04 * 0.885, 1e-12);
  EXPECT_NEAR(L.x_hi, 0.885 * 1.04, 1e-12);
  // The given x ticks, labels centred on them; y ticks on a 1-2-5 grid, labels centred on them.
  ASSERT_EQ(L.x_tick_labels.size(), 8u);
  for (std::size_t k = 0; k < 8; ++k) {
    EXPECT_EQ(L.x_tick_labels[k].text, p.x_tick_labels[k]);
    EXPECT_NEAR(L.x_tick_labels[k].box.centre_x(), L.map_x(p.x_ticks[k]), kPosTol);
    EXPECT_NEAR(L.x_tick_pos[k], L.map_x(p.x_ticks[k]), kPosTol);
  }
  ASSERT_GE(L.y_ticks.size(), 3u);
  EXPECT_TRUE(is_nice_step(L.y_ticks[1] - L.y_ticks[0]));
  for (std::size_t k = 0; k < L.y_ticks.size(); ++k) {
    EXPECT_GE(L.y_ticks[k], L.y_lo);
    EXPECT_LE(L.y_ticks[k], L.y_hi);
    EXPECT_LT(L.y_tick_labels[k].box.right(), L.panel.x);
    EXPECT_NEAR(L.y_tick_labels[k].box.y + L.y_tick_labels[k].box.h / 2, L.y_tick_pos[k], 0.5);
  }
  // The y label reads upwards left of the tick labels, centred on the panel.
  EXPECT_TRUE(L.y_label.rotated);
  for (const auto& t : L.y_tick_labels) EXPECT_LT(L.y_label.box.right(), t.box.x);
  EXPECT_NEAR(L.y_label.box.y + L.y_label.box.h / 2, L.panel.y + L.panel.h / 2, kPosTol);
  EXPECT_GT(L.x_label.box.y, L.x_tick_labels[0].box.bottom());
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
}

TEST(ZphLayout, CrowdedTicksAreThinnedAndSmallFiguresStayClean) {
  ZphPlot p = example_zph();
  p.options.width_pt = 200;
  p.options.height_pt = 240;
  p.options.title = "Scaled Schoenfeld residuals";
  const FixedMeasurer m;
  const ZphLayout L = layout_zph_plot(p, m);
  // 8 labels do not fit 200 pt side by side: every second (or fourth) one is kept.
  ASSERT_LT(L.x_tick_labels.size(), 8u);
  ASSERT_GE(L.x_tick_labels.size(), 2u);
  EXPECT_EQ(L.x_tick_labels[0].text, "0.77");
  EXPECT_EQ(L.x_tick_labels[1].text, p.x_tick_labels[8 / L.x_tick_labels.size()]);  // stride 2 or 4
  EXPECT_LT(L.y_label.size, p.options.font_size_pt);  // the long y label shrank to the panel height
  EXPECT_LE(L.y_label.box.h, L.panel.h + kPosTol);
  expect_no_text_overlap(L.all_text());
  expect_all_inside(L.canvas, L.all_text());
  // Automatic ticks (identity scale): 1-2-5 multiples inside the range.
  p.x_ticks.clear();
  p.x_tick_labels.clear();
  const ZphLayout A = layout_zph_plot(p, m);
  ASSERT_GE(A.x_tick_labels.size(), 2u);
  expect_no_text_overlap(A.all_text());
  expect_all_inside(A.canvas, A.all_text());
}

TEST(ZphLayout, RejectsInconsistentInput) {
  const FixedMeasurer m;
  ZphPlot p = example_zph();
  p.y.pop_back();
  EXPECT_THROW(layout_zph_plot(p, m), InputError);
  p = example_zph();
  p.upper.pop_back();
  EXPECT_THROW(layout_zph_plot(p, m), InputError);
  p = example_zph();
  std::swap(p.x_ticks[0], p.x_ticks[1]);
  EXPECT_THROW(layout_zph_plot(p, m), InputError);
  p = example_zph();
  p.y[3] = NA;
  EXPECT_THROW(layout_zph_plot(p, m), InputError);
  p = example_zph();
  p.options.height_pt = 60;
  EXPECT_THROW(layout_zph_plot(p, m), InputError);
}

TEST(ZphRender, EachFormatAndThePixelsOfTheSmooth) {
  ZphPlot p = example_zph();
  EXPECT_TRUE(render_zph_plot(p, FigureFormat::Svg).starts_with("<?xml"));
  EXPECT_TRUE(render_zph_plot(p, FigureFormat::Pdf).starts_with("%PDF-"));
  const std::string png = render_zph_plot(p, FigureFormat::Png);
  EXPECT_EQ(be32(png, 16), 2100u);  // 504 pt at 300 dpi
  // The smooth is drawn in blue at its middle point.
  p.options.png_dpi = 144;
  p.x.clear();
  p.y.clear();
  p.x.push_back(0.0);
  p.y.push_back(1.5);
  const CairoTextMeasurer m;
  const ZphLayout L = layout_zph_plot(p, m);
  const Decoded img(render_zph_plot(p, FigureFormat::Png), 2.0);
  expect_colour(img.pixel(L.map_x(p.fit_x[20]), L.map_y(p.fit[20])), kOkabeIto[0], "smooth");
  expect_colour(img.pixel(L.map_x(p.fit_x[20]), L.map_y(p.fit[20] + 0.4)), Rgb{1, 1, 1}, "between smooth and band");
}

