# Sources of src/study (the study pipeline), listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/dates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expr.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spec_parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spec_prescan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/published_parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/published.cpp
  ${CMAKE_CURRENT_LIST_DIR}/derive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wording.cpp
  ${CMAKE_CURRENT_LIST_DIR}/analyses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ph_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/methods.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_paragraph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_numbers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matched_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/analysis_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reproduce_script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reproduce_helpers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_labels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_study.cpp
  ${CMAKE_CURRENT_LIST_DIR}/draft_profile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/draft_spec.cpp)
