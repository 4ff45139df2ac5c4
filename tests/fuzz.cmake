# Seeded fuzz test of the command line (issue 12 section 7): generated hostile CSV files,
# command lines and study specs run through the built binary; every exit code must be a
# documented one (tests/fuzz/test_fuzz.cpp).  A failing case keeps its files in
# fuzz-work/ under this build folder.
survkit_add_test(test_fuzz
  ${CMAKE_CURRENT_LIST_DIR}/fuzz/test_fuzz.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_gen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_spec.cpp)
add_dependencies(test_fuzz survkit)
target_compile_definitions(test_fuzz PRIVATE SURVKIT_FUZZ_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/fuzz-work")
