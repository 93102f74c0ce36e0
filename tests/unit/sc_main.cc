// GoogleTest entry point inside SystemC's sc_main.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Models report through SC_REPORT_*: warnings print, errors throw (and fail the test).
  return RUN_ALL_TESTS();
}
