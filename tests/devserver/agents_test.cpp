// /agents: per account, upsert replaces, list order, last_seen_at from checkpoints.
#include <gtest/gtest.h>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

class Agents : public ::testing::TestWithParam<Storage> {
 protected:
  std::unique_ptr<snapstate::devserver::Server> server = start_server({}, GetParam());
  Replayer replayer{server->port()};

  HttpResponse send(const std::string& method, const std::string& target,
                    std::optional<std::string> body = std::nullopt,
                    const std::string& key = kKey1) {
    return RawClient(server->port())
        .request(method, target, body ? json_auth(key) : auth(key), body);
  }
};

TEST_P(Agents, LifecycleMatchesTheRecording) {
  for (const char* name : {"40-agents-post-new",
                           "41-agents-post-upsert",
                           "42-agents-post-invalid-id",
                           "42b-agents-post-missing-id",
                           "42c-agents-post-no-schema",
                           "42d-agents-post-id-256",
                           "43-agents-list",
                           "44-agents-get",
                           "44b-agents-get-alpha",
                           "45-agents-patch",
                           "45b-agents-patch-empty",
                           "45c-agents-patch-missing",
                           "46-agents-delete",
                           "46b-agents-delete-json-ct-empty-body",
                           "46c-agents-delete-json-ct-body",
                           "47-agents-get-deleted",
                           "47b-agents-delete-missing",
                           "48-agents-post-alpha",
                           "48b-checkpoint-with-agent",
                           "48c-agents-get-alpha-last-seen",
                           "48d-agents-post-upsert-keeps-last-seen",
                           "48e-agents-patch-no-content-type",
                           "48f-agents-post-no-body",
                           "62c-rate-limit-agents-not-limited"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Agents, UpsertKeepsIdentityAndResetsOmittedFields) {
  Json first = send("POST", "/agents",
                    R"({"agent_id":"a1","name":"A","description":"d","metadata":{"k":1}})")
                   .json();
  Json second = send("POST", "/agents", R"({"agent_id":"a1"})").json();
  EXPECT_EQ(first["id"], second["id"]);
  EXPECT_EQ(first["created_at"], second["created_at"]);
  EXPECT_TRUE(second["name"].is_null());
  EXPECT_TRUE(second["description"].is_null());
  EXPECT_EQ(Json::array(), second["capabilities"]);
  EXPECT_EQ(Json::object(), second["metadata"]);
}

TEST_P(Agents, AreScopedPerAccount) {
  ASSERT_EQ(201, send("POST", "/agents", R"({"agent_id":"mine"})").status);
  EXPECT_EQ(404, send("GET", "/agents/mine", std::nullopt, kKey2).status);
  EXPECT_EQ(404, send("DELETE", "/agents/mine", std::nullopt, kKey2).status);
  EXPECT_EQ(Json::parse(R"({"agents":[]})"), send("GET", "/agents", std::nullopt, kKey2).json());
  // A checkpoint saved by another account does not touch this account's agent.
  RawClient(server->port())
      .request("POST", "/checkpoints", json_auth(kKey2),
               R"({"workflow_id":"w","step":1,"state":{},"agent_id":"mine"})");
  EXPECT_TRUE(send("GET", "/agents/mine").json()["last_seen_at"].is_null());
}

TEST_P(Agents, NameIsSanitizedAndJsonbReordersMetadata) {
  Json a =
      send(
          "POST", "/agents",
          R"({"agent_id":"n","name":"\t  x\u0001y  ","metadata":{"long_key":1,"b":{"zz":1,"a":2},"10":0}})")
          .json();
  EXPECT_EQ("xy", a["name"]);
  EXPECT_EQ(R"({"10":0,"b":{"a":2,"zz":1},"long_key":1})", a["metadata"].dump());
  Json long_name =
      send("POST", "/agents", R"({"agent_id":"n","name":")" + std::string(300, 'n') + "\"}").json();
  EXPECT_EQ(std::string(255, 'n'), long_name["name"]);
}

// The real server passes numbers to its regex and to TEXT columns as String(n); JSON.parse
// reads 1e400 as Infinity, which String() spells out where JSON.stringify would write null.
TEST_P(Agents, NumbersAreStoredAsStringWritesThem) {
  Json a = send("POST", "/agents", R"({"agent_id":1e400,"name":-1e400,"description":1.50})").json();
  EXPECT_EQ("Infinity", a["agent_id"]);
  EXPECT_EQ("-Infinity", a["name"]);
  EXPECT_EQ("1.5", a["description"]);
  EXPECT_EQ("Infinity", send("GET", "/agents/Infinity").json()["agent_id"]);
  EXPECT_EQ("-Infinity", send("POST", "/agents", R"({"agent_id":-1e400})").json()["agent_id"]);
}

TEST_P(Agents, ListIsOrderedByLastSeenThenCreated) {
  for (const char* id : {"first", "second", "third"}) {
    ASSERT_EQ(201, send("POST", "/agents", std::string(R"({"agent_id":")") + id + "\"}").status);
  }
  RawClient(server->port())
      .request("POST", "/checkpoints", json_auth(),
               R"({"workflow_id":"w","step":1,"state":{},"agent_id":"first"})");
  std::vector<std::string> order;
  const Json list = send("GET", "/agents").json();
  for (const auto& a : list["agents"]) order.push_back(a["agent_id"]);
  EXPECT_EQ((std::vector<std::string>{"first", "third", "second"}), order);
}

TEST_P(Agents, AtMostFiftyPerAccount) {
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(201, send("POST", "/agents", R"({"agent_id":"a)" + std::to_string(i) + "\"}").status);
  }
  HttpResponse over = send("POST", "/agents", R"({"agent_id":"one-too-many"})");
  EXPECT_EQ(400, over.status);
  EXPECT_EQ("MAX_AGENTS_REACHED", over.json()["error"]["code"]);
  EXPECT_EQ(201, send("POST", "/agents", R"({"agent_id":"a7","name":"update is fine"})").status);
  EXPECT_EQ(201, send("POST", "/agents", R"({"agent_id":"other"})", kKey2).status);
}

INSTANTIATE_TEST_SUITE_P(Storage, Agents, both_storages());

}  // namespace
}  // namespace dstest
