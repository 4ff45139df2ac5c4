survkit_add_test(test_stats ${CMAKE_CURRENT_LIST_DIR}/stats/test_distributions.cpp)
survkit_add_test(test_parallel ${CMAKE_CURRENT_LIST_DIR}/stats/test_parallel.cpp)
