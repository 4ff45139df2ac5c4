# Tests of the crosstab area.
survkit_add_test(test_crosstab ${CMAKE_CURRENT_LIST_DIR}/crosstab/test_crosstab.cpp)
survkit_add_test(test_fisher_bounds ${CMAKE_CURRENT_LIST_DIR}/crosstab/test_fisher_bounds.cpp)
