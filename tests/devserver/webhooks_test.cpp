// /webhooks: registration, deletion, and real delivery to a loopback receiver.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "devserver_test_support.hpp"
#include "webhook_receiver.hpp"

namespace dstest {
namespace {

class Webhooks : public ::testing::TestWithParam<Storage> {
 protected:
  std::unique_ptr<snapstate::devserver::Server> server = start_server({}, GetParam());
  Replayer replayer{server->port()};

  HttpResponse post(const std::string& target, const std::string& body,
                    const std::string& key = kKey1, Headers extra = {}) {
    Headers h = json_auth(key);
    h.insert(h.end(), extra.begin(), extra.end());
    return RawClient(server->port()).request("POST", target, h, body);
  }
  std::string add_hook(const std::string& url, const std::string& secret_member = "",
                       const std::string& key = kKey1) {
    HttpResponse r =
        post("/webhooks",
             R"({"url":")" + url + R"(","events":["checkpoint.saved"])" + secret_member + "}", key);
    EXPECT_EQ(201, r.status) << r.body;
    return r.json()["webhook_id"];
  }
};

TEST_P(Webhooks, RegistrationAndDeletionMatchTheRecording) {
  for (const char* name :
       {"51-webhooks-post-invalid-event", "52-webhooks-post-invalid-url",
        "52b-webhooks-post-odd-url", "52c-webhooks-post-empty-events",
        "52d-webhooks-post-extra-prop", "53-webhooks-delete", "50-webhooks-post-valid",
        "52e-webhooks-post-events-string", "54-webhooks-delete-json-ct-empty-body",
        "57-webhooks-delete-no-ct", "57b-webhooks-delete-missing",
        "57c-webhooks-delete-json-ct-body", "57d-webhooks-list-not-supported"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Webhooks, IdsAreRandomAndSecretsAreNotEchoed) {
  HttpResponse r = post(
      "/webhooks", R"({"url":"http://127.0.0.1:1/x","events":"checkpoint.saved","secret":"s"})");
  Json body = r.json();
  EXPECT_TRUE(
      std::regex_match(body["webhook_id"].get<std::string>(), std::regex("^wh_[0-9a-f]{24}$")));
  EXPECT_FALSE(body.contains("secret"));
  EXPECT_EQ(Json::parse(R"(["checkpoint.saved"])"), body["events"]);
  EXPECT_NE(body["webhook_id"],
            post("/webhooks", R"({"url":"http://127.0.0.1:1/x","events":["checkpoint.saved"]})")
                .json()["webhook_id"]);
}

TEST_P(Webhooks, DeliveryIsSignedAndRepeatedOnIfMatchResave) {
  Receiver receiver;
  const std::string signed_id =
      add_hook(receiver.url("/hook"), R"(,"secret":"whsec_local_test_secret")");
  const std::string unsigned_id = add_hook(receiver.url("/unsigned?q=1"));
  // Another account's webhook hears nothing of this account's saves.
  add_hook(receiver.url("/other-account"), "", kKey2);

  const Fixture saved = load_fixture("55-webhook-trigger-checkpoint");
  HttpResponse created = post("/checkpoints", saved.request_body.value());
  ASSERT_EQ(201, created.status);
  expect_like(Json::parse(saved.response_body), created.json(), {"created_at"}, "55");
  auto got = receiver.wait_for(2);
  ASSERT_EQ(2u, got.size());
  for (const auto& d : got) {
    SCOPED_TRACE(d.path);
    EXPECT_EQ("application/json", d.content_type);
    EXPECT_EQ("CheckpointService/1.0", d.user_agent);
    Json payload = Json::parse(d.body);
    expect_like(
        Json::parse(
            R"({"event":"checkpoint.saved","webhook_id":"","timestamp":"",)"
            R"("data":{"workflow_id":"rs-hook-2","checkpoint_id":"cp_rs-hook-2_001","step":1}})"),
        payload, {"webhook_id", "timestamp"}, "payload");
    if (d.path == "/hook") {
      EXPECT_EQ(signed_id, payload["webhook_id"]);
      ASSERT_TRUE(d.signature.has_value());
      EXPECT_EQ("sha256=" + hmac_sha256_hex("whsec_local_test_secret", d.body), *d.signature);
    } else {
      EXPECT_EQ("/unsigned", d.path);
      EXPECT_EQ(unsigned_id, payload["webhook_id"]);
      EXPECT_FALSE(d.signature.has_value());
    }
  }
  // 56b: the If-Match re-save fires again; 56c: resume never does.
  HttpResponse resaved = post("/checkpoints", saved.request_body.value(), kKey1,
                              {{"If-Match", created.json()["etag"]}});
  EXPECT_EQ(created.json(), resaved.json());
  expect_like(Json::parse(load_fixture("56b-webhook-ifmatch-resave-redelivers").response_body),
              resaved.json(), {"created_at"}, "56b");
  EXPECT_EQ(4u, receiver.wait_for(4).size());
  HttpResponse resumed =
      RawClient(server->port()).request("GET", "/workflows/rs-hook-2/resume", auth());
  expect_like(Json::parse(load_fixture("56c-resume-no-webhook").response_body), resumed.json(),
              {"created_at", "workflow_started_at", "last_activity_at"}, "56c");
  // A conflict (no If-Match) is not a save either.
  EXPECT_EQ(409, post("/checkpoints", saved.request_body.value()).status);
  EXPECT_EQ(4u, receiver.wait_for(5, std::chrono::milliseconds(500)).size());
}

TEST_P(Webhooks, DeliveryNeverBlocksTheSave) {
  Receiver receiver;
  add_hook(receiver.url("/slow"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(201, post("/checkpoints", R"({"workflow_id":"fast","step":1,"state":{}})").status);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_EQ(1u, receiver.wait_for(1).size());
}

TEST_P(Webhooks, DeletedWebhooksAreNotCalledAndDeletionIsPerAccount) {
  Receiver receiver;
  const std::string id = add_hook(receiver.url("/gone"));
  EXPECT_EQ(404,
            RawClient(server->port()).request("DELETE", "/webhooks/" + id, auth(kKey2)).status);
  EXPECT_EQ(204, RawClient(server->port()).request("DELETE", "/webhooks/" + id, auth()).status);
  post("/checkpoints", R"({"workflow_id":"quiet","step":1,"state":{}})");
  EXPECT_TRUE(receiver.wait_for(1, std::chrono::milliseconds(500)).empty());
}

INSTANTIATE_TEST_SUITE_P(Storage, Webhooks, both_storages());

}  // namespace
}  // namespace dstest
