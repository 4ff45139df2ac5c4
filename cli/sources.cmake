# Sources of the command-line tool, listed explicitly.
set(SURVKIT_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
