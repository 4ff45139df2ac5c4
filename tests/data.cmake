# Tests of the data area: CSV parser, model frame, and the datasets in tests/data against R.
survkit_add_test(test_data
  ${CMAKE_CURRENT_LIST_DIR}/data_layer/test_csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_layer/test_frame.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_layer/test_datasets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_layer/test_number.cpp)
