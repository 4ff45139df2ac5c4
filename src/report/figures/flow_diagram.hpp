// Internal to survkit_report: the patient flow (CONSORT-style) diagram as a picture, for
// report.docx (report.html draws its own with CSS).  A box for the records read, then per
// stage one box per exclusion step to the right of a vertical trunk, each reached by an
// arrow from the trunk, and a box for the patients left at the end of the trunk (the
// analysed ones; with matching, a second stage ends at the patients eligible for
// matching).  Drawn with cairo in the figures' font; box texts wrap at word boundaries.
#pragma once

#include <string>
#include <vector>

#include "survkit/figure.hpp"

namespace survkit::figures {

struct FlowBox {
  std::string text;  ///< wrapped to the box width
  std::string count; ///< the bold last line, e.g. "n = 127"
};

/// A stretch of the trunk: its exclusion boxes, then the box it ends at.
struct FlowStage {
  std::vector<FlowBox> excluded;  ///< one per step, in order
  FlowBox bottom;                 ///< e.g. analysed
};

struct FlowDiagram {
  FlowBox top;                    ///< records read
  std::vector<FlowStage> stages;  ///< in order
  double width_pt = 432;
  double font_size_pt = 9.5;
  int png_dpi = 300;
};

/// The diagram as a file in `format`.  Throws InputError when a word does not fit a box.
std::string render_flow_diagram(const FlowDiagram& diagram, FigureFormat format);

}  // namespace survkit::figures
