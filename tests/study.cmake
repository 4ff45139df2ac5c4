# Tests of the study pipeline (spec parsing, derivations, flow, tables, consistency
# with the core estimators).
survkit_add_test(test_study
  ${CMAKE_CURRENT_LIST_DIR}/study/test_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_derive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_run_study.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_analyses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_report_words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_reproduce.cpp)
target_link_libraries(test_study PRIVATE survkit_report)  # the figures of the report are drawn
target_compile_definitions(test_study PRIVATE SURVKIT_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
# Hostile filters: bounded nesting, flat and/or chains (issue 12 section 3).
survkit_add_test(test_expr_limits ${CMAKE_CURRENT_LIST_DIR}/study/test_expr_limits.cpp)
