// --data: the real executable, written to through the real client library, killed with
// SIGKILL and started again on the same file, gives back everything it answered for.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <snapstate/snapstate.hpp>

#include "devserver_process.hpp"
#include "devserver_test_support.hpp"
#include "webhook_receiver.hpp"

namespace dstest {
namespace {

using std::chrono::milliseconds;

// A server on `data`, with both fixture keys, already listening.
struct Running {
  explicit Running(const std::string& data)
      : process({"--port", "0", "--quiet", "--data", data, "--api-key", kKey1, "--api-key", kKey2}),
        port(process.wait_listening()) {}
  DevserverProcess process;
  int port;
  snapstate::SnapStateClient client(const std::string& key = kKey1) const {
    return snapstate::SnapStateClient(key, local_url(port));
  }
  // The response body as sent: every field, expires_at and the agents' ids included.
  Json raw(const std::string& target, const std::string& key = kKey1) const {
    return RawClient(port).request("GET", target, auth(key)).json();
  }
};

std::vector<std::int64_t> replay_steps(snapstate::SnapStateClient& client, const std::string& wf) {
  std::vector<std::int64_t> steps;
  for (const auto& c : client.replay(wf).checkpoints) steps.push_back(c.step);
  return steps;
}

TEST(Restart, AKilledServerGivesBackEverythingItAnswered) {
  const std::string data = fresh_data_path();
  Receiver receiver;
  const std::string secret = "whsec_restart";
  std::string webhook_id;
  Json checkpoint, resume, replay, agents, other_agents;
  std::int64_t short_expires_ms = 0;
  {
    Running server(data);
    ASSERT_NE(0, server.port) << server.process.output();
    auto client = server.client();
    // Steps written out of order: replay keeps the write order, resume the last write.
    snapstate::SaveOptions tagged;
    tagged.label = "first";
    tagged.metadata = nlohmann::json{{"model", "m-1"}};
    tagged.agent_id = "planner";
    snapstate::AgentOptions planner;
    planner.description = "plans";
    planner.capabilities = std::vector<std::string>{"tools"};
    planner.metadata = nlohmann::json{{"v", 2}};
    client.register_agent("planner", "Planner", planner);
    server.client(kKey2).register_agent("other", "Other account");
    client.save("wf-restart", 1, {{"todo", {"a", "b"}}, {"done", 0}}, tagged);
    client.save("wf-restart", 3, {{"todo", {"b"}}, {"done", 2}});
    client.save("wf-restart", 2, {{"todo", {"b"}}, {"done", 1}, {"note", "late"}});
    snapstate::SaveOptions short_ttl;
    short_ttl.ttl_seconds = 3;
    client.save("wf-short", 1, {{"soon", "gone"}}, short_ttl);
    webhook_id =
        client.register_webhook(receiver.url("/hook"), {"checkpoint.saved"}, secret).webhook_id;
    client.save("wf-hooked", 1, {{"heard", true}});
    ASSERT_EQ(1u, receiver.wait_for(1).size());
    checkpoint = server.raw("/checkpoints/cp_wf-restart_001");
    resume = server.raw("/workflows/wf-restart/resume");
    replay = server.raw("/workflows/wf-restart/replay");
    agents = server.raw("/agents");
    other_agents = server.raw("/agents", kKey2);
    short_expires_ms = iso_ms(server.raw("/checkpoints/cp_wf-short_001")["expires_at"]);
    server.process.signal(SIGKILL);
    EXPECT_EQ(128 + SIGKILL, server.process.wait_exit());
  }

  Running again(data);
  ASSERT_NE(0, again.port) << again.process.output();
  auto client = again.client();
  EXPECT_EQ(checkpoint, again.raw("/checkpoints/cp_wf-restart_001"));
  EXPECT_EQ(resume, again.raw("/workflows/wf-restart/resume"));
  EXPECT_EQ(replay, again.raw("/workflows/wf-restart/replay"));
  EXPECT_EQ((std::vector<std::int64_t>{1, 3, 2}), replay_steps(client, "wf-restart"));
  EXPECT_EQ(3, client.resume("wf-restart").total_checkpoints);
  EXPECT_EQ(agents, again.raw("/agents"));  // ids, created_at and last_seen_at kept
  EXPECT_EQ(other_agents, again.raw("/agents", kKey2));
  EXPECT_EQ("plans", client.get_agent("planner").description);
  ASSERT_TRUE(client.get_agent("planner").last_seen_at.has_value());

  // The stored step is still taken, and the next write diffs against the last one written.
  EXPECT_THROW(client.save("wf-restart", 1, {{"todo", nlohmann::json::array()}}),
               snapstate::ConflictError);
  const auto fourth = client.save("wf-restart", 4, {{"todo", {"b"}}, {"done", 3}});
  EXPECT_EQ((std::vector<std::string>{"note"}), fourth.diff_from_previous.removed);
  EXPECT_EQ((std::vector<std::string>{"done"}), fourth.diff_from_previous.changed);
  EXPECT_EQ(4, client.resume("wf-restart").total_checkpoints);

  // The webhook registered before the kill still hears of saves, signed with its secret.
  const auto deliveries = receiver.wait_for(2);
  ASSERT_EQ(2u, deliveries.size());
  const Json payload = Json::parse(deliveries[1].body);
  EXPECT_EQ(webhook_id, payload["webhook_id"]);
  EXPECT_EQ("cp_wf-restart_004", payload["data"]["checkpoint_id"]);
  ASSERT_TRUE(deliveries[1].signature.has_value());
  EXPECT_TRUE(
      snapstate::verify_webhook_signature(deliveries[1].body, *deliveries[1].signature, secret));
  client.delete_webhook(webhook_id);

  // The short TTL runs on the clock, not on the server's uptime: still there until its
  // expiry (unless the restart itself took that long), gone after it.
  const auto now_ms = [] {
    return std::chrono::duration_cast<milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  if (now_ms() < short_expires_ms - 500) {
    EXPECT_EQ("gone", client.get("cp_wf-short_001").state["soon"]);
  }
  std::this_thread::sleep_for(milliseconds(short_expires_ms - now_ms() + 100));
  EXPECT_THROW(client.get("cp_wf-short_001"), snapstate::NotFoundError);
  EXPECT_THROW(client.resume("wf-short"), snapstate::NotFoundError);
  EXPECT_TRUE(client.replay("wf-short").checkpoints.empty());
}

// A kill at any moment: every save that got its 201 is in the file; the one in flight may be.
TEST(Restart, EverySaveThatWasAnsweredSurvivesAKillAtAnyMoment) {
  const std::string data = fresh_data_path();
  std::atomic<std::int64_t> answered{0};
  std::atomic<bool> stopped{false};
  {
    Running server(data);
    ASSERT_NE(0, server.port) << server.process.output();
    snapstate::ClientOptions options;
    options.api_key = kKey1;
    options.base_url = local_url(server.port);
    options.max_retries = 1;
    options.retry_transient_errors = false;
    std::thread writer([&] {
      snapstate::SnapStateClient client(options);
      try {
        for (std::int64_t step = 1;; ++step) {
          client.save("wf-kill", step, {{"step", step}});
          answered = step;
        }
      } catch (const snapstate::SnapStateError&) {
        stopped = true;  // the server is gone
      }
    });
    while (answered < 20 && !stopped) std::this_thread::sleep_for(milliseconds(1));
    server.process.signal(SIGKILL);
    writer.join();
    ASSERT_GE(answered.load(), 20) << "the writer stopped before the kill";
  }
  Running again(data);
  ASSERT_NE(0, again.port) << again.process.output();
  auto client = again.client();
  const auto steps = replay_steps(client, "wf-kill");
  ASSERT_GE(steps.size(), static_cast<std::size_t>(answered.load()));
  ASSERT_LE(steps.size(), static_cast<std::size_t>(answered.load() + 1));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(static_cast<std::int64_t>(i + 1), steps[i]);
  }
}

}  // namespace
}  // namespace dstest
