# Sources of the command-line tool, listed explicitly.
set(SURVKIT_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/io.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/km.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/logrank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/cox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/logistic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/crosstab.cpp)
