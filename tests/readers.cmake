# Tests of the data-file readers (SPSS, Stata, SAS, Excel): they read files, so they link
# the I/O library as well as the core (and the report library, whose zip writer builds
# the hand-made workbooks of the XML-variant tests).
survkit_add_test(test_readers ${CMAKE_CURRENT_LIST_DIR}/data_layer/test_readers.cpp)
target_link_libraries(test_readers PRIVATE survkit_io survkit_report)

# Every command and the study on every format, through the built binary.
survkit_add_test(test_formats ${CMAKE_CURRENT_LIST_DIR}/cli/test_formats.cpp)
add_dependencies(test_formats survkit)
target_compile_definitions(test_formats PRIVATE SURVKIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
