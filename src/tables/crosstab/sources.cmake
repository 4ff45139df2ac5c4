# Sources of src/tables/crosstab, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/crosstab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fisher_exact.cpp)
