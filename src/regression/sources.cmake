# The regression area: one folder per method, each listing its own sources.
include(${CMAKE_CURRENT_LIST_DIR}/logistic/sources.cmake)
