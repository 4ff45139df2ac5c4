# Tests of the shared text layer: enum name tables and formatting.
survkit_add_test(test_text ${CMAKE_CURRENT_LIST_DIR}/text/test_text.cpp)
