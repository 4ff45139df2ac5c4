# Tests of the matching area: MatchIt 4.5.1 agreement (test_match, test_balance), the
# documented method against a brute-force oracle (test_match_oracle), the propensity
# score against R's glm (test_propensity), the radix sort against std::stable_sort.
survkit_add_test(test_matching
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_match.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_match_oracle.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_balance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_radix_order.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_pipeline_design.cpp)
