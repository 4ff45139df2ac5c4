# Sources of src/text (formatting shared by the command line and the study report), listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/format.cpp)
