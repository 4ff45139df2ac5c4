# Tests of the cox area.
survkit_add_test(test_cox
  ${CMAKE_CURRENT_LIST_DIR}/cox/test_cox_likelihood.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox/test_cox_fit.cpp)
survkit_add_test(test_cox_extremes ${CMAKE_CURRENT_LIST_DIR}/cox/test_cox_extremes.cpp)
