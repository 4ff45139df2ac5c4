// Internal: the pure (cairo-free) vocabulary of figure layouts.
//
// All coordinates are in points (1/72 in), origin top-left, y growing downwards, as in
// cairo's user space.  A layout is computed once from the options and the text metrics,
// then drawn; tests check the layout directly, so every positioned piece of text is a
// TextItem whose bounding box is known.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace survkit::figures {

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  double centre_x() const { return x + w / 2; }
  /// True when `r` lies inside this rectangle (edges may touch).
  bool contains(const Rect& r, double eps = 1e-9) const {
    return r.x >= x - eps && r.y >= y - eps && r.right() <= right() + eps &&
           r.bottom() <= bottom() + eps;
  }
  /// True when the interiors overlap (touching edges do not count).
  bool intersects(const Rect& r) const {
    return r.x < right() && x < r.right() && r.y < bottom() && y < r.bottom();
  }
};

struct Rgb {
  double r = 0, g = 0, b = 0;
};

/// Okabe & Ito's colour-blind-safe palette, without yellow (too pale on white).
inline constexpr std::array<Rgb, 7> kOkabeIto = {{
    {0.000, 0.447, 0.698},  // blue        #0072B2
    {0.835, 0.369, 0.000},  // vermillion  #D55E00
    {0.000, 0.620, 0.451},  // green       #009E73
    {0.800, 0.475, 0.655},  // purple      #CC79A7
    {0.902, 0.624, 0.000},  // orange      #E69F00
    {0.337, 0.706, 0.914},  // sky blue    #56B4E9
    {0.000, 0.000, 0.000},  // black
}};

/// Dash patterns (on/off lengths in pt) paired with the palette so
/// that curves stay distinguishable in grayscale print.  Empty = solid.
inline const std::vector<std::vector<double>>& dash_patterns() {
  static const std::vector<std::vector<double>> kDashes = {
      {}, {6.0, 3.0}, {1.5, 2.0}, {6.0, 2.0, 1.5, 2.0}, {10.0, 3.0}, {3.0, 3.0}, {10.0, 2.0, 2.0, 2.0}};
  return kDashes;
}

inline Rgb series_colour(std::size_t i) { return kOkabeIto[i % kOkabeIto.size()]; }
inline const std::vector<double>& series_dash(std::size_t i) {
  return dash_patterns()[i % dash_patterns().size()];
}

/// Metrics of one line of text at a given size: advance width and the font's ascent and
/// descent (font-wide, not ink, so that lines of one size share a baseline grid).
struct TextExtent {
  double width = 0, ascent = 0, descent = 0;
};

/// Measures text; the renderer uses cairo's, tests may substitute a deterministic one.
class TextMeasurer {
 public:
  virtual ~TextMeasurer() = default;
  virtual TextExtent measure(std::string_view text, double size_pt, bool bold) const = 0;
};

enum class Align { Left, Centre, Right };

/// One positioned line of text.  (x, y) is the anchor on the baseline: left end, centre
/// or right end according to `align`.  For rotated text (angle = -90 degrees, reading
/// upwards) the anchor is the centre of the baseline.  `box` is the bounding box.
struct TextItem {
  std::string text;
  double x = 0, y = 0;
  double size = 10;
  bool bold = false;
  Align align = Align::Left;
  bool rotated = false;
  Rgb colour{};
  Rect box;
};

/// Places one line of text, filling `box` from the measured extent.
TextItem place_text(const TextMeasurer& m, std::string text, double x, double y, double size,
                    bool bold, Align align, Rgb colour = {});

/// Reserves a figure's title line at the top: appends the bold, left-aligned `title`
/// to `out` with its baseline below `top`, and returns the top of what follows (a gap of
/// 0.6 `font_pt` under it).  An empty title adds nothing and returns `top`.  The x
/// position is settled later (place_text_within), once the panel is known.
double place_title(const TextMeasurer& m, const std::string& title, double top, double size,
                   double font_pt, std::vector<TextItem>& out);

/// As place_text, but keeps the line within [lo, hi] horizontally: first by sliding it
/// (so a centred title stays as centred as the page allows), then by shrinking the font
/// down to `min_size`.  Throws InputError when even that does not fit.
TextItem place_text_within(const TextMeasurer& m, std::string text, double x, double y,
                           double size, bool bold, Align align, double lo, double hi,
                           double min_size = 6.0, Rgb colour = {});

/// Places one line of text rotated to read upwards, anchored at the centre of its
/// baseline (x, y); the glyphs lie left of the baseline (x - ascent .. x + descent).
TextItem place_rotated_text(const TextMeasurer& m, std::string text, double x, double y,
                            double size, bool bold, Rgb colour = {});

/// Splits on '\n' (annotation text).
std::vector<std::string> split_lines(std::string_view text);

/// A 1-2-5 step: the smallest of {1, 2, 5} x 10^k that is >= raw (raw > 0).
double nice_step_at_least(double raw);

/// The next larger 1-2-5 step after `step`.
double next_nice_step(double step);

/// Multiples of `step` from 0 up to the first one >= hi (hi > 0).  Multiples are computed
/// as i * step, never by accumulation, so that 0.1 * 3 style drift does not build up.
std::vector<double> ticks_covering(double hi, double step);

/// Multiples of `step` from 0 up to hi inclusive (with a relative slack for rounding).
std::vector<double> ticks_within(double hi, double step);

/// Tick label text: the shortest fixed-point form that shows `step`'s decimals.
std::string format_tick(double value, double step);

}  // namespace survkit::figures
