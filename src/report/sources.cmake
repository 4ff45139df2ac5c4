# Sources of the report area, listed explicitly: the survkit_report library (see the
# top-level CMakeLists.txt), which turns a StudyReport (survkit/report.hpp) into files.
#   figures/  KM, Love and Schoenfeld-residual plots drawn with cairo (survkit/figure.hpp),
#             the patient flow diagram of report.docx
#   render/   HTML page, CSV / Markdown tables, results.json, tables.xlsx,
#             report.docx (ooxml_package: the zip/XML container), figure files
#             and the report folder (survkit/render.hpp)
set(SURVKIT_REPORT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/figures/geometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/cairo_canvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/km_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/km_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/love_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/love_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/flow_diagram.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/zph_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/zph_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/figures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/html.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/paper_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/xlsx.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/ooxml_package.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/docx.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render/report_dir.cpp)
