#include "report/figures/flow_diagram.hpp"

#include <algorithm>

#include "report/figures/cairo_canvas.hpp"
#include "survkit/common.hpp"

namespace survkit::figures {

namespace {

constexpr double kMargin = 6;     // around the drawing
constexpr double kPad = 6;        // inside a box
constexpr double kGap = 12;       // between consecutive side boxes along the trunk
constexpr double kArrow = 6;      // arrowhead length
constexpr double kLineWidth = 0.9;

// Words of `text` greedily packed into lines no wider than `width`.
std::vector<std::string> wrap(const TextMeasurer& m, const std::string& text, double size, double width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (m.measure(word, size, false).width > width)
      throw InputError("the patient flow diagram cannot fit the word '" + word + "' into its box");
    const std::string joined = line.empty() ? word : line + " " + word;
    if (!line.empty() && m.measure(joined, size, false).width > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = joined;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

struct PlacedBox {
  Rect rect;
  std::vector<TextItem> text;
};

// A box at (x, y) of width w holding the wrapped text and the bold count line.
PlacedBox place_box(const TextMeasurer& m, const FlowBox& box, double x, double y, double w, double size,
                    bool centre) {
  const TextExtent e = m.measure("n", size, false);
  const double line_h = (e.ascent + e.descent) * 1.15;
  std::vector<std::pair<std::string, bool>> lines;
  for (auto& l : wrap(m, box.text, size, w - 2 * kPad)) lines.emplace_back(std::move(l), false);
  if (!box.count.empty()) lines.emplace_back(box.count, true);
  PlacedBox out;
  out.rect = {x, y, w, 2 * kPad + line_h * static_cast<double>(lines.size())};
  double baseline = y + kPad + e.ascent;
  for (const auto& [text, bold] : lines) {
    const double tx = centre ? x + w / 2 : x + kPad;
    out.text.push_back(place_text(m, text, tx, baseline, size, bold, centre ? Align::Centre : Align::Left));
    baseline += line_h;
  }
  return out;
}

void arrowhead(cairo_t* cr, double x, double y, bool down) {
  cairo_move_to(cr, x, y);
  if (down) {
    cairo_line_to(cr, x - kArrow / 2, y - kArrow);
    cairo_line_to(cr, x + kArrow / 2, y - kArrow);
  } else {  // pointing right
    cairo_line_to(cr, x - kArrow, y - kArrow / 2);
    cairo_line_to(cr, x - kArrow, y + kArrow / 2);
  }
  cairo_close_path(cr);
  cairo_fill(cr);
}

}  // namespace

std::string render_flow_diagram(const FlowDiagram& d, FigureFormat format) {
  const CairoTextMeasurer m;
  const double inner = d.width_pt - 2 * kMargin;
  const double main_w = inner * 0.42, side_x = kMargin + inner * 0.50, side_w = inner * 0.50;
  const double trunk_x = kMargin + main_w / 2;

  std::vector<PlacedBox> boxes;  // the main boxes and, between them, the side boxes
  std::vector<bool> side;        // per box: a side (exclusion) box
  const auto add = [&](PlacedBox b, bool is_side) {
    boxes.push_back(std::move(b));
    side.push_back(is_side);
  };
  add(place_box(m, d.top, kMargin, kMargin, main_w, d.font_size_pt, true), false);
  for (const auto& stage : d.stages) {
    double y = boxes.back().rect.bottom() + kGap;
    for (const auto& step : stage.excluded) {
      add(place_box(m, step, side_x, y, side_w, d.font_size_pt, false), true);
      y = boxes.back().rect.bottom() + kGap;
    }
    add(place_box(m, stage.bottom, kMargin, y + kArrow, main_w, d.font_size_pt, true), false);
  }
  const double height = boxes.back().rect.bottom() + kMargin;

  Canvas canvas(format, d.width_pt, height, d.png_dpi);
  cairo_t* cr = canvas.cr();
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, kLineWidth);
  // The trunk, from each main box to the arrowhead on the next one, and a branch to
  // each exclusion box.
  const Rect* above = nullptr;  // the last main box
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const Rect& r = boxes[i].rect;
    if (side[i]) {
      cairo_move_to(cr, trunk_x, r.y + r.h / 2);
      cairo_line_to(cr, r.x - kArrow, r.y + r.h / 2);
      continue;
    }
    if (above != nullptr) {
      cairo_move_to(cr, trunk_x, above->bottom());
      cairo_line_to(cr, trunk_x, r.y - kArrow);
    }
    above = &r;
  }
  for (const auto& b : boxes) cairo_rectangle(cr, b.rect.x, b.rect.y, b.rect.w, b.rect.h);
  cairo_stroke(cr);
  for (std::size_t i = 1; i < boxes.size(); ++i) {
    const Rect& r = boxes[i].rect;
    if (side[i])
      arrowhead(cr, r.x, r.y + r.h / 2, false);
    else
      arrowhead(cr, trunk_x, r.y, true);
  }
  for (const auto& b : boxes)
    for (const auto& t : b.text) draw_text(cr, t);
  return canvas.finish();
}

}  // namespace survkit::figures
