# The contingency-table area: one folder per method, each listing its own sources.
include(${CMAKE_CURRENT_LIST_DIR}/crosstab/sources.cmake)
