// Request judging: schema validation and coercion, content types, auth, routes, bad URLs,
// and the order in which they are applied.
#include <gtest/gtest.h>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

class Validation : public ::testing::TestWithParam<Storage> {
 protected:
  std::unique_ptr<snapstate::devserver::Server> server = start_server({}, GetParam());
  Replayer replayer{server->port()};

  HttpResponse post(const std::string& target, const std::string& body, Headers h = json_auth()) {
    return RawClient(server->port()).request("POST", target, h, body);
  }
  std::string message(const HttpResponse& r) { return r.json()["message"].get<std::string>(); }
};

TEST_P(Validation, CheckpointBodiesMatchTheRecording) {
  for (const char* name :
       {"18-post-missing-state", "19-post-state-array", "20-post-step-negative",
        "21-post-step-float", "22-post-wfid-129", "23-post-extra-property",
        "23b-post-step-as-string", "23c-post-wfid-empty", "23d-post-label-null",
        "23e-post-metadata-null", "23f-post-multiple-errors", "23g-post-malformed-json",
        "23h-post-empty-body-json-ct", "23i-post-text-plain", "23j-post-no-content-type",
        "23k-get-label-null-result", "23o-post-form-urlencoded"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Validation, ReplayQueriesMatchTheRecording) {
  for (const char* name : {"13-replay-limit0", "14-replay-limit5000", "15-replay-from-step-neg",
                           "16-replay-from-step-abc", "16b-replay-unknown-param",
                           "16c-replay-from-step-float", "16d-replay-limit-twice"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Validation, AuthAndJudgingOrderMatchTheRecording) {
  for (const char* name :
       {"25-post-no-auth", "26-post-bad-key", "26b-post-bad-key-again", "26c-post-lowercase-bearer",
        "26d-post-empty-bearer", "26e-post-basic-auth", "26f-invalid-body-no-auth",
        "26g-get-checkpoint-no-auth", "26h-replay-bad-query-no-auth", "47c-agents-no-auth"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Validation, RoutesMatchTheRecording) {
  for (const char* name : {"01-health", "60-unknown-route", "60b-unknown-route-with-auth",
                           "60c-wrong-method", "60f-resume-trailing-slash", "60g-ready",
                           "61-health", "61b-health-head", "57d-webhooks-list-not-supported"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Validation, AjvCoercions) {
  // step: numeric strings, booleans and one-element arrays become integers.
  EXPECT_EQ("cp_c_016", post("/checkpoints", R"({"workflow_id":"c","step":"0x10","state":{}})")
                            .json()["checkpoint_id"]);
  EXPECT_EQ("cp_c_001", post("/checkpoints", R"({"workflow_id":"c","step":true,"state":{}})")
                            .json()["checkpoint_id"]);
  EXPECT_EQ("cp_c_009", post("/checkpoints", R"({"workflow_id":"c","step":["9"],"state":{}})")
                            .json()["checkpoint_id"]);
  EXPECT_EQ("cp_c_1e+21", post("/checkpoints", R"({"workflow_id":"c","step":1e21,"state":{}})")
                              .json()["checkpoint_id"]);
  // workflow_id: numbers become strings; label: null becomes "".
  EXPECT_EQ("cp_42_002",
            post("/checkpoints", R"({"workflow_id":42,"step":2,"state":{},"label":null})")
                .json()["checkpoint_id"]);
  EXPECT_EQ("body/step must be integer",
            message(post("/checkpoints", R"({"workflow_id":"c","step":"","state":{}})")));
  EXPECT_EQ("body/step must be integer",
            message(post("/checkpoints", R"({"workflow_id":"c","step":[1,2],"state":{}})")));
  EXPECT_EQ("body/state must be object",
            message(post("/checkpoints", R"({"workflow_id":"c","step":1,"state":[{}]})")));
  EXPECT_EQ("body/label must be string",
            message(post("/checkpoints", R"({"workflow_id":"c","step":1,"state":{},"label":{}})")));
  EXPECT_EQ("body/label must NOT have more than 256 characters",
            message(post("/checkpoints", R"({"workflow_id":"c","step":1,"state":{},"label":")" +
                                             std::string(257, 'l') + "\"}")));
  // Lengths count code points: 128 two-byte characters are fine.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xC3\xA9";
  EXPECT_EQ(
      201, post("/checkpoints", R"({"workflow_id":")" + wide + R"(","step":1,"state":{}})").status);
  EXPECT_EQ("body/agent_id must NOT have more than 255 characters",
            message(post("/checkpoints", R"({"workflow_id":"c","step":1,"state":{},"agent_id":")" +
                                             std::string(256, 'a') + "\"}")));
  // Required comes before additional properties, which come before property checks.
  EXPECT_EQ("body must have required property 'step'",
            message(post("/checkpoints", R"({"workflow_id":"c","state":{},"x":1})")));
  EXPECT_EQ("body must NOT have additional properties",
            message(post("/checkpoints", R"({"workflow_id":"","step":-1,"state":{},"x":1})")));
  EXPECT_EQ("body must be object", message(post("/checkpoints", "[1]")));
}

TEST_P(Validation, JsonSyntaxErrorsUseV8Messages) {
  EXPECT_EQ("Unexpected end of JSON input", message(post("/checkpoints", "  ")));
  EXPECT_EQ("Unexpected end of JSON input", message(post("/checkpoints", R"({"a":)")));
  EXPECT_EQ("Expected property name or '}' in JSON at position 1",
            message(post("/checkpoints", "{a:1}")));
  EXPECT_EQ("Expected ',' or '}' after property value in JSON at position 7",
            message(post("/checkpoints", R"({"a":1 "b":2})")));
  EXPECT_EQ("Expected ',' or ']' after array element in JSON at position 3",
            message(post("/checkpoints", "[1 2]")));
  EXPECT_EQ("Expected ':' after property name in JSON at position 5",
            message(post("/checkpoints", R"({"a" 1})")));
  EXPECT_EQ("Unexpected non-whitespace character after JSON at position 3",
            message(post("/checkpoints", "{} x")));
  EXPECT_EQ("Unexpected token 'x', \"x\" is not valid JSON", message(post("/checkpoints", "x")));
  EXPECT_EQ("Unexpected number in JSON at position 1", message(post("/checkpoints", "01")));
  EXPECT_EQ("Bad control character in string literal in JSON at position 2",
            message(post("/checkpoints", "[\"\t\"]")));
  EXPECT_EQ("Unterminated string in JSON at position 4", message(post("/checkpoints", "[\"ab")));
  // Positions count UTF-16 units, not bytes.
  EXPECT_EQ("Unexpected non-whitespace character after JSON at position 7",
            message(post("/checkpoints", "[\"\xC3\xA9\xF0\x9F\x98\x80\"]!")));
  HttpResponse proto =
      post("/checkpoints", R"({"workflow_id":"p","step":1,"state":{"__proto__":{}}})");
  EXPECT_EQ(400, proto.status);
  EXPECT_EQ("Object contains forbidden prototype property", message(proto));
  EXPECT_FALSE(proto.json().contains("code"));  // shape C
}

TEST_P(Validation, ContentTypeRules) {
  Headers charset = auth();
  charset.emplace_back("Content-Type", "Application/JSON; charset=utf-8");
  EXPECT_EQ(201,
            post("/checkpoints", R"({"workflow_id":"ct","step":1,"state":{}})", charset).status);
  // A body-less POST without Content-Type reaches the schema ("body must be object").
  HttpResponse bare = RawClient(server->port()).request("POST", "/checkpoints", auth());
  EXPECT_EQ(400, bare.status);
  EXPECT_EQ("body must be object", message(bare));
  // Unsupported types are refused before the body limit and before auth.
  Headers xml = {{"Content-Type", "application/xml"}};
  HttpResponse r = post("/checkpoints", "<a/>", xml);
  EXPECT_EQ(415, r.status);
  EXPECT_EQ("Unsupported Media Type: application/xml", message(r));
}

TEST_P(Validation, BadPercentEscapesAreShapeE) {
  for (const char* target : {"/workflows/%zz/resume", "/workflows/%C3/resume", "/nope%"}) {
    HttpResponse r = RawClient(server->port()).request("GET", target, auth());
    EXPECT_EQ(400, r.status) << target;
    EXPECT_EQ(nullptr, r.header("x-request-id")) << target;
    EXPECT_EQ("application/json", *r.header("Content-Type"));
    EXPECT_EQ(std::string("'") + target + "' is not a valid url component", message(r));
  }
  // Escapes of reserved characters and encoded static segments are fine.
  EXPECT_EQ(404,
            RawClient(server->port()).request("GET", "/workflows/a%2Fb/resume", auth()).status);
  EXPECT_EQ(200, RawClient(server->port()).request("GET", "/%68ealth").status);
}

INSTANTIATE_TEST_SUITE_P(Storage, Validation, both_storages());

}  // namespace
}  // namespace dstest
