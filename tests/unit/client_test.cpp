// SnapStateClient's construction: the options it refuses (std::invalid_argument), the
// Python-shaped constructor, and ClientOptions::from_env.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>

#include "fake_transport.hpp"
#include "snapstate/client.hpp"

namespace {

using snapstate::detail::ClientImpl;

// ---- constructor ----------------------------------------------------------------------------

snapstate::ClientOptions base_options() {
  snapstate::ClientOptions o;
  o.api_key = "snp_key";
  o.base_url = "http://localhost:3000";
  return o;
}

TEST(Constructor, RefusesBadOptionsWithInvalidArgument) {
  const auto refuses = [](const std::function<void(snapstate::ClientOptions&)>& change) {
    auto o = base_options();
    change(o);
    EXPECT_THROW(snapstate::SnapStateClient{o}, std::invalid_argument);
  };
  refuses([](auto& o) { o.api_key = ""; });
  refuses([](auto& o) { o.api_key = "snp_key\r\nX-Evil: 1"; });
  refuses([](auto& o) { o.api_key = "snp_key\n"; });
  refuses([](auto& o) { o.api_key = std::string("snp\0key", 7); });
  refuses([](auto& o) { o.user_agent = "agent\r\n"; });
  refuses([](auto& o) { o.base_url = ""; });
  refuses([](auto& o) { o.base_url = "localhost:3000"; });
  refuses([](auto& o) { o.base_url = "ftp://localhost"; });
  refuses([](auto& o) { o.base_url = "file:///etc/passwd"; });
  refuses([](auto& o) { o.base_url = "http://"; });
  refuses([](auto& o) { o.base_url = "https:///"; });
  refuses([](auto& o) { o.base_url = "http://host name"; });
  refuses([](auto& o) { o.base_url = "http://host/?q=1"; });
  refuses([](auto& o) { o.timeout = std::chrono::milliseconds(-1); });
  refuses([](auto& o) { o.max_retry_wait = std::chrono::milliseconds(-1); });
  // libcurl reads 0 as "no timeout": every wait must have a bound.
  refuses([](auto& o) { o.timeout = std::chrono::milliseconds(0); });
  refuses([](auto& o) { o.connect_timeout = std::chrono::milliseconds(0); });
  refuses([](auto& o) { o.total_timeout = std::chrono::milliseconds(0); });
}

TEST(Constructor, AnEmptyKeySaysWhereAKeyComesFrom) {
  auto o = base_options();
  o.api_key.clear();
  try {
    snapstate::SnapStateClient client(o);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("SNAPSTATE_API_KEY"), std::string::npos) << e.what();
  }
}

TEST(Constructor, PythonShapedChecksTheSameThings) {
  EXPECT_THROW(snapstate::SnapStateClient(""), std::invalid_argument);
  EXPECT_THROW(snapstate::SnapStateClient("k", "gopher://x"), std::invalid_argument);
  EXPECT_THROW(snapstate::SnapStateClient("k", "http://x", -1.0), std::invalid_argument);
  EXPECT_THROW(snapstate::SnapStateClient("k", "http://x", std::nan("")), std::invalid_argument);
  EXPECT_THROW(snapstate::SnapStateClient("k", "http://x", 0.0), std::invalid_argument);
  EXPECT_NO_THROW(snapstate::SnapStateClient("k", "http://x", 0.0004)) << "rounds up to 1 ms";
  EXPECT_NO_THROW(snapstate::SnapStateClient("k", "HTTPS://Example.com/", 2.5, 0));
}

TEST(Constructor, TheTestSeamValidatesToo) {
  auto o = base_options();
  o.api_key.clear();
  snapstate::detail::Wakeup wakeup;
  EXPECT_THROW(ClientImpl(o, std::make_shared<snapstate::testing::FakeTransport>(),
                          snapstate::detail::RetryHooks::real(wakeup)),
               std::invalid_argument);
}

// ---- ClientOptions::from_env ----------------------------------------------------------------

class FromEnv : public ::testing::Test {
 protected:
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    ::unsetenv("SNAPSTATE_API_KEY");
    ::unsetenv("SNAPSTATE_BASE_URL");
    ::unsetenv("SNAPSTATE_API_URL");
  }
};

TEST_F(FromEnv, ReadsKeyAndBaseUrl) {
  ::setenv("SNAPSTATE_API_KEY", "snp_env", 1);
  ::setenv("SNAPSTATE_BASE_URL", "http://env:1", 1);
  ::setenv("SNAPSTATE_API_URL", "http://legacy:2", 1);
  const auto options = snapstate::ClientOptions::from_env();
  EXPECT_EQ(options.api_key, "snp_env");
  EXPECT_EQ(options.base_url, "http://env:1");
  EXPECT_EQ(options.max_retries, 3) << "other fields keep their defaults";
}

TEST_F(FromEnv, FallsBackToTheLegacyUrlAndTheDefault) {
  ::setenv("SNAPSTATE_API_URL", "http://legacy:2", 1);
  EXPECT_EQ(snapstate::ClientOptions::from_env().base_url, "http://legacy:2");
  ::unsetenv("SNAPSTATE_API_URL");
  ::setenv("SNAPSTATE_BASE_URL", "", 1);  // empty counts as unset
  const auto options = snapstate::ClientOptions::from_env();
  EXPECT_EQ(options.base_url, "http://localhost:3000");
  EXPECT_EQ(options.api_key, "");
}

}  // namespace
