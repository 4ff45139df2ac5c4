# Tests of the report library (src/report: survkit/render.hpp): HTML, CSV, Markdown,
# XLSX, JSON, the report folder, `survkit study` / `survkit demo` end to end, and
# report.html rendered in headless Chromium (skipped without it).  The renderers are
# linked from survkit_report, the library the CLI links, not compiled again.
survkit_add_test(test_report
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_browser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_cli.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_numbers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/test_report_docx.cpp)
add_dependencies(test_report survkit)  # the study/demo and browser tests run the binary
# cairo decodes the browser's screenshot (PkgConfig::CAIRO: see the top level).
# libzip and pugixml re-read report.docx.
target_link_libraries(test_report PRIVATE survkit_report nlohmann_json::nlohmann_json PkgConfig::CAIRO
                      PkgConfig::LIBZIP PkgConfig::PUGIXML)
# report.docx from outside, on the demo and examples/colon: python-docx re-reads its
# tables and compares them with the CSV tables; LibreOffice lays it out as PDF and the
# pages are checked (not blank, no table cut off, the figures there).  The page check is
# skipped only when LibreOffice is missing (scripts/install-deps.sh --test installs it).
foreach(mode tables pages)
  add_test(NAME report_docx_${mode}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/report/docx_checks.sh ${mode} $<TARGET_FILE:survkit> ${PROJECT_SOURCE_DIR}/examples)
  set_tests_properties(report_docx_${mode} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
# tables.xlsx from outside, the same way: openpyxl re-reads every sheet (the flow, the
# study's tables, the published comparison) against the CSV tables and results.json.
add_test(NAME report_xlsx_tables
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/report/docx_checks.sh xlsx $<TARGET_FILE:survkit> ${PROJECT_SOURCE_DIR}/examples)
set_tests_properties(report_xlsx_tables PROPERTIES TIMEOUT 600)
