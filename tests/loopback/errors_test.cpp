// Error responses and failures through real libcurl: each recorded error exchange served by a
// loopback server becomes the documented exception with status, code, message and request id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

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

class ErrorsTest : public ::testing::Test {
 protected:
  snapstate::SnapStateClient client(int max_retries = 1) {
    return snapstate::SnapStateClient(loopback_options(server.base_url(), max_retries));
  }
  template <class E>
  static void expect_fields(const E& e, int status, const std::string& code,
                            const std::string& message, const std::string& request_id) {
    EXPECT_EQ(e.status_code(), status);
    EXPECT_EQ(e.code(), code);
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(e.request_id(), request_id);
  }

  ScriptedServer server;
};

TEST_F(ErrorsTest, MissingAndBadKeysAreAuthErrors) {
  server.enqueue(fixture_response("25-post-no-auth"));
  server.enqueue(fixture_response("26-post-bad-key"));
  auto c = client();
  const auto missing = expect_exact<snapstate::AuthError>([&] { c.save("wf", 1, json::object()); });
  expect_fields(missing, 401, "UNAUTHORIZED", "Missing or malformed Authorization header",
                "e31dde98-2f88-4654-b061-4bcb63714862");
  const auto bad = expect_exact<snapstate::AuthError>([&] { c.get("cp_1"); });
  expect_fields(bad, 401, "UNAUTHORIZED", "Invalid API key",
                "7093a08e-d680-49ab-ab14-6415b303b471");
}

TEST_F(ErrorsTest, NotFoundForCheckpointWorkflowAndAgent) {
  server.enqueue(fixture_response("08-get-checkpoint-missing"));
  server.enqueue(fixture_response("10-resume-missing"));
  server.enqueue(fixture_response("44b-agents-get-alpha"));
  auto c = client();
  expect_fields(expect_exact<snapstate::NotFoundError>([&] { c.get("cp_rs-demo-1_099"); }), 404,
                "NOT_FOUND", "Checkpoint cp_rs-demo-1_099 not found",
                "abf6b418-2e66-4f8f-8c62-0a9f4a5d4d46");
  expect_fields(expect_exact<snapstate::NotFoundError>([&] { c.resume("rs-no-such-wf"); }), 404,
                "NOT_FOUND", "No checkpoints found for workflow rs-no-such-wf",
                "ab773aba-0f62-4525-984a-970a74ee2489");
  expect_fields(expect_exact<snapstate::NotFoundError>([&] { c.get_agent("agent-alpha"); }), 404,
                "AGENT_NOT_FOUND", "Agent 'agent-alpha' not found",
                "ab39d16e-086d-43c7-b4cd-b727c4c6b576");
}

TEST_F(ErrorsTest, ConflictCarriesTheExistingEtagOnlyForAPlainResave) {
  server.enqueue(fixture_response("04-repost-step2-no-ifmatch"));
  server.enqueue(fixture_response("06-repost-step2-ifmatch-wrong"));
  auto c = client();
  const auto plain =
      expect_exact<snapstate::ConflictError>([&] { c.save("rs-demo-1", 2, json::object()); });
  expect_fields(plain, 409, "CONFLICT", "Checkpoint cp_rs-demo-1_002 already exists",
                "f5c949f5-0770-4dcb-9084-463d8a16c75e");
  EXPECT_EQ(plain.existing_checkpoint_id(), "cp_rs-demo-1_002");
  EXPECT_EQ(plain.existing_etag(), "\"62e54e50000b83f8\"");

  snapstate::SaveOptions options;
  options.if_match = "\"0000000000000000\"";
  const auto mismatch = expect_exact<snapstate::ConflictError>(
      [&] { c.save("rs-demo-1", 2, json::object(), options); });
  expect_fields(mismatch, 409, "CONFLICT", "ETag mismatch \xE2\x80\x94 checkpoint was modified",
                "be8e0fe5-dcad-45d0-9aff-a86bbf1a1cda");
  EXPECT_EQ(mismatch.existing_etag(), std::nullopt);
  EXPECT_EQ(server.requests().at(1).header("if-match"), "\"0000000000000000\"");
}

TEST_F(ErrorsTest, BodyLimitIsPayloadTooLarge) {
  server.enqueue(fixture_response("24b-post-state-over-1mib-no-expect"));
  auto c = client();
  expect_fields(
      expect_exact<snapstate::PayloadTooLargeError>([&] { c.save("wf", 1, json::object()); }), 413,
      "FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large",
      "1ad2b066-85e7-4678-8a75-5c2bc933a45f");
}

TEST_F(ErrorsTest, RateLimitWithASingleAttempt) {
  server.enqueue(fixture_response("62-rate-limit-req6"));
  auto c = client(/*max_retries=*/1);
  const auto e = expect_exact<snapstate::RateLimitError>([&] { c.replay("wf"); });
  expect_fields(e, 429, "RATE_LIMITED", "Rate limit exceeded",
                "f5027a6e-8f91-4a98-b13c-df2435c7094f");
  EXPECT_EQ(e.retry_after(), 60);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ErrorsTest, UnhandledServerErrorDerivesItsCode) {
  server.enqueue(fixture_response("66-redis-down-post"));
  auto c = client();
  const auto e = expect_exact<snapstate::ServerError>([&] { c.save("wf", 1, json::object()); });
  EXPECT_EQ(e.status_code(), 500);
  EXPECT_EQ(e.code(), "INTERNAL_SERVER_ERROR");
  EXPECT_THAT(e.what(), HasSubstr("maxRetriesPerRequest"));
  EXPECT_EQ(e.request_id(), "8920b206-6c2f-453d-8f6b-6c2312810749");
}

TEST_F(ErrorsTest, BadRequestsOfEachEndpoint) {
  server.enqueue(fixture_response("23f-post-multiple-errors"));
  server.enqueue(fixture_response("42-agents-post-invalid-id"));
  server.enqueue(fixture_response("51-webhooks-post-invalid-event"));
  auto c = client();
  expect_fields(expect_exact<snapstate::ValidationError>([&] { c.save("wf", 1, json::object()); }),
                400, "FST_ERR_VALIDATION", "body must have required property 'workflow_id'",
                "1ea28a4b-091f-4a53-9335-433849bdd9e5");
  expect_fields(expect_exact<snapstate::ValidationError>([&] { c.register_agent("ok-id", "n"); }),
                400, "VALIDATION_ERROR",
                "agent_id must be 1\xE2\x80\x93"
                "255 alphanumeric characters, underscores, or hyphens",
                "0e65e149-be1e-4bd1-8b12-15fbf714aa3f");
  expect_fields(expect_exact<snapstate::ValidationError>(
                    [&] { c.register_webhook("http://127.0.0.1:1/x", {"checkpoint.saved"}); }),
                400, "FST_ERR_VALIDATION",
                "body/events/0 must be equal to one of the allowed values",
                "0870313e-6e9b-4bcd-bc8b-7e2bbbec4068");
}

TEST_F(ErrorsTest, ShapeEHasNoRequestId) {
  server.enqueue(fixture_response("30e-wfid-raw-percent-invalid"));
  auto c = client();
  expect_fields(expect_exact<snapstate::ValidationError>([&] { c.resume("100%"); }), 400,
                "FST_ERR_BAD_URL", "'/workflows/100%/resume' is not a valid url component", "");
}

TEST_F(ErrorsTest, UnsupportedMediaTypeIsTheBaseClass) {
  server.enqueue(fixture_response("23j-post-no-content-type"));
  auto c = client();
  expect_fields(expect_exact<snapstate::SnapStateError>([&] { c.save("wf", 1, json::object()); }),
                415, "FST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type: undefined",
                "2c06f197-a33e-45fb-b1d4-baba3d6d5e37");
}

TEST_F(ErrorsTest, UnreadableSuccessBodiesAreProtocolErrors) {
  ScriptedResponse html;
  html.status = 200;
  html.content_type = "text/html";
  html.body = "<html><body>Welcome to nginx!</body></html>";
  html.headers.emplace_back("x-request-id", "rid-html");
  server.enqueue(html);
  const auto full = snapstate::testing::load_fixture("07-get-checkpoint-existing").response_body;
  server.enqueue_json(200, full.substr(0, full.size() / 2), "rid-truncated");
  auto c = client();
  const auto e1 = expect_exact<snapstate::ProtocolError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e1.status_code(), 200);
  EXPECT_EQ(e1.code(), "INVALID_RESPONSE");
  EXPECT_EQ(e1.request_id(), "rid-html");
  const auto e2 = expect_exact<snapstate::ProtocolError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e2.request_id(), "rid-truncated");
  EXPECT_EQ(server.request_count(), 2u) << "a bad body is not retried";
}

TEST_F(ErrorsTest, WrongTypesInASuccessBodyNameTheField) {
  server.enqueue_json(
      201,
      R"({"checkpoint_id":"c","workflow_id":"w","step":"one","etag":"e",)"
      R"("created_at":"t","diff_from_previous":{"added":[],"removed":[],"changed":[]},"size_bytes":2})",
      "rid-types");
  auto c = client();
  const auto e = expect_exact<snapstate::ProtocolError>([&] { c.save("wf", 1, json::object()); });
  EXPECT_THAT(e.what(), HasSubstr("step"));
  EXPECT_EQ(e.status_code(), 201);
  EXPECT_EQ(e.request_id(), "rid-types");
}

TEST_F(ErrorsTest, ResponseOverMaxResponseBytesIsAProtocolError) {
  server.enqueue_json(200, R"({"status":"ok","pad":")" + std::string(8192, 'p') + "\"}", "rid-big");
  server.enqueue(fixture_response("61-health"));
  auto options = loopback_options(server.base_url());
  options.max_response_bytes = 1024;
  snapstate::SnapStateClient c(options);
  const auto e = expect_exact<snapstate::ProtocolError>([&] { c.health(); });
  EXPECT_EQ(e.code(), "RESPONSE_TOO_LARGE");
  EXPECT_EQ(e.status_code(), 200);
  EXPECT_EQ(c.health().status, "ok") << "the client is usable afterwards";
}

TEST_F(ErrorsTest, HealthOfADegradedServerIsAnAnswer) {
  server.enqueue(fixture_response("66b-redis-down-health"));
  auto c = client(3);
  const auto health = c.health();
  EXPECT_EQ(health.status, "degraded");
  EXPECT_EQ(health.raw.at("redis"), "disconnected");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ErrorsTest, A503WithoutAHealthBodyIsAServerError) {
  server.enqueue_json(
      503, R"({"statusCode":503,"error":"Service Unavailable","message":"maintenance"})");
  auto c = client(3);
  const auto e = expect_exact<snapstate::ServerError>([&] { c.health(); });
  EXPECT_EQ(e.status_code(), 503);
  EXPECT_EQ(e.code(), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(std::string(e.what()), "maintenance");
}

TEST_F(ErrorsTest, ASlowServerIsATimeout) {
  ScriptedResponse slow = fixture_response("07-get-checkpoint-existing");
  slow.delay = std::chrono::milliseconds(3000);  // cut short when the server stops
  server.enqueue(slow);
  auto options = loopback_options(server.base_url());
  options.timeout = std::chrono::milliseconds(200);
  snapstate::SnapStateClient c(options);
  const auto e = expect_exact<snapstate::TimeoutError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.code(), "TIMEOUT");
  EXPECT_EQ(e.status_code(), 0);
  EXPECT_EQ(server.request_count(), 1u) << "a timeout is not retried";
}

// A port nothing listens on: bound, then closed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(ConnectionRefused, IsANetworkErrorAfterTheAttemptBudget) {
  snapstate::SnapStateClient c(
      loopback_options("http://127.0.0.1:" + std::to_string(closed_port()), 3));
  for (int i = 0; i < 2; ++i) {
    const auto e = expect_exact<snapstate::NetworkError>([&] {
      if (i == 0) {
        c.get("cp_1");
      } else {
        c.save("wf", 1, json::object());  // a connect failure is retried for a POST too
      }
    });
    EXPECT_EQ(e.code(), "CONNECTION_FAILED");
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_THAT(e.what(), HasSubstr("3 attempts"));
  }
}

}  // namespace
