# Sources of src/survival/cox, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cox_cholesky.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox_likelihood.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox_concordance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fit_cox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox_zph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox_zph_plot.cpp)
