# Tests of the study report renderers (cli/render): HTML, CSV, Markdown, XLSX, JSON, the
# report folder, `survkit study` / `survkit demo` end to end, and report.html rendered in
# headless Chromium (skipped without it).
# The renderers live in the CLI, not in survkit_core, so their sources are compiled in.
survkit_add_test(test_report
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_browser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_cli.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/html.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/tables.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/json.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/xlsx.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/figures.cpp
  ${PROJECT_SOURCE_DIR}/cli/render/report_dir.cpp
  ${PROJECT_SOURCE_DIR}/cli/io.cpp
  ${PROJECT_SOURCE_DIR}/cli/output.cpp)
target_include_directories(test_report PRIVATE ${PROJECT_SOURCE_DIR}/cli)
add_dependencies(test_report survkit)  # the study/demo and browser tests run the binary
# cairo decodes the browser's screenshot (PkgConfig::CAIRO: see the top level).
target_link_libraries(test_report PRIVATE nlohmann_json::nlohmann_json PkgConfig::XLSXWRITER PkgConfig::CAIRO)
