#include "report/figures/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "survkit/common.hpp"

namespace survkit::figures {

TextItem place_text(const TextMeasurer& m, std::string text, double x, double y, double size,
                    bool bold, Align align, Rgb colour) {
  TextItem item;
  const TextExtent e = m.measure(text, size, bold);
  item.text = std::move(text);
  item.x = x;
  item.y = y;
  item.size = size;
  item.bold = bold;
  item.align = align;
  item.colour = colour;
  double left = x;
  if (align == Align::Centre) left = x - e.width / 2;
  if (align == Align::Right) left = x - e.width;
  item.box = Rect{left, y - e.ascent, e.width, e.ascent + e.descent};
  return item;
}

double place_title(const TextMeasurer& m, const std::string& title, double top, double size,
                   double font_pt, std::vector<TextItem>& out) {
  if (title.empty()) return top;
  const TextExtent te = m.measure(title, size, true);
  out.push_back(place_text(m, title, 0, top + te.ascent, size, true, Align::Left));
  return top + te.ascent + te.descent + 0.6 * font_pt;
}

TextItem place_text_within(const TextMeasurer& m, std::string text, double x, double y,
                           double size, bool bold, Align align, double lo, double hi,
                           double min_size, Rgb colour) {
  double f = size;
  while (m.measure(text, f, bold).width > hi - lo) {
    if (f <= min_size) throw InputError("figure: the text '" + text + "' does not fit the page width");
    f = std::max(min_size, f * 0.92);
  }
  TextItem item = place_text(m, std::move(text), x, y, f, bold, align, colour);
  double shift = 0;
  if (item.box.x < lo) shift = lo - item.box.x;
  if (item.box.right() > hi) shift = hi - item.box.right();
  item.x += shift;
  item.box.x += shift;
  return item;
}

TextItem place_rotated_text(const TextMeasurer& m, std::string text, double x, double y,
                            double size, bool bold, Rgb colour) {
  TextItem item = place_text(m, std::move(text), x, y, size, bold, Align::Centre, colour);
  const TextExtent e = m.measure(item.text, size, bold);
  item.rotated = true;
  item.box = Rect{x - e.ascent, y - e.width / 2, e.ascent + e.descent, e.width};
  return item;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  if (text.empty()) return lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    lines.emplace_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

double nice_step_at_least(double raw) {
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    // The relative slack keeps raw = 20.000000000000004 (from a division) at 20.
    if (m * mag >= raw * (1 - 1e-12)) return m * mag;
  }
  return 10 * mag;
}

double next_nice_step(double step) { return nice_step_at_least(step * 1.5); }

std::vector<double> ticks_covering(double hi, double step) {
  std::vector<double> ticks;
  for (long i = 0;; ++i) {
    const double t = static_cast<double>(i) * step;
    ticks.push_back(t);
    if (t >= hi * (1 - 1e-12)) break;
  }
  return ticks;
}

std::vector<double> ticks_within(double hi, double step) {
  std::vector<double> ticks;
  for (long i = 0;; ++i) {
    const double t = static_cast<double>(i) * step;
    if (t > hi * (1 + 1e-12)) break;
    ticks.push_back(t);
  }
  return ticks;
}

std::string format_tick(double value, double step) {
  int decimals = 0;
  while (decimals < 6) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, scaled)) break;
    ++decimals;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace survkit::figures
