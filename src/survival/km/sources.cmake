# Sources of src/survival/km, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/km_curve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/km.cpp
  ${CMAKE_CURRENT_LIST_DIR}/km_quantile.cpp)
