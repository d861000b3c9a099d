// One version, written once (project(VERSION) in CMakeLists.txt): the macros, the string and
// what the library says it is all agree.
#include <gtest/gtest.h>

#include <string>

#include "snapstate/version.hpp"

namespace {

TEST(Version, TheHeadersAndTheLibraryAgree) {
  EXPECT_STREQ(snapstate::version(), SNAPSTATE_VERSION_STRING);
  EXPECT_EQ(std::string(SNAPSTATE_VERSION_STRING), std::to_string(SNAPSTATE_VERSION_MAJOR) + "." +
                                                       std::to_string(SNAPSTATE_VERSION_MINOR) +
                                                       "." +
                                                       std::to_string(SNAPSTATE_VERSION_PATCH));
  EXPECT_GE(SNAPSTATE_VERSION_MAJOR * 100 + SNAPSTATE_VERSION_MINOR, 101)
      << "1.1 added total_timeout, on_attempt and Checkpoint::expires_at";
}

}  // namespace
