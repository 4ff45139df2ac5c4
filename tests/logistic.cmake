# Tests of the logistic area.
survkit_add_test(test_logistic ${CMAKE_CURRENT_LIST_DIR}/logistic/test_logistic.cpp)
survkit_add_test(test_pivoted_qr ${CMAKE_CURRENT_LIST_DIR}/logistic/test_pivoted_qr.cpp)
survkit_add_test(test_logistic_extremes ${CMAKE_CURRENT_LIST_DIR}/logistic/test_logistic_extremes.cpp)
