// agents, webhooks and health.
#include <sstream>

#include "cli_fixture.hpp"

namespace snapstate_cli_test {
namespace {

TEST_F(CliTest, AgentsLifecycle) {
  auto registered = ok_json(run({"agents", "register", "researcher", "--name", "Research bot",
                                 "--description", "finds sources", "--capability", "search",
                                 "--capability", "summarize", "--metadata", R"({"tier":2})"}));
  EXPECT_EQ(registered["agent_id"], "researcher");
  EXPECT_EQ(registered["name"], "Research bot");
  EXPECT_EQ(registered["capabilities"], nlohmann::json({"search", "summarize"}));
  EXPECT_EQ(registered["metadata"]["tier"], 2);
  ok_json(run({"agents", "register", "writer", "--name", "Writer"}));

  auto list = ok_json(run({"agents", "list"}));
  ASSERT_EQ(list["agents"].size(), 2u);

  const auto table = run({"agents", "list", "--format", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::istringstream lines(table.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("agent_id", 0), 0u) << table.out;
  EXPECT_NE(header.find("capabilities"), std::string::npos) << header;
  EXPECT_NE(table.out.find("search,summarize"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Writer"), std::string::npos) << table.out;
  EXPECT_EQ(count_lines(table.out), 3) << table.out;

  auto updated = ok_json(run({"agents", "update", "researcher", "--description", "reads"}));
  EXPECT_EQ(updated["description"], "reads");
  EXPECT_EQ(updated["name"], "Research bot");
  EXPECT_EQ(ok_json(run({"agents", "get", "researcher"}))["description"], "reads");

  auto deleted = ok_json(run({"agents", "delete", "researcher"}));
  EXPECT_EQ(deleted, nlohmann::json({{"deleted", true}, {"agent_id", "researcher"}}));
  expect_error(run({"agents", "get", "researcher"}), 4,
               "error: NotFoundError [404 AGENT_NOT_FOUND] Agent 'researcher' not found");
  expect_error(run({"agents", "delete", "researcher"}), 4, "error: NotFoundError [404 ");
}

TEST_F(CliTest, WebhooksRegisterAndDelete) {
  const std::string secret = "whsec-distinctive-4711";
  const auto registered_run =
      run({"webhooks", "register", "https://example.com/hook", "--event", "checkpoint.saved",
           "--event", "workflow.resumed", "--secret", secret});
  auto registered = ok_json(registered_run);
  EXPECT_EQ(registered_run.out.find(secret), std::string::npos);
  const std::string id = registered["webhook_id"];
  EXPECT_EQ(id.rfind("wh_", 0), 0u) << id;
  EXPECT_EQ(registered["url"], "https://example.com/hook");
  EXPECT_EQ(registered["events"], nlohmann::json({"checkpoint.saved", "workflow.resumed"}));

  EXPECT_EQ(ok_json(run({"webhooks", "delete", id}))["webhook_id"], id);
  expect_error(run({"webhooks", "delete", id}), 4, "error: NotFoundError [404 NOT_FOUND] Webhook");
}

TEST_F(CliTest, HealthNeedsNoKey) {
  auto health = ok_json(run_with({"health"}, {{"SNAPSTATE_BASE_URL", server_->base_url()}}));
  EXPECT_EQ(health["status"], "ok");

  const auto table = run({"health", "--format", "table"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("status", 0), 0u) << table.out;
  EXPECT_NE(table.out.find(" ok\n"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace snapstate_cli_test
