// Internal: cairo plumbing shared by the figures -- RAII handles, a canvas that renders
// into an in-memory SVG / PNG / PDF file, cairo text metrics and text drawing.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <cairo.h>

#include "report/figures/geometry.hpp"
#include "survkit/figure.hpp"

namespace survkit::figures {

/// The one font family of every figure (DejaVu Sans ships with fontconfig-based
/// systems; fontconfig substitutes the closest sans face when it is missing).
inline constexpr const char* kFontFamily = "DejaVu Sans";

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

/// Text metrics from cairo's toy font API, with hinted metrics switched off so that the
/// widths scale linearly with the font size and agree between the vector surfaces and
/// the (scaled) PNG surface.
class CairoTextMeasurer final : public TextMeasurer {
 public:
  CairoTextMeasurer();
  TextExtent measure(std::string_view text, double size_pt, bool bold) const override;

 private:
  SurfacePtr surface_;
  ContextPtr cr_;
};

/// A drawing target of width_pt x height_pt points whose bytes end up in a std::string.
/// PNG: an ARGB image of ceil(width_pt * dpi / 72) pixels, user space scaled to points.
/// Not copyable or movable: cairo's stream callback holds a pointer to `bytes_`.
class Canvas {
 public:
  Canvas(FigureFormat format, double width_pt, double height_pt, int png_dpi);
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_.get(); }
  /// Ends the drawing and returns the complete file; throws survkit::Error when cairo
  /// reports a failure.  The canvas is unusable afterwards.
  std::string finish();

 private:
  FigureFormat format_;
  std::string bytes_;
  SurfacePtr surface_;
  ContextPtr cr_;
};

void set_colour(cairo_t* cr, Rgb c, double alpha = 1.0);
void select_font(cairo_t* cr, double size, bool bold);
void draw_text(cairo_t* cr, const TextItem& item);

/// Adds to the current path the outward tick marks of panel `p`, `length` long: below
/// the bottom edge at each `x`, left of the left edge at each `y` (the caller strokes).
void add_axis_ticks(cairo_t* cr, const Rect& p, const std::vector<double>& x,
                    const std::vector<double>& y, double length);

}  // namespace survkit::figures
