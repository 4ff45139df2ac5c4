// Figure files (figures/<id>.svg, .png, .pdf): the same cairo drawing in three formats.
#include "survkit/render.hpp"

namespace survkit::render {

std::string render_figure(const ReportFigure& figure, FigureFormat format) {
  switch (figure.kind) {
    case ReportFigure::Kind::Km: return render_km_plot(figure.km, format);
    case ReportFigure::Kind::Love: return render_love_plot(figure.love, format);
    case ReportFigure::Kind::Zph: return render_zph_plot(figure.zph, format);
  }
  return {};
}

FigureFiles render_figure_files(const ReportFigure& figure) {
  FigureFiles files;
  files.svg = render_figure(figure, FigureFormat::Svg);
  files.png = render_figure(figure, FigureFormat::Png);
  files.pdf = render_figure(figure, FigureFormat::Pdf);
  return files;
}

}  // namespace survkit::render
