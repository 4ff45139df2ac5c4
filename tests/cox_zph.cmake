# Tests of the proportional-hazards test (cox.zph).
survkit_add_test(test_cox_zph
  ${CMAKE_CURRENT_LIST_DIR}/cox_zph/test_cox_zph.cpp)
