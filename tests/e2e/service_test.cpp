// Agents, webhooks, rate limits and concurrency end to end.
#include <gmock/gmock.h>
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "e2e_support.hpp"
#include "http_thread.hpp"

namespace snapstate::e2e {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

TEST_F(DevServerTest, AgentsCrud) {
  auto c = client();
  AgentOptions options;
  options.description = "finds things";
  options.capabilities = std::vector<std::string>{"search"};
  options.metadata = json{{"team", "x"}};
  const auto created = c.register_agent("crud-agent", "Crud", options);
  EXPECT_EQ(created.agent_id, "crud-agent");
  EXPECT_EQ(created.description, "finds things");
  EXPECT_THAT(created.capabilities, ElementsAre("search"));

  AgentUpdate update;
  update.name = "Crud v2";
  const auto updated = c.update_agent("crud-agent", update);
  EXPECT_EQ(updated.name, "Crud v2");
  EXPECT_EQ(updated.description, "finds things");  // PATCH keeps what it was not given

  const auto listed = c.list_agents();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].agent_id, "crud-agent");
  EXPECT_EQ(c.get_agent("crud-agent").name, "Crud v2");

  // register_agent on an existing id replaces the record: omitted fields are cleared.
  const auto replaced = c.register_agent("crud-agent", "Crud v3");
  EXPECT_FALSE(replaced.description.has_value());
  EXPECT_TRUE(replaced.capabilities.empty());

  c.delete_agent("crud-agent");
  EXPECT_THROW(c.get_agent("crud-agent"), NotFoundError);
  EXPECT_THROW(c.delete_agent("crud-agent"), NotFoundError);
  EXPECT_THROW(c.update_agent("crud-agent", update), NotFoundError);
}

TEST_F(DevServerTest, SavesTaggedWithAnAgentMarkItSeen) {
  auto c = client();
  c.register_agent("seen-agent", "Seen");
  EXPECT_FALSE(c.get_agent("seen-agent").last_seen_at.has_value());
  SaveOptions tagged;
  tagged.agent_id = "seen-agent";
  c.save(unique_id("seen"), 1, {{"a", 1}}, tagged);
  for (int i = 0; i < 100 && !c.get_agent("seen-agent").last_seen_at; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the server sets it shortly after
  }
  EXPECT_TRUE(c.get_agent("seen-agent").last_seen_at.has_value());
}

TEST_F(DevServerTest, WebhooksAreDeliveredAndVerifiable) {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<std::string, std::string>> deliveries;  // body, signature
  const snapstate::testing::HttpThread receiver([&](httplib::Server& server) {
    server.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      deliveries.emplace_back(req.body, req.get_header_value("X-Checkpoint-Signature"));
      arrived.notify_all();
      res.status = 204;
    });
  });

  auto c = client();
  const auto hook = c.register_webhook(receiver.url("/hook"), {"checkpoint.saved"}, "whsec_e2e");
  EXPECT_EQ(hook.webhook_id.rfind("wh_", 0), 0u);
  const auto wf = unique_id("hooked");
  const auto saved = c.save(wf, 1, {{"a", 1}});
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(
        arrived.wait_for(lock, std::chrono::seconds(5), [&] { return !deliveries.empty(); }));
  }
  const auto [body, signature] = deliveries.front();
  EXPECT_TRUE(verify_webhook_signature(body, signature, "whsec_e2e"));
  EXPECT_FALSE(verify_webhook_signature(body, signature, "whsec_other"));
  const auto event = json::parse(body);
  EXPECT_EQ(event["event"], "checkpoint.saved");
  EXPECT_EQ(event["data"]["checkpoint_id"], saved.checkpoint_id);
  EXPECT_EQ(event["webhook_id"], hook.webhook_id);

  c.delete_webhook(hook.webhook_id);
  EXPECT_THROW(c.delete_webhook(hook.webhook_id), NotFoundError);
}

class RateLimitedServerTest : public DevServerTest {
 protected:
  devserver::ServerOptions server_options() const override {
    auto options = DevServerTest::server_options();
    options.rate_limit = 3;
    return options;
  }
};

TEST_F(RateLimitedServerTest, TheLimitEndsInRateLimitErrorAfterTheRetries) {
  auto options = client_options();
  options.max_retries = 2;
  options.max_retry_wait = std::chrono::milliseconds(10);  // Retry-After is 60 s
  SnapStateClient c(options);
  const auto wf = unique_id("limited");
  c.save(wf, 1, {{"a", 1}});
  c.resume(wf);
  c.replay(wf);
  try {
    c.resume(wf);
    FAIL() << "the fourth request in the window went through";
  } catch (const RateLimitError& e) {
    EXPECT_EQ(e.status_code(), 429);
    EXPECT_EQ(e.code(), "RATE_LIMITED");
    EXPECT_EQ(e.retry_after(), 60);
    EXPECT_NE(std::string(e.what()).find("2 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.list_agents().size(), 0u);  // agents are not rate limited
}

TEST_F(DevServerTest, EightThreadsSharingOneClientLoseNothing) {
  auto c = client();
  constexpr int kThreads = 8;
  constexpr int kSteps = 200;
  const auto prefix = unique_id("parallel");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string wf = prefix + "-" + std::to_string(t);
      for (int step = 1; step <= kSteps; ++step) {
        try {
          c.save(wf, step, {{"thread", t}, {"step", step}});
          if (step % 50 == 0) c.resume(wf);
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    ReplayOptions all;
    all.limit = 1000;
    const auto history = c.replay(prefix + "-" + std::to_string(t), all);
    std::set<std::int64_t> steps;
    for (const auto& cp : history.checkpoints) steps.insert(cp.step);
    EXPECT_EQ(steps.size(), static_cast<std::size_t>(kSteps)) << "thread " << t;
  }
}

}  // namespace
}  // namespace snapstate::e2e
