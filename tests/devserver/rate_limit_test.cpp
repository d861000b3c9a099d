// The sliding-window rate limit: per API key (the documented divergence from upstream),
// only on /checkpoints, /workflows and /webhooks, after auth.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

class RateLimit : public ::testing::TestWithParam<Storage> {};

TEST_P(RateLimit, MatchesTheRecordingExceptThatKeysHaveTheirOwnWindow) {
  snapstate::devserver::ServerOptions o;
  o.rate_limit = 8;  // the recording ran with 5: three of these go to setting up rs-demo-1
  auto server = start_server(o, GetParam());
  Replayer replayer(server->port());
  for (const char* name :
       {"02-post-checkpoint-step1", "03-post-checkpoint-step2",
        "06d-post-step3-ifmatch-on-new-step", "62-rate-limit-req1", "62-rate-limit-req2",
        "62-rate-limit-req3", "62-rate-limit-req4", "62-rate-limit-req5", "62-rate-limit-req6",
        "62d-rate-limit-health-not-limited", "62e-rate-limit-bad-key"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
  // 62b: upstream shares one window among all keys and answers 429 here; locally the other
  // account has its own window.
  RawClient c(server->port());
  EXPECT_EQ(200, c.request("GET", "/workflows/rs-demo-1/resume", auth(kKey2)).status);
  // Agents are not limited, and rejected requests keep counting.
  EXPECT_EQ(200, c.request("GET", "/agents", auth()).status);
  EXPECT_EQ(429, c.request("GET", "/workflows/x/replay", auth()).status);
}

TEST_P(RateLimit, WindowSlides) {
  snapstate::devserver::ServerOptions o;
  o.rate_limit = 2;
  o.rate_window = std::chrono::milliseconds(400);
  auto server = start_server(o, GetParam());
  RawClient c(server->port());
  EXPECT_EQ(200, c.request("GET", "/workflows/w/replay", auth()).status);
  EXPECT_EQ(200, c.request("GET", "/workflows/w/replay", auth()).status);
  HttpResponse limited = c.request("GET", "/workflows/w/replay", auth());
  EXPECT_EQ(429, limited.status);
  EXPECT_EQ("1", *limited.header("retry-after"));  // the window, rounded up to seconds
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  EXPECT_EQ(200, c.request("GET", "/workflows/w/replay", auth()).status);
}

TEST_P(RateLimit, ZeroTurnsItOff) {
  snapstate::devserver::ServerOptions o;
  o.rate_limit = 0;
  auto server = start_server(o, GetParam());
  RawClient c(server->port());
  for (int i = 0; i < 150; ++i)
    ASSERT_EQ(200, c.request("GET", "/workflows/w/replay", auth()).status);
}

INSTANTIATE_TEST_SUITE_P(Storage, RateLimit, both_storages());

}  // namespace
}  // namespace dstest
