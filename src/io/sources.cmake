# Sources of the survkit_io library (see the top-level CMakeLists.txt): reading data
# files (CSV; SPSS, Stata and SAS through ReadStat; Excel .xlsx through libzip and
# pugixml) and writing result files atomically (survkit/io.hpp), listed explicitly.
set(SURVKIT_IO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/load.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../data/readstat/stat_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../data/xlsx/zip_entry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../data/xlsx/workbook.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../data/xlsx/sheet.cpp)
