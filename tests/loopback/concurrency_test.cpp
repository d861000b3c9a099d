// One client shared by many threads; close() racing with calls; moved-from clients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "loopback.hpp"
#include "scripted_server.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::fixture_response;
using snapstate::testing::loopback_options;
using snapstate::testing::RecordedRequest;
using snapstate::testing::ScriptedResponse;
using snapstate::testing::ScriptedServer;

// Answers by route, like the real server would, from the recorded exchanges.
class RoutedServer {
 public:
  RoutedServer() {
    server.set_responder([this](const RecordedRequest& r) { return route(r); });
  }
  ScriptedResponse route(const RecordedRequest& r) const {
    if (r.method == "POST" && r.target == "/checkpoints") return save_;
    if (r.method == "GET" && r.target.rfind("/checkpoints/", 0) == 0) return get_;
    if (r.target.find("/resume") != std::string::npos) return resume_;
    if (r.target.find("/replay") != std::string::npos) return replay_;
    if (r.target == "/agents") return agents_;
    if (r.target == "/health") return health_;
    return snapstate::testing::json_response(
        404, R"({"message":"no route","error":"Not Found","statusCode":404})");
  }

 private:
  const ScriptedResponse save_ = fixture_response("02-post-checkpoint-step1");
  const ScriptedResponse get_ = fixture_response("07-get-checkpoint-existing");
  const ScriptedResponse resume_ = fixture_response("09-resume-existing");
  const ScriptedResponse replay_ = fixture_response("11-replay-plain");
  const ScriptedResponse agents_ = fixture_response("43-agents-list");
  const ScriptedResponse health_ = fixture_response("61-health");

 public:
  // Declared last, so it is destroyed first: its handler threads read the responses above.
  ScriptedServer server;
};

void expect_closed(const std::function<void()>& call) {
  try {
    call();
    ADD_FAILURE() << "a call on a closed client succeeded";
  } catch (const snapstate::SnapStateError& e) {
    EXPECT_EQ(typeid(e), typeid(snapstate::SnapStateError)) << e.what();
    EXPECT_EQ(e.code(), "CLIENT_CLOSED");
    EXPECT_EQ(e.status_code(), 0);
  }
}

TEST(Concurrency, EightThreadsShareOneClient) {
  RoutedServer routed;
  snapstate::SnapStateClient client(loopback_options(routed.server.base_url()));
  constexpr int kThreads = 8;
  constexpr int kCalls = 50;
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        try {
          switch ((t + i) % 6) {
            case 0:
              // The routed server answers every save with the recording of step 1.
              if (client.save("rs-demo-1", 1, json{{"i", i}}).checkpoint_id != "cp_rs-demo-1_001")
                continue;
              break;
            case 1:
              if (client.get("cp_rs-demo-1_001").step != 1) continue;
              break;
            case 2:
              if (client.resume("rs-demo-1").latest_checkpoint.step != 3) continue;
              break;
            case 3:
              if (client.replay("rs-demo-1").checkpoints.size() != 3u) continue;
              break;
            case 4:
              if (client.list_agents().size() != 2u) continue;
              break;
            default:
              if (client.health().status != "ok") continue;
          }
          ++succeeded;
        } catch (const std::exception& e) {
          ADD_FAILURE() << "thread " << t << " call " << i << ": " << e.what();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), kThreads * kCalls);
  EXPECT_EQ(routed.server.request_count(), static_cast<std::size_t>(kThreads * kCalls));
}

TEST(Close, IsIdempotentAndLaterCallsSendNothing) {
  RoutedServer routed;
  snapstate::SnapStateClient client(loopback_options(routed.server.base_url()));
  EXPECT_EQ(client.health().status, "ok");
  client.close();
  EXPECT_NO_THROW(client.close());
  expect_closed([&] { client.health(); });
  expect_closed([&] { client.get("cp_1"); });
  expect_closed([&] { client.save("wf", 1, json::object()); });
  expect_closed([&] { client.list_agents(); });
  expect_closed([&] { client.delete_webhook("wh_1"); });
  EXPECT_EQ(routed.server.request_count(), 1u);
}

TEST(Close, InterruptsACallInFlight) {
  ScriptedServer server;
  ScriptedResponse slow = fixture_response("07-get-checkpoint-existing");
  slow.delay = std::chrono::milliseconds(8000);  // cut short when the server stops
  server.enqueue(slow);
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  auto in_flight = std::async(std::launch::async, [&] { client.get("cp_1"); });
  while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  client.close();
  // Had the call not been interrupted it would have succeeded after the delay.
  expect_closed([&] { in_flight.get(); });
  EXPECT_EQ(server.request_count(), 1u) << "the call sent another attempt after close()";
}

TEST(Close, RacingWithCallsEndsEachCallCleanly) {
  RoutedServer routed;
  snapstate::SnapStateClient client(loopback_options(routed.server.base_url()));
  std::atomic<int> ok{0};
  std::atomic<int> closed{0};
  std::atomic<bool> started{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        try {
          client.get("cp_rs-demo-1_001");
          ++ok;
          started = true;
        } catch (const snapstate::SnapStateError& e) {
          EXPECT_EQ(e.code(), "CLIENT_CLOSED") << e.what();
          ++closed;
        }
      }
    });
  }
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  client.close();
  for (auto& thread : threads) thread.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(closed.load(), 0);
  EXPECT_EQ(ok.load() + closed.load(), 8 * 200);
}

// close() "aborts calls in flight": that includes a call waiting out a 429 back-off. Without
// it the call (and close(), for async work) waits the whole back-off first.
TEST(Close, InterruptsACallWaitingOutARateLimitBackOff) {
  ScriptedServer server;
  ScriptedResponse limited = fixture_response("62-rate-limit-req6");  // retry-after: 60
  server.enqueue(limited);
  auto options = loopback_options(server.base_url());
  options.max_retry_wait = std::chrono::milliseconds(6000);
  snapstate::SnapStateClient client(options);
  auto in_flight = std::async(std::launch::async, [&] { client.get("cp_1"); });
  while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // into the back-off sleep
  client.close();
  // A hang check, not a speed check: the back-off is 6 s, the margin 3 s.
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(3)), std::future_status::ready)
      << "the call kept sleeping through close()";
  expect_closed([&] { in_flight.get(); });
  EXPECT_EQ(server.request_count(), 1u) << "the call sent another attempt after close()";
}

TEST(Close, AsyncCloseDoesNotWaitOutAnAsyncCallsBackOff) {
  ScriptedServer server;
  server.enqueue(fixture_response("62-rate-limit-req6"));  // retry-after: 60
  auto options = loopback_options(server.base_url());
  options.max_retry_wait = std::chrono::milliseconds(6000);
  snapstate::SnapStateClient client(options);
  auto call = client.async_get("cp_1");
  while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto closing = client.async_close();
  ASSERT_EQ(closing.wait_for(std::chrono::seconds(3)), std::future_status::ready)
      << "close() joined a worker that was still sleeping out a 6 s back-off";
  expect_closed([&] { call.get(); });
  EXPECT_EQ(server.request_count(), 1u) << "the call sent another attempt after close()";
}

TEST(Move, AMovedFromClientIsClosedAndTheNewOneWorks) {
  RoutedServer routed;
  snapstate::SnapStateClient original(loopback_options(routed.server.base_url()));
  snapstate::SnapStateClient moved(std::move(original));
  expect_closed([&] { original.health(); });  // NOLINT(bugprone-use-after-move): the point
  EXPECT_NO_THROW(original.close());
  EXPECT_EQ(moved.health().status, "ok");

  snapstate::SnapStateClient target(loopback_options(routed.server.base_url()));
  target = std::move(moved);
  expect_closed([&] { moved.get("cp_1"); });  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(target.health().status, "ok");
  EXPECT_EQ(routed.server.request_count(), 2u);
}

}  // namespace
