# Tests of the proportional-hazards test (cox.zph): the core, and survkit cox --zph.
survkit_add_test(test_cox_zph
  ${CMAKE_CURRENT_LIST_DIR}/cox_zph/test_cox_zph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cox_zph/test_cox_zph_cli.cpp)
add_dependencies(test_cox_zph survkit)
target_link_libraries(test_cox_zph PRIVATE nlohmann_json::nlohmann_json)
