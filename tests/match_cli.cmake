# End-to-end tests of `survkit match` and of survival analyses on its matched file.
survkit_add_test(test_match_cli ${CMAKE_CURRENT_LIST_DIR}/match_cli/test_match_cli.cpp)
add_dependencies(test_match_cli survkit)
