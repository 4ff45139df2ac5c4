# Tests of the matching area.
survkit_add_test(test_matching
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_match.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching/test_balance.cpp)
