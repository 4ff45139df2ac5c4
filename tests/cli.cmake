# End-to-end tests of the survkit command line: they run the built binary.
survkit_add_test(test_cli ${CMAKE_CURRENT_LIST_DIR}/cli/test_cli.cpp)
add_dependencies(test_cli survkit)
target_link_libraries(test_cli PRIVATE nlohmann_json::nlohmann_json)
# Hardening (issue 12 §2 §4 §6): safe output files (also concurrent runs), invalid UTF-8,
# command-line messages, TOML nesting; runs the binary and calls survkit_io directly.
survkit_add_test(test_cli_hardening ${CMAKE_CURRENT_LIST_DIR}/cli/test_hardening.cpp)
add_dependencies(test_cli_hardening survkit)
target_link_libraries(test_cli_hardening PRIVATE survkit_io nlohmann_json::nlohmann_json)
