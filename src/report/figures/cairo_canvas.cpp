#include "report/figures/cairo_canvas.hpp"

#include <cmath>
#include <numbers>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "survkit/common.hpp"

namespace survkit::figures {
namespace {

struct FontOptionsDeleter {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};

/// Same font options on every context: unhinted metrics (see CairoTextMeasurer).
void apply_font_options(cairo_t* cr) {
  std::unique_ptr<cairo_font_options_t, FontOptionsDeleter> opts(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(opts.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(opts.get(), CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, opts.get());
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(std::string("cairo failed (") + what + "): " + cairo_status_to_string(status));
}

}  // namespace

CairoTextMeasurer::CairoTextMeasurer()
    : surface_(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)),
      cr_(cairo_create(surface_.get())) {
  check(cairo_status(cr_.get()), "measuring context");
  apply_font_options(cr_.get());
}

TextExtent CairoTextMeasurer::measure(std::string_view text, double size_pt, bool bold) const {
  select_font(cr_.get(), size_pt, bold);
  const std::string s(text);  // cairo wants a NUL-terminated UTF-8 string
  cairo_text_extents_t te;
  cairo_text_extents(cr_.get(), s.c_str(), &te);
  cairo_font_extents_t fe;
  cairo_font_extents(cr_.get(), &fe);
  return TextExtent{te.x_advance, fe.ascent, fe.descent};
}

Canvas::Canvas(FigureFormat format, double width_pt, double height_pt, int png_dpi)
    : format_(format) {
  switch (format) {
    case FigureFormat::Svg:
      surface_.reset(cairo_svg_surface_create_for_stream(append_to_string, &bytes_, width_pt,
                                                         height_pt));
      cairo_svg_surface_set_document_unit(surface_.get(), CAIRO_SVG_UNIT_PT);
      break;
    case FigureFormat::Pdf:
      surface_.reset(cairo_pdf_surface_create_for_stream(append_to_string, &bytes_, width_pt,
                                                         height_pt));
      break;
    case FigureFormat::Png: {
      if (png_dpi < 36 || png_dpi > 2400) throw InputError("png_dpi must be in [36, 2400]");
      // (pt * dpi) / 72, not pt * (dpi / 72): 432 pt at 300 dpi is exactly 1800 px, and the
      // slack keeps a last-bit excess from adding a pixel column.
      auto pixels = [&](double pt) {
        return static_cast<int>(std::ceil(pt * png_dpi / 72.0 - 1e-9));
      };
      surface_.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixels(width_pt),
                                                pixels(height_pt)));
      break;
    }
  }
  check(cairo_surface_status(surface_.get()), "surface");
  cr_.reset(cairo_create(surface_.get()));
  check(cairo_status(cr_.get()), "context");
  if (format == FigureFormat::Png) cairo_scale(cr_.get(), png_dpi / 72.0, png_dpi / 72.0);
  apply_font_options(cr_.get());
  // An opaque white page: PNG would otherwise be transparent.
  cairo_set_source_rgb(cr_.get(), 1, 1, 1);
  cairo_paint(cr_.get());
}

std::string Canvas::finish() {
  check(cairo_status(cr_.get()), "drawing");
  cr_.reset();
  if (format_ == FigureFormat::Png) {
    cairo_surface_flush(surface_.get());
    check(cairo_surface_write_to_png_stream(surface_.get(), append_to_string, &bytes_),
          "png encoding");
  } else {
    cairo_surface_finish(surface_.get());  // flushes the whole document into bytes_
    check(cairo_surface_status(surface_.get()), "finishing the document");
  }
  surface_.reset();
  return std::move(bytes_);
}

void set_colour(cairo_t* cr, Rgb c, double alpha) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void select_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

void draw_text(cairo_t* cr, const TextItem& item) {
  if (item.text.empty()) return;
  set_colour(cr, item.colour);
  select_font(cr, item.size, item.bold);
  cairo_save(cr);
  if (item.rotated) {
    // Reads upwards; the anchor is the centre of the baseline (see TextItem).
    cairo_translate(cr, item.x, item.y);
    cairo_rotate(cr, -std::numbers::pi / 2);
    cairo_move_to(cr, -item.box.h / 2, 0);
  } else {
    cairo_move_to(cr, item.box.x, item.y);
  }
  cairo_show_text(cr, item.text.c_str());
  cairo_restore(cr);
}

void add_axis_ticks(cairo_t* cr, const Rect& p, const std::vector<double>& x,
                    const std::vector<double>& y, double length) {
  for (double xi : x) {
    cairo_move_to(cr, xi, p.bottom());
    cairo_line_to(cr, xi, p.bottom() + length);
  }
  for (double yi : y) {
    cairo_move_to(cr, p.x, yi);
    cairo_line_to(cr, p.x - length, yi);
  }
}

}  // namespace survkit::figures
