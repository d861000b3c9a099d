// From a non-2xx response (or a transport failure) to the documented exception: class, status,
// code, message and request id, over the five error body shapes of the real server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <typeindex>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "allocation_counter.hpp"
#include "error_mapping.hpp"
#include "fake_transport.hpp"
#include "param_name.hpp"
#include "snapstate/errors.hpp"

namespace {

using snapstate::detail::FailureKind;
using snapstate::detail::HttpResponse;
using snapstate::detail::Outcome;
using snapstate::detail::parse_error_body;
using snapstate::detail::StopReason;
using snapstate::testing::fixture_http_response;
using snapstate::testing::http_response;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs `fn`, which must throw a SnapStateError, and hands back a copy of it (slicing keeps the
// shared details, so status, code and request id survive) plus its dynamic type.
struct Caught {
  std::type_index type = typeid(void);
  std::string what;
  int status = -1;
  std::string code;
  std::string request_id;
};

Caught catch_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const snapstate::SnapStateError& e) {
    return Caught{typeid(e), e.what(), e.status_code(), e.code(), e.request_id()};
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a SnapStateError: " << typeid(e).name() << ": " << e.what();
    return {};
  }
  ADD_FAILURE() << "nothing was thrown";
  return {};
}

// Maps the outcome of a call that stopped on `last` after `attempts` attempts (out of
// attempts when there were several).
template <class Last>
[[noreturn]] void throw_stopped(Last last, int attempts, int retry_after_seconds = 1) {
  Outcome outcome;
  outcome.last = std::move(last);
  outcome.attempts = attempts;
  outcome.reason = attempts > 1 ? StopReason::exhausted : StopReason::refused;
  outcome.retry_after_seconds = retry_after_seconds;
  snapstate::detail::throw_outcome(outcome, "snp_unit_test_key_0123456789abcdef");
}

std::string load_body(const std::string& fixture) {
  return snapstate::testing::load_fixture(fixture).response_body;
}

Caught map(const HttpResponse& response) {
  return catch_error([&] { throw_stopped(response, 1, 1); });
}

struct StatusCase {
  const char* name;
  HttpResponse response;
  std::type_index type;
  const char* code;
  const char* message;
  const char* request_id;
};

class StatusMapping : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusMapping, MapsToItsClassWithStatusCodeMessageAndRequestId) {
  const auto& param = GetParam();
  const auto e = map(param.response);
  EXPECT_EQ(e.type, param.type) << e.type.name();
  EXPECT_EQ(e.status, param.response.status);
  EXPECT_EQ(e.code, param.code);
  EXPECT_EQ(e.what, param.message);
  EXPECT_EQ(e.request_id, param.request_id);
}

std::vector<StatusCase> status_cases() {
  using namespace snapstate;
  return {
      {"Validation400ShapeB", fixture_http_response("23f-post-multiple-errors"),
       typeid(ValidationError), "FST_ERR_VALIDATION",
       "body must have required property 'workflow_id'", "1ea28a4b-091f-4a53-9335-433849bdd9e5"},
      {"Auth401", fixture_http_response("26-post-bad-key"), typeid(AuthError), "UNAUTHORIZED",
       "Invalid API key", "7093a08e-d680-49ab-ab14-6415b303b471"},
      {"Auth401MissingHeader", fixture_http_response("25-post-no-auth"), typeid(AuthError),
       "UNAUTHORIZED", "Missing or malformed Authorization header",
       "e31dde98-2f88-4654-b061-4bcb63714862"},
      {"Forbidden403",
       http_response(403, R"({"error":{"code":"FORBIDDEN","message":"Account is not active"}})",
                     "rid-403"),
       typeid(ForbiddenError), "FORBIDDEN", "Account is not active", "rid-403"},
      {"NotFound404", fixture_http_response("08-get-checkpoint-missing"), typeid(NotFoundError),
       "NOT_FOUND", "Checkpoint cp_rs-demo-1_099 not found",
       "abf6b418-2e66-4f8f-8c62-0a9f4a5d4d46"},
      {"AgentNotFound404", fixture_http_response("44b-agents-get-alpha"), typeid(NotFoundError),
       "AGENT_NOT_FOUND", "Agent 'agent-alpha' not found", "ab39d16e-086d-43c7-b4cd-b727c4c6b576"},
      {"Conflict409", fixture_http_response("06-repost-step2-ifmatch-wrong"), typeid(ConflictError),
       "CONFLICT", "ETag mismatch \xE2\x80\x94 checkpoint was modified",
       "be8e0fe5-dcad-45d0-9aff-a86bbf1a1cda"},
      {"PayloadTooLarge413", fixture_http_response("24b-post-state-over-1mib-no-expect"),
       typeid(PayloadTooLargeError), "FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large",
       "1ad2b066-85e7-4678-8a75-5c2bc933a45f"},
      {"UnsupportedMediaType415IsTheBaseClass", fixture_http_response("23j-post-no-content-type"),
       typeid(SnapStateError), "FST_ERR_CTP_INVALID_MEDIA_TYPE",
       "Unsupported Media Type: undefined", "2c06f197-a33e-45fb-b1d4-baba3d6d5e37"},
      {"RateLimited429", fixture_http_response("62-rate-limit-req6"), typeid(RateLimitError),
       "RATE_LIMITED", "Rate limit exceeded", "f5027a6e-8f91-4a98-b13c-df2435c7094f"},
      {"Internal500ShapeCDerivesTheCode", fixture_http_response("66-redis-down-post"),
       typeid(ServerError), "INTERNAL_SERVER_ERROR",
       "Reached the max retries per request limit (which is 3). Refer to "
       "\"maxRetriesPerRequest\" option for details.",
       "8920b206-6c2f-453d-8f6b-6c2312810749"},
      {"BadGateway502NonJson",
       http_response(502, "<html><body>Bad Gateway</body></html>", "rid-502"), typeid(ServerError),
       "BAD_GATEWAY", "HTTP 502 with no readable error message", "rid-502"},
      {"Unavailable503EmptyBody", http_response(503, "", ""), typeid(ServerError),
       "SERVICE_UNAVAILABLE", "HTTP 503 with no readable error message", ""},
      {"Teapot418WithCode",
       http_response(418, R"({"error":{"code":"TEAPOT","message":"short and stout"}})", "rid-418"),
       typeid(SnapStateError), "TEAPOT", "short and stout", "rid-418"},
      {"Teapot418WithoutBody", http_response(418, "", "rid-418"), typeid(SnapStateError),
       "HTTP_418", "HTTP 418 with no readable error message", "rid-418"},
  };
}

INSTANTIATE_TEST_SUITE_P(Statuses, StatusMapping, ::testing::ValuesIn(status_cases()),
                         snapstate::testing::ParamName());

// ---- the five body shapes -------------------------------------------------------------------

TEST(ErrorBodyShapes, AWithExistingFillsTheConflictDetails) {
  try {
    throw_stopped(fixture_http_response("04-repost-step2-no-ifmatch"), 1, 1);
    FAIL() << "expected ConflictError";
  } catch (const snapstate::ConflictError& e) {
    EXPECT_EQ(e.status_code(), 409);
    EXPECT_EQ(e.code(), "CONFLICT");
    EXPECT_STREQ(e.what(), "Checkpoint cp_rs-demo-1_002 already exists");
    EXPECT_EQ(e.request_id(), "f5c949f5-0770-4dcb-9084-463d8a16c75e");
    EXPECT_EQ(e.existing_checkpoint_id(), "cp_rs-demo-1_002");
    EXPECT_EQ(e.existing_etag(), "\"62e54e50000b83f8\"");
    // A copy shares the details and the message.
    const snapstate::ConflictError copy = e;
    EXPECT_EQ(copy.existing_etag(), e.existing_etag());
    EXPECT_STREQ(copy.what(), e.what());
  }
}

TEST(ErrorBodyShapes, AWithoutExistingLeavesThemEmpty) {
  try {
    throw_stopped(fixture_http_response("06-repost-step2-ifmatch-wrong"), 1, 1);
    FAIL() << "expected ConflictError";
  } catch (const snapstate::ConflictError& e) {
    EXPECT_EQ(e.existing_checkpoint_id(), std::nullopt);
    EXPECT_EQ(e.existing_etag(), std::nullopt);
  }
}

TEST(ErrorBodyShapes, BIsFastifysFlatBody) {
  const auto body = parse_error_body(load_body("24b-post-state-over-1mib-no-expect"));
  EXPECT_EQ(body.code, "FST_ERR_CTP_BODY_TOO_LARGE");
  EXPECT_EQ(body.message, "Request body is too large");
}

TEST(ErrorBodyShapes, CHasNoCodeSoTheStatusNamesIt) {
  const auto e = map(fixture_http_response("23g-post-malformed-json"));
  EXPECT_EQ(e.type, std::type_index(typeid(snapstate::ValidationError)));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "BAD_REQUEST");
  EXPECT_EQ(e.what, "Expected double-quoted property name in JSON at position 24");
  EXPECT_EQ(e.request_id, "e5e55ce7-7d2a-4894-920b-dad81123e26a");
}

TEST(ErrorBodyShapes, DIsTheUnknownRouteBody) {
  const auto e = map(fixture_http_response("60-unknown-route"));
  EXPECT_EQ(e.type, std::type_index(typeid(snapstate::NotFoundError)));
  EXPECT_EQ(e.code, "NOT_FOUND");
  EXPECT_EQ(e.what, "Route GET:/nope not found");
  EXPECT_EQ(e.request_id, "7665515f-05c1-4c35-be5b-13f855d0e013");
}

TEST(ErrorBodyShapes, EHasACodeButNoRequestId) {
  const auto e = map(fixture_http_response("30e-wfid-raw-percent-invalid"));
  EXPECT_EQ(e.type, std::type_index(typeid(snapstate::ValidationError)));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "FST_ERR_BAD_URL");
  EXPECT_EQ(e.what, "'/workflows/100%/resume' is not a valid url component");
  EXPECT_EQ(e.request_id, "");
}

TEST(ParseErrorBody, NeverThrowsAndLeavesUnreadableFieldsEmpty) {
  for (const char* body :
       {"", "not json", "<html>502</html>", "{\"error\":", "[1,2]", "null", "\"text\"", "42",
        R"({"error":{"code":5,"message":["x"]}})", R"({"code":null,"message":{}})"}) {
    const auto parsed = parse_error_body(body);
    EXPECT_EQ(parsed.code, "") << body;
    EXPECT_EQ(parsed.message, "") << body;
    EXPECT_EQ(parsed.existing_etag, std::nullopt) << body;
  }
}

TEST(ParseErrorBody, AReasonPhraseAloneBecomesTheMessage) {
  const auto parsed = parse_error_body(R"({"error":"Bad Gateway","statusCode":502})");
  EXPECT_EQ(parsed.code, "");
  EXPECT_EQ(parsed.message, "Bad Gateway");
}

TEST(ErrorMessages, AttemptsAreMentionedOnlyWhenThereWereSeveral) {
  const auto once =
      catch_error([] { throw_stopped(fixture_http_response("26-post-bad-key"), 1, 1); });
  EXPECT_EQ(once.what, "Invalid API key");
  const auto thrice =
      catch_error([] { throw_stopped(fixture_http_response("26-post-bad-key"), 3, 1); });
  EXPECT_THAT(thrice.what, HasSubstr("Invalid API key"));
  EXPECT_THAT(thrice.what, HasSubstr("3 attempts"));
}

TEST(ErrorMessages, RateLimitErrorCarriesRetryAfter) {
  try {
    throw_stopped(fixture_http_response("62-rate-limit-req6"), 2, 60);
    FAIL();
  } catch (const snapstate::RateLimitError& e) {
    EXPECT_EQ(e.retry_after(), 60);
  }
}

// ---- transport failures ---------------------------------------------------------------------

struct FailureCase {
  const char* name;
  FailureKind kind;
  bool timed_out;
  std::type_index type;
  const char* code;
  int status;
};

class FailureMapping : public ::testing::TestWithParam<FailureCase> {};

TEST_P(FailureMapping, MapsToItsClassAndClientCode) {
  const auto& param = GetParam();
  auto failure = snapstate::testing::failure(param.kind, param.timed_out);
  failure.status = param.status;
  const auto e = catch_error([&] { throw_stopped(failure, 1); });
  EXPECT_EQ(e.type, param.type) << e.type.name();
  EXPECT_EQ(e.code, param.code);
  EXPECT_EQ(e.status, param.status);
  EXPECT_EQ(e.request_id, "");
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, FailureMapping,
    ::testing::Values(FailureCase{"Connect", FailureKind::connect, false,
                                  typeid(snapstate::NetworkError), "CONNECTION_FAILED", 0},
                      FailureCase{"ConnectTimeout", FailureKind::connect, true,
                                  typeid(snapstate::TimeoutError), "CONNECT_TIMEOUT", 0},
                      FailureCase{"Timeout", FailureKind::timeout, false,
                                  typeid(snapstate::TimeoutError), "TIMEOUT", 0},
                      FailureCase{"Dropped", FailureKind::dropped, false,
                                  typeid(snapstate::NetworkError), "CONNECTION_DROPPED", 0},
                      FailureCase{"Tls", FailureKind::tls, false, typeid(snapstate::NetworkError),
                                  "TLS_ERROR", 0},
                      FailureCase{"TooLarge", FailureKind::too_large, false,
                                  typeid(snapstate::ProtocolError), "RESPONSE_TOO_LARGE", 200},
                      FailureCase{"Aborted", FailureKind::aborted, false,
                                  typeid(snapstate::SnapStateError), "CLIENT_CLOSED", 0},
                      FailureCase{"Other", FailureKind::other, false,
                                  typeid(snapstate::NetworkError), "NETWORK_ERROR", 0}),
    snapstate::testing::ParamName());

// ---- the API key never leaks into what() ----------------------------------------------------

TEST(ErrorMessages, NeverContainTheApiKey) {
  auto options = snapstate::testing::FakeClient::default_options();
  options.max_retries = 1;  // one scripted answer per call
  const std::string key = options.api_key;
  snapstate::testing::FakeClient c(options);
  for (int status : {400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 503, 418}) {
    c.transport->push(status, "", "rid");
  }
  for (auto kind :
       {FailureKind::connect, FailureKind::timeout, FailureKind::dropped, FailureKind::tls,
        FailureKind::too_large, FailureKind::aborted, FailureKind::other}) {
    c.transport->push_failure(kind);
  }
  std::vector<std::function<void()>> calls;
  for (int i = 0; i < 12 + 7; ++i) {
    calls.emplace_back([&] { c.impl.delete_webhook("wh_1"); });  // never retried
  }
  calls.emplace_back([&] { c.impl.save("", 1, nlohmann::json::object(), {}); });
  calls.emplace_back([&] {
    snapstate::SaveOptions o;
    o.if_match = "x\r\nAuthorization: Bearer " + key;
    c.impl.save("wf", 1, nlohmann::json::object(), o);
  });
  for (const auto& call : calls) {
    const auto e = catch_error(call);
    EXPECT_THAT(e.what, Not(HasSubstr(key)));
    EXPECT_THAT(e.what, Not(HasSubstr("snp_")));
    EXPECT_FALSE(e.code.empty());
  }
}

}  // namespace

namespace {

// The error body's reader has the depth limit of every other body: 16 MB of '[' is refused at
// level 1025, at the cost of reading any 16 MB body, not the gigabyte a tree of it would take.
TEST(ParseErrorBody, DeepNestingCostsNoMoreThanAnyBodyOfItsSize) {
  const std::string deep(16'000'000, '[');
  snapstate::detail::ErrorBody parsed;
  const auto cost = snapstate::testing::allocations_of([&] { parsed = parse_error_body(deep); });
  EXPECT_TRUE(parsed.code.empty());
  EXPECT_TRUE(parsed.message.empty());
  EXPECT_LT(cost.bytes, 20 * deep.size()) << cost.bytes << " bytes allocated";
}

}  // namespace
