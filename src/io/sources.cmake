# Sources of the survkit_io library (see the top-level CMakeLists.txt): reading data
# files and writing result files atomically (survkit/io.hpp), listed explicitly.
set(SURVKIT_IO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/files.cpp)
