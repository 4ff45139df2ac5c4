# Sources of src/regression/logistic, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/pivoted_qr.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logistic.cpp)
