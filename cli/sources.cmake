# Sources of the command-line tool, listed explicitly: argument parsing, the per-command
# text / JSON output, and the calls into the libraries (report rendering lives in
# src/report, file I/O in src/io).
set(SURVKIT_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/large_pages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/km.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/logrank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/cox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/logistic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/crosstab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/match.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/study.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/init.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands/check_paper.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/demo.cmake)
