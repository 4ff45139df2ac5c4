# Tests of the study pipeline (spec parsing, derivations, flow, tables, consistency
# with the core estimators).
survkit_add_test(test_study
  ${CMAKE_CURRENT_LIST_DIR}/study/test_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_derive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_run_study.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_analyses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_report_words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_report_issue8.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_ph_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/study/test_reproduce.cpp)
target_link_libraries(test_study PRIVATE survkit_report)  # the figures of the report are drawn
target_compile_definitions(test_study PRIVATE SURVKIT_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
# Hostile filters: bounded nesting, flat and/or chains (issue 12 section 3).
survkit_add_test(test_expr_limits ${CMAKE_CURRENT_LIST_DIR}/study/test_expr_limits.cpp)
# survkit init: the drafted spec (issue 9 section 3).
survkit_add_test(test_draft_spec ${CMAKE_CURRENT_LIST_DIR}/study/test_draft_spec.cpp)
add_dependencies(test_draft_spec survkit)
target_link_libraries(test_draft_spec PRIVATE survkit_report)
target_compile_definitions(test_draft_spec PRIVATE SURVKIT_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
