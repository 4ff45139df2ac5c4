# Tests of the km area: Kaplan-Meier (test_km) and log-rank / G-rho (test_logrank).
survkit_add_test(test_km ${CMAKE_CURRENT_LIST_DIR}/km/test_km.cpp ${CMAKE_CURRENT_LIST_DIR}/km/test_km_quantile.cpp)
survkit_add_test(test_logrank ${CMAKE_CURRENT_LIST_DIR}/km/test_logrank.cpp)
# The one sort of the survival kernels against std::stable_sort (test_time_order).
survkit_add_test(test_time_order ${CMAKE_CURRENT_LIST_DIR}/km/test_time_order.cpp)
