# Sources of the report area (figures drawn with cairo), listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/figures/geometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/cairo_canvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/km_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/km_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/love_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures/love_plot.cpp)
