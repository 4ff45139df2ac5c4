# Tests of the figures (report area).  The pixel tests decode PNGs with cairo, hence the
# direct link to cairo (PkgConfig::CAIRO is created at the top level, see src/report).
survkit_add_test(test_figures ${CMAKE_CURRENT_LIST_DIR}/figures/test_figures.cpp)
target_link_libraries(test_figures PRIVATE PkgConfig::CAIRO)
