// The async_* twins: futures resolve, exceptions keep their type, close fails queued work, and
// typed state round-trips.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
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

// Echoes the saved step back in a 201, so each future can be matched to its request.
ScriptedResponse echo_save(const RecordedRequest& r) {
  const auto body = json::parse(r.body);
  const auto step = body.at("step").get<std::int64_t>();
  const auto wf = body.at("workflow_id").get<std::string>();
  json out = {{"checkpoint_id", "cp_" + wf + "_" + std::to_string(step)},
              {"workflow_id", wf},
              {"step", step},
              {"etag", "\"44136fa355b3678a\""},
              {"created_at", "2026-11-30T04:30:41.074Z"},
              {"diff_from_previous",
               {{"added", json::array()}, {"removed", json::array()}, {"changed", json::array()}}},
              {"size_bytes", 2}};
  return snapstate::testing::json_response(201, out.dump());
}

template <class T>
bool is_ready(const std::future<T>& f) {
  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

template <class T>
void expect_closed(std::future<T> f) {
  try {
    f.get();
    ADD_FAILURE() << "a future of a closed client held a value";
  } catch (const snapstate::SnapStateError& e) {
    EXPECT_EQ(e.code(), "CLIENT_CLOSED");
  }
}

TEST(Async, FiftySavesInFlightAllResolve) {
  ScriptedServer server;
  server.set_responder(echo_save);
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  std::vector<std::future<snapstate::SaveResult>> futures;
  for (int i = 0; i < 50; ++i) futures.push_back(client.async_save("wf-async", i, json{{"i", i}}));
  for (int i = 0; i < 50; ++i) {
    const auto result = futures[static_cast<std::size_t>(i)].get();
    EXPECT_EQ(result.step, i);
    EXPECT_EQ(result.checkpoint_id, "cp_wf-async_" + std::to_string(i));
  }
  EXPECT_EQ(server.request_count(), 50u);
}

TEST(Async, ExceptionsArriveWithTheirType) {
  ScriptedServer server;
  server.enqueue(fixture_response("08-get-checkpoint-missing"));
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  auto missing = client.async_get("cp_rs-demo-1_099");
  try {
    missing.get();
    FAIL() << "expected NotFoundError";
  } catch (const snapstate::NotFoundError& e) {
    EXPECT_EQ(e.status_code(), 404);
    EXPECT_EQ(e.request_id(), "abf6b418-2e66-4f8f-8c62-0a9f4a5d4d46");
  }
  // A client-side refusal also arrives through the future.
  EXPECT_THROW(client.async_save("", 1, json::object()).get(), snapstate::ValidationError);
}

TEST(Async, OtherTwinsReachTheirRoutes) {
  ScriptedServer server;
  server.enqueue(fixture_response("09-resume-existing"));
  server.enqueue(fixture_response("11-replay-plain"));
  server.enqueue(fixture_response("43-agents-list"));
  server.enqueue(fixture_response("46-agents-delete"));
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  EXPECT_EQ(client.async_resume("rs-demo-1").get().latest_checkpoint.step, 3);
  EXPECT_EQ(client.async_replay("rs-demo-1").get().checkpoints.size(), 3u);
  EXPECT_EQ(client.async_list_agents().get().size(), 2u);
  EXPECT_NO_THROW(client.async_delete_agent("agent-beta").get());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[3].method, "DELETE");
}

TEST(Async, AfterAsyncCloseEveryTwinHoldsClientClosed) {
  ScriptedServer server;
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  client.async_close().get();
  expect_closed(client.async_save("wf", 1, json::object()));
  expect_closed(client.async_get("cp_1"));
  expect_closed(client.async_resume("wf"));
  expect_closed(client.async_replay("wf"));
  expect_closed(client.async_register_agent("a", "n"));
  expect_closed(client.async_list_agents());
  expect_closed(client.async_get_agent("a"));
  snapstate::AgentUpdate update;
  update.name = "n";
  expect_closed(client.async_update_agent("a", update));
  expect_closed(client.async_delete_agent("a"));
  expect_closed(client.async_register_webhook("http://h/x", {"checkpoint.saved"}));
  expect_closed(client.async_delete_webhook("wh_1"));
  EXPECT_NO_THROW(client.async_close().get()) << "closing twice is fine";
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(Async, DestroyingTheClientWithQueuedWorkLeavesEveryFutureReady) {
  ScriptedServer server;
  server.set_responder([](const RecordedRequest& r) {
    auto response = echo_save(r);
    response.delay = std::chrono::milliseconds(300);
    return response;
  });
  std::vector<std::future<snapstate::SaveResult>> futures;
  {
    auto options = loopback_options(server.base_url());
    options.async_threads = 1;
    snapstate::SnapStateClient client(options);
    for (int i = 0; i < 20; ++i) futures.push_back(client.async_save("wf", i, json::object()));
    while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }  // destroyed with one call in flight and the rest queued
  int closed = 0;
  for (auto& f : futures) {
    ASSERT_TRUE(is_ready(f));
    try {
      f.get();
    } catch (const snapstate::SnapStateError& e) {
      EXPECT_EQ(e.code(), "CLIENT_CLOSED");
      ++closed;
    }
  }
  EXPECT_GE(closed, 19) << "queued work is failed, not sent";
  EXPECT_LE(server.request_count(), 1u);
}

// ---- typed state ----------------------------------------------------------------------------

struct Progress {
  int step = 0;
  std::string note;
  std::vector<double> scores;
  bool operator==(const Progress& o) const {
    return step == o.step && note == o.note && scores == o.scores;
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Progress, step, note, scores)

struct NotAnObject {
  int value = 0;
};
void to_json(json& j, const NotAnObject& n) {
  j = json::array({n.value});
}

// Answers a GET with a checkpoint whose state is what the previous save sent.
class TypedStateTest : public ::testing::Test {
 protected:
  TypedStateTest() {
    server.set_responder([this](const RecordedRequest& r) {
      if (r.method == "POST") {
        std::lock_guard<std::mutex> lock(mutex);
        last_state = json::parse(r.body).at("state");
        return echo_save(r);
      }
      std::lock_guard<std::mutex> lock(mutex);
      json cp = {{"checkpoint_id", "cp_typed_001"},
                 {"workflow_id", "typed"},
                 {"step", 1},
                 {"label", nullptr},
                 {"state", last_state},
                 {"metadata", nullptr}};
      return snapstate::testing::json_response(200, cp.dump());
    });
  }
  std::mutex mutex;
  json last_state = json::object();
  ScriptedServer server;
};

TEST_F(TypedStateTest, AStructRoundTrips) {
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  const Progress saved{3, "h\xC3\xA9llo", {0.5, 1.25}};
  EXPECT_EQ(client.save("typed", 1, saved).step, 1);
  EXPECT_EQ(json::parse(server.requests().at(0).body).at("state"),
            json::parse(R"({"step":3,"note":"h\u00e9llo","scores":[0.5,1.25]})"));
  EXPECT_EQ(client.get("cp_typed_001").state_as<Progress>(), saved);
  EXPECT_EQ(client.async_save("typed", 2, saved).get().step, 2);
}

TEST_F(TypedStateTest, AMismatchingStateIsAProtocolError) {
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  client.save("typed", 1, json{{"step", "three"}, {"note", 1}});
  const auto cp = client.get("cp_typed_001");
  try {
    (void)cp.state_as<Progress>();
    FAIL() << "converted a mismatching state";
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_EQ(e.code(), "STATE_TYPE_MISMATCH");
  }
}

TEST_F(TypedStateTest, AStructThatIsNotAnObjectIsRefusedBeforeSending) {
  snapstate::SnapStateClient client(loopback_options(server.base_url()));
  try {
    client.save("typed", 1, NotAnObject{7});
    FAIL() << "sent a non-object state";
  } catch (const snapstate::ValidationError& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), "INVALID_STATE");
  }
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
