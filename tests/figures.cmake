# Tests of the figures (src/report/figures, in survkit_report).  The pixel tests decode
# PNGs with cairo, hence the direct link to cairo (PkgConfig::CAIRO is created at the top
# level).
survkit_add_test(test_figures ${CMAKE_CURRENT_LIST_DIR}/figures/test_figures.cpp)
target_link_libraries(test_figures PRIVATE survkit_report PkgConfig::CAIRO)
