# End-to-end tests of the survkit command line: they run the built binary.
survkit_add_test(test_cli ${CMAKE_CURRENT_LIST_DIR}/cli/test_cli.cpp)
add_dependencies(test_cli survkit)
target_link_libraries(test_cli PRIVATE nlohmann_json::nlohmann_json)
