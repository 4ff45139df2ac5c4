# Tests of the published values and their consistency checks (survkit check-paper), and
# the study report's "Published vs reproduced" section.
survkit_add_test(test_paper
  ${CMAKE_CURRENT_LIST_DIR}/paper/test_printed.cpp
  ${CMAKE_CURRENT_LIST_DIR}/paper/test_paper_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/paper/test_published.cpp)
target_link_libraries(test_paper PRIVATE survkit_report)  # run_study draws the figures
target_compile_definitions(test_paper PRIVATE SURVKIT_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
# survkit check-paper end to end (runs the built binary).
survkit_add_test(test_check_paper_cli ${CMAKE_CURRENT_LIST_DIR}/paper/test_check_paper_cli.cpp)
add_dependencies(test_check_paper_cli survkit)
target_link_libraries(test_check_paper_cli PRIVATE nlohmann_json::nlohmann_json)
target_compile_definitions(test_check_paper_cli PRIVATE SURVKIT_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
