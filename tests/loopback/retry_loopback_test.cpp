// The retry loop against a real loopback server: what the server actually receives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fixture.hpp"
#include "loopback.hpp"
#include "scripted_server.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::expect_exact;
using snapstate::testing::fixture_response;
using snapstate::testing::loopback_options;
using snapstate::testing::ScriptedResponse;
using snapstate::testing::ScriptedServer;
using ::testing::HasSubstr;

ScriptedResponse rate_limited(const std::string& retry_after) {
  ScriptedResponse r = fixture_response("62-rate-limit-req6");
  r.headers = {{"x-request-id", "rid-429"}, {"retry-after", retry_after}};
  return r;
}

ScriptedResponse unavailable() {
  return snapstate::testing::json_response(
      503, R"({"statusCode":503,"error":"Service Unavailable","message":"try later"})", "rid-503");
}

class RetryLoopbackTest : public ::testing::Test {
 protected:
  snapstate::SnapStateClient client(int max_retries = 3) {
    return snapstate::SnapStateClient(loopback_options(server.base_url(), max_retries));
  }
  ScriptedServer server;
};

TEST_F(RetryLoopbackTest, RateLimitedSaveSucceedsOnTheSecondRequest) {
  server.enqueue(rate_limited("0"));
  server.enqueue(fixture_response("02-post-checkpoint-step1"));
  auto c = client();
  const auto result = c.save("rs-demo-1", 1, json{{"progress", 0.1}});
  EXPECT_EQ(result.checkpoint_id, "cp_rs-demo-1_001");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body) << "the same request is sent again";
}

TEST_F(RetryLoopbackTest, LongRetryAfterIsCappedByMaxRetryWait) {
  server.enqueue(rate_limited("60"));  // capped to 5 ms by loopback_options
  server.enqueue(fixture_response("07-get-checkpoint-existing"));
  auto c = client();
  EXPECT_EQ(c.get("cp_rs-demo-1_001").step, 1);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(RetryLoopbackTest, RateLimitOnEveryAttemptThrowsAfterMaxRetries) {
  for (int i = 0; i < 3; ++i) server.enqueue(rate_limited("0"));
  auto c = client(3);
  const auto e = expect_exact<snapstate::RateLimitError>([&] { c.resume("wf"); });
  EXPECT_EQ(e.retry_after(), 0);
  EXPECT_EQ(e.request_id(), "rid-429");
  EXPECT_THAT(e.what(), HasSubstr("3 attempts"));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(RetryLoopbackTest, GetIsRetriedThroughTwo503s) {
  server.enqueue(unavailable());
  server.enqueue(unavailable());
  server.enqueue(fixture_response("07-get-checkpoint-existing"));
  auto c = client();
  EXPECT_EQ(c.get("cp_rs-demo-1_001").checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(RetryLoopbackTest, ASaveAfterA503IsLookedUpNotSentAgainBlindly) {
  server.enqueue(unavailable());
  server.enqueue_json(404, R"({"error":{"code":"NOT_FOUND","message":"not found"}})");
  server.enqueue(fixture_response("02-post-checkpoint-step1"));
  auto c = client();
  EXPECT_EQ(c.save("rs-demo-1", 1, json::object()).checkpoint_id, "cp_rs-demo-1_001");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method + " " + requests[0].target, "POST /checkpoints");
  EXPECT_EQ(requests[1].method + " " + requests[1].target, "GET /checkpoints/cp_rs-demo-1_001");
  EXPECT_EQ(requests[2].method + " " + requests[2].target, "POST /checkpoints")
      << "written again only once the server said it does not hold the step";
}

TEST_F(RetryLoopbackTest, ASaveThatA503HidIsFoundStored) {
  server.enqueue(unavailable());
  // {} as stored by the first attempt: its etag is the one the client computes for {}.
  server.enqueue_json(200, snapstate::testing::checkpoint_body("rs-demo-1", 1));
  auto c = client();
  const auto saved = c.save("rs-demo-1", 1, json::object());
  EXPECT_EQ(saved.etag, "\"44136fa355b3678a\"");
  EXPECT_EQ(server.request_count(), 2u) << "POST, then the look-up: no second write";
}

TEST_F(RetryLoopbackTest, DeleteIsNotReplayedEither) {
  server.enqueue(unavailable());
  auto c = client();
  expect_exact<snapstate::ServerError>([&] { c.delete_agent("agent-beta"); });
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(RetryLoopbackTest, DisabledTransientRetriesSendOnce) {
  server.enqueue(unavailable());
  auto options = loopback_options(server.base_url());
  options.retry_transient_errors = false;
  snapstate::SnapStateClient c(options);
  expect_exact<snapstate::ServerError>([&] { c.get("cp_1"); });
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
