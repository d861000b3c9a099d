// What each method puts on the wire, seen by a real loopback server through real libcurl.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fixture.hpp"
#include "scripted_server.hpp"
#include "snapstate/snapstate.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::fixture_response;
using snapstate::testing::RecordedRequest;
using snapstate::testing::ScriptedServer;
using ::testing::ElementsAre;

constexpr const char* kKey = "snp_local_test_key_account1";

class RequestsTest : public ::testing::Test {
 protected:
  snapstate::SnapStateClient make_client() {
    snapstate::ClientOptions options;
    options.api_key = kKey;
    options.base_url = server.base_url() + "/";  // a trailing slash is tolerated
    return snapstate::SnapStateClient(options);
  }
  RecordedRequest only_request() const {
    const auto requests = server.requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? RecordedRequest{} : requests.front();
  }
  static void expect_common_headers(const RecordedRequest& r, bool with_body) {
    EXPECT_EQ(r.header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(r.header("user-agent"), std::string("snapstate-cpp/") + SNAPSTATE_VERSION_STRING);
    EXPECT_EQ(r.header("accept"), "application/json");
    if (with_body) {
      EXPECT_EQ(r.header("content-type"), "application/json");
    } else {
      EXPECT_FALSE(r.has_header("content-type")) << "Content-Type on a request without a body";
      EXPECT_TRUE(r.body.empty());
    }
  }

  ScriptedServer server;
};

TEST_F(RequestsTest, SaveSendsTheFullEnvelopeInWireOrder) {
  server.enqueue(fixture_response("02-post-checkpoint-step1"));
  auto client = make_client();
  snapstate::SaveOptions options;
  options.label = "fetched inputs";
  options.metadata = json{{"model", "gpt-x"}, {"attempt", 1}};
  options.agent_id = "agent-alpha";
  options.ttl_seconds = 86400;
  const auto result = client.save(
      "rs-demo-1", 1,
      json::parse(
          R"({"progress":0.1,"items":["a","b"],"nested":{"x":1,"y":"keep"},"to_remove":true})"),
      options);

  const auto r = only_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/checkpoints");
  expect_common_headers(r, true);
  EXPECT_EQ(r.header("x-checkpoint-ttl"), "86400");
  EXPECT_FALSE(r.has_header("if-match"));
  // nlohmann sorts object keys, so the body is compared as JSON, plus the top-level order.
  const auto body = json::parse(r.body);
  EXPECT_EQ(body,
            json::parse(snapstate::testing::load_fixture("02-post-checkpoint-step1").request_body));
  EXPECT_EQ(
      r.body.rfind(R"({"workflow_id":"rs-demo-1","step":1,"label":"fetched inputs","state":)", 0),
      0u)
      << r.body;

  EXPECT_EQ(result.checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(result.workflow_id, "rs-demo-1");
  EXPECT_EQ(result.step, 1);
  EXPECT_EQ(result.etag, "\"cc762e8a761691ea\"");
  EXPECT_EQ(result.created_at, "2026-11-30T04:30:41.074Z");
  EXPECT_THAT(result.diff_from_previous.added,
              ElementsAre("progress", "items[0]", "items[1]", "nested.x", "nested.y", "to_remove"));
  EXPECT_TRUE(result.diff_from_previous.removed.empty());
  EXPECT_EQ(result.size_bytes, 79);
}

TEST_F(RequestsTest, SaveOmitsAbsentOptionalsAndSendsIfMatchVerbatim) {
  server.enqueue(fixture_response("05-repost-step2-ifmatch-correct"));
  auto client = make_client();
  snapstate::SaveOptions options;
  options.if_match = "\"62e54e50000b83f8\"";
  client.save("rs-demo-1", 2, json::object(), options);
  const auto r = only_request();
  EXPECT_EQ(r.body, R"({"workflow_id":"rs-demo-1","step":2,"state":{}})");
  EXPECT_EQ(r.header("if-match"), "\"62e54e50000b83f8\"");
  EXPECT_FALSE(r.has_header("x-checkpoint-ttl"));
}

TEST_F(RequestsTest, GetEncodesTheIdAsOneSegment) {
  server.enqueue(fixture_response("30-weird-cpid-get"));
  auto client = make_client();
  const auto cp = client.get("cp_a/b c%\xC3\xA9_001");
  const auto r = only_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/checkpoints/cp_a%2Fb%20c%25%C3%A9_001");
  expect_common_headers(r, false);
  EXPECT_EQ(cp.workflow_id, "a/b c%\xC3\xA9");
  EXPECT_EQ(cp.metadata, json::object()) << "null metadata reads as {}";
}

TEST_F(RequestsTest, ResumeEncodesQuestionMarkAndHash) {
  server.enqueue_json(200, snapstate::testing::resume_body("a?b#c"));
  auto client = make_client();
  client.resume("a?b#c");
  const auto r = only_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/workflows/a%3Fb%23c/resume");
  expect_common_headers(r, false);
}

TEST_F(RequestsTest, ReplaySendsOnlyTheFiltersThatAreSet) {
  server.enqueue(fixture_response("11-replay-plain"));
  server.enqueue_json(200, snapstate::testing::empty_replay_body("rs demo"));
  auto client = make_client();
  client.replay("rs-demo-1");
  snapstate::ReplayOptions options;
  options.from_step = 2;
  options.to_step = 3;
  options.limit = 50;
  client.replay("rs demo", options);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/workflows/rs-demo-1/replay");
  EXPECT_EQ(requests[1].target, "/workflows/rs%20demo/replay?from_step=2&to_step=3&limit=50");
}

// The URL reaches libcurl parsed once per base (src/http/curl_url.hpp), or as a string when it
// holds an escape, and a request to the last request's URL sets neither again: request after
// request on one handle, each carries its own path and query, behind the base URL's path,
// escapes as built, to the base's host.
TEST_F(RequestsTest, EachRequestOnAHandleCarriesItsOwnPathAndQuery) {
  using snapstate::testing::empty_replay_body;
  using snapstate::testing::resume_body;
  for (const auto& body : {empty_replay_body("run-1"), resume_body("a b"), resume_body("run-1"),
                           resume_body("run-1"), empty_replay_body("run-1"), resume_body("%2E%2E"),
                           resume_body("%2E%2E"), resume_body("run-1")}) {
    server.enqueue_json(200, body);
  }
  server.enqueue(fixture_response("61-health"));
  snapstate::ClientOptions options;
  options.api_key = kKey;
  options.base_url = server.base_url() + "/api/v1/";
  snapstate::SnapStateClient client(options);
  snapstate::ReplayOptions filters;
  filters.from_step = 2;
  client.replay("run-1", filters);
  client.resume("a b");
  client.resume("run-1");
  client.resume("run-1");  // the URL the last request went to
  filters.limit = 7;
  client.replay("run-1", filters);
  client.resume("%2E%2E");
  client.resume("%2E%2E");  // again, the string way
  client.resume("run-1");   // the parsed way after the string
  client.health();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 9u);
  EXPECT_EQ(requests[0].target, "/api/v1/workflows/run-1/replay?from_step=2");
  EXPECT_EQ(requests[1].target, "/api/v1/workflows/a%20b/resume");
  EXPECT_EQ(requests[2].target, "/api/v1/workflows/run-1/resume") << "no query is left over";
  EXPECT_EQ(requests[3].target, "/api/v1/workflows/run-1/resume");
  EXPECT_EQ(requests[4].target, "/api/v1/workflows/run-1/replay?from_step=2&limit=7");
  EXPECT_EQ(requests[5].target, "/api/v1/workflows/%252E%252E/resume");
  EXPECT_EQ(requests[6].target, "/api/v1/workflows/%252E%252E/resume");
  EXPECT_EQ(requests[7].target, "/api/v1/workflows/run-1/resume");
  EXPECT_EQ(requests[8].target, "/api/v1/health");
  const std::string host = server.base_url().substr(std::string("http://").size());
  for (const auto& r : requests) EXPECT_EQ(r.header("host"), host) << r.target;
}

TEST_F(RequestsTest, AnEscapeInTheBasePathGoesOutAsWritten) {
  server.enqueue_json(200, snapstate::testing::resume_body("run-1"));
  snapstate::ClientOptions options;
  options.api_key = kKey;
  options.base_url = server.base_url() + "/api/v%31";
  snapstate::SnapStateClient client(options);
  client.resume("run-1");
  EXPECT_EQ(only_request().target, "/api/v%31/workflows/run-1/resume");
}

TEST_F(RequestsTest, RegisterAgentBody) {
  server.enqueue(fixture_response("40-agents-post-new"));
  auto client = make_client();
  snapstate::AgentOptions options;
  options.description = "does things";
  options.capabilities = std::vector<std::string>{"search", "summarize"};
  options.metadata = json{{"team", "x"}};
  const auto agent = client.register_agent("agent-beta", "Beta agent", options);
  const auto r = only_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/agents");
  expect_common_headers(r, true);
  EXPECT_EQ(r.body, R"({"agent_id":"agent-beta","name":"Beta agent","description":"does things",)"
                    R"("capabilities":["search","summarize"],"metadata":{"team":"x"}})");
  EXPECT_EQ(agent.agent_id, "agent-beta");
  EXPECT_THAT(agent.capabilities, ElementsAre("search", "summarize"));
}

TEST_F(RequestsTest, AgentReadUpdateDeleteAndList) {
  server.enqueue(fixture_response("44-agents-get"));
  server.enqueue(fixture_response("45-agents-patch"));
  server.enqueue(fixture_response("46-agents-delete"));
  server.enqueue(fixture_response("43-agents-list"));
  auto client = make_client();
  client.get_agent("agent-beta");
  snapstate::AgentUpdate update;
  update.description = "patched";
  client.update_agent("agent-beta", update);
  client.delete_agent("agent-beta");
  const auto agents = client.list_agents();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/agents/agent-beta");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[1].target, "/agents/agent-beta");
  EXPECT_EQ(requests[1].body, R"({"description":"patched"})");
  EXPECT_EQ(requests[1].header("content-type"), "application/json");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].target, "/agents/agent-beta");
  expect_common_headers(requests[2], false);
  EXPECT_EQ(requests[3].method, "GET");
  EXPECT_EQ(requests[3].target, "/agents");
  ASSERT_EQ(agents.size(), 2u);
  // The server stored a bare string for capabilities; it reads as a one-element list.
  EXPECT_THAT(agents[0].capabilities, ElementsAre("not-an-array"));
}

TEST_F(RequestsTest, WebhookRegisterAndDelete) {
  server.enqueue(fixture_response("50-webhooks-post-valid"));
  server.enqueue(fixture_response("53-webhooks-delete"));
  auto client = make_client();
  const auto hook = client.register_webhook("http://127.0.0.1:39411/hook", {"checkpoint.saved"},
                                            "whsec_local_test_secret");
  client.delete_webhook(hook.webhook_id);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/webhooks");
  EXPECT_EQ(requests[0].body,
            R"({"url":"http://127.0.0.1:39411/hook","events":["checkpoint.saved"],)"
            R"("secret":"whsec_local_test_secret"})");
  EXPECT_EQ(requests[1].method, "DELETE");
  EXPECT_EQ(requests[1].target, "/webhooks/wh_bdd83541e8f163fec9b79fe9");
  expect_common_headers(requests[1], false);
}

TEST_F(RequestsTest, HealthIsAPlainGet) {
  server.enqueue(fixture_response("61-health"));
  auto client = make_client();
  const auto health = client.health();
  const auto r = only_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/health");
  EXPECT_EQ(health.status, "ok");
  EXPECT_EQ(health.raw.at("version"), "3.0.0");
}

TEST_F(RequestsTest, CustomUserAgent) {
  server.enqueue(fixture_response("61-health"));
  snapstate::ClientOptions options;
  options.api_key = kKey;
  options.base_url = server.base_url();
  options.user_agent = "my-agent/2.0";
  snapstate::SnapStateClient client(options);
  client.health();
  EXPECT_EQ(only_request().header("user-agent"), "my-agent/2.0");
}

}  // namespace
