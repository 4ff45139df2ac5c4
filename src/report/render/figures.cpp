// Figure files (figures/<id>.svg, .png, .pdf): the same cairo drawing in three formats.
#include "survkit/render.hpp"

namespace survkit::render {

FigureFiles render_figure_files(const ReportFigure& figure) {
  FigureFiles files;
  if (figure.kind == ReportFigure::Kind::Km) {
    files.svg = render_km_plot(figure.km, FigureFormat::Svg);
    files.png = render_km_plot(figure.km, FigureFormat::Png);
    files.pdf = render_km_plot(figure.km, FigureFormat::Pdf);
  } else {
    files.svg = render_love_plot(figure.love, FigureFormat::Svg);
    files.png = render_love_plot(figure.love, FigureFormat::Png);
    files.pdf = render_love_plot(figure.love, FigureFormat::Pdf);
  }
  return files;
}

}  // namespace survkit::render
