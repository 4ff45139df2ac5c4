# Sources of src/survival/logrank, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/survdiff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logrank.cpp)
