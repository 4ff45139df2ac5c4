# Tests of the report library (src/report: survkit/render.hpp): HTML, CSV, Markdown,
# XLSX, JSON, the report folder, `survkit study` / `survkit demo` end to end, and
# report.html rendered in headless Chromium (skipped without it).  The renderers are
# linked from survkit_report, the library the CLI links, not compiled again.
survkit_add_test(test_report
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_browser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_cli.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_numbers.cpp)
add_dependencies(test_report survkit)  # the study/demo and browser tests run the binary
# cairo decodes the browser's screenshot (PkgConfig::CAIRO: see the top level).
target_link_libraries(test_report PRIVATE survkit_report nlohmann_json::nlohmann_json PkgConfig::CAIRO)
