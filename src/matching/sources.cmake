# Sources of src/matching, listed explicitly.
list(APPEND SURVKIT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/r_random.cpp
  ${CMAKE_CURRENT_LIST_DIR}/radix_order.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nearest/nn_kernel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nearest/nearest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/balance/balance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/propensity/propensity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pipeline/run_matching.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pipeline/matched_csv.cpp)
