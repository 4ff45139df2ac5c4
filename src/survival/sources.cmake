# The survival area: one folder per method, each listing its own sources, and common/
# for what the methods share.
include(${CMAKE_CURRENT_LIST_DIR}/common/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/km/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/logrank/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/cox/sources.cmake)
