# Sources of src/survival/common: what km and logrank share (the time sort, the input checks).
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/time_order.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate.cpp)
