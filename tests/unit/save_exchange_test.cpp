// Exactly-once saves through a scripted transport: what the client sends after a save whose
// outcome is unknown, and what it returns or throws for each thing the server may hold.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fake_transport.hpp"
#include "js_stringify.hpp"
#include "snapstate/errors.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::FailureKind;
using snapstate::detail::Method;
using snapstate::testing::checkpoint_body;
using snapstate::testing::FakeClient;
using snapstate::testing::save_result_body;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const json kState = {{"b", 1.0}, {"10", 2}, {"a", "x"}};

// The etag the server gives kState as the client sends it.
std::string state_etag(const json& state) {
  return snapstate::detail::state_etag(state.dump()).value();
}

FakeClient client(int max_retries = 6, bool retry_transient = true) {
  auto o = FakeClient::default_options();
  o.max_retries = max_retries;
  o.retry_transient_errors = retry_transient;
  return FakeClient(o);
}

std::vector<std::string> sent(const FakeClient& c) {
  std::vector<std::string> out;
  for (const auto& r : c.transport->requests()) {
    out.push_back(std::string(snapstate::detail::method_name(r.method)) + " " +
                  std::string(r.path()));
  }
  return out;
}

constexpr const char* kNotFound =
    R"({"error":{"code":"NOT_FOUND","message":"Checkpoint cp_wf_002 not found"}})";
constexpr const char* kExists =
    R"({"error":{"code":"CONFLICT","message":"Checkpoint cp_wf_002 already exists"},)"
    R"("existing":{"checkpoint_id":"cp_wf_002","etag":"\"0000000000000000\""}})";

TEST(ExactlyOnce, AnAnswerLostAfterTheWriteReturnsTheStoredRecord) {
  auto c = client();
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(
      200, checkpoint_body("wf", 2, kState, state_etag(kState), "2026-01-01T00:00:00.000Z"));
  const auto saved = c.impl.save("wf", 2, kState, {});
  EXPECT_EQ(saved.checkpoint_id, "cp_wf_002");
  EXPECT_EQ(saved.step, 2);
  EXPECT_EQ(saved.etag, state_etag(kState));
  EXPECT_EQ(saved.created_at, "2026-01-01T00:00:00.000Z") << "the first write's time";
  EXPECT_THAT(saved.diff_from_previous.added, ElementsAre("first")) << "the first write's diff";
  EXPECT_THAT(sent(c), ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002"))
      << "looked up, never sent again";
}

TEST(ExactlyOnce, EveryUnknownOutcomeIsLookedUp) {
  for (int unknown = 0; unknown < 7; ++unknown) {
    auto c = client();
    switch (unknown) {
      case 0: c.transport->push_failure(FailureKind::dropped); break;
      case 1: c.transport->push_failure(FailureKind::timeout); break;
      case 2: c.transport->push_failure(FailureKind::mismatched); break;
      case 3: c.transport->push(500, R"({"error":"Internal Server Error"})"); break;
      case 4: c.transport->push(502, ""); break;
      case 5: c.transport->push(503, ""); break;
      case 6: c.transport->push(504, ""); break;
    }
    c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
    EXPECT_EQ(c.impl.save("wf", 2, kState, {}).checkpoint_id, "cp_wf_002") << unknown;
    EXPECT_THAT(sent(c), ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002")) << unknown;
  }
}

TEST(ExactlyOnce, NotStoredIsWrittenAgain) {
  auto c = client();
  c.transport->push_failure(FailureKind::timeout);
  c.transport->push(404, kNotFound);
  c.transport->push(201, save_result_body("wf", 2, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).etag, state_etag(kState));
  EXPECT_THAT(sent(c),
              ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002", "POST /checkpoints"));
  EXPECT_EQ(c.transport->requests()[0].body, c.transport->requests()[2].body);
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 0)) << "a back-off before the look-up, none after";
}

TEST(ExactlyOnce, ADifferentStoredStateIsAConflict) {
  auto c = client();
  c.transport->push(502, "");
  const json other = {{"someone", "else"}};
  c.transport->push(200, checkpoint_body("wf", 2, other, state_etag(other)), "rid-lookup");
  try {
    c.impl.save("wf", 2, kState, {});
    FAIL() << "expected ConflictError";
  } catch (const snapstate::ConflictError& e) {
    EXPECT_EQ(e.status_code(), 409);
    EXPECT_EQ(e.code(), "CONFLICT");
    EXPECT_EQ(e.request_id(), "rid-lookup");
    EXPECT_EQ(e.existing_checkpoint_id(), "cp_wf_002");
    EXPECT_EQ(e.existing_etag(), state_etag(other));
    EXPECT_THAT(e.what(), HasSubstr("different state"));
  }
  EXPECT_EQ(c.transport->request_count(), 2u);
}

TEST(ExactlyOnce, AConflictAfterAnUnknownOutcomeIsOurOwnEarlierWrite) {
  auto c = client();
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(404, kNotFound);  // the first write had not landed yet
  c.transport->push(409, kExists);    // ... and then it had
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).etag, state_etag(kState));
  EXPECT_THAT(sent(c), ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002",
                                   "POST /checkpoints", "GET /checkpoints/cp_wf_002"));
}

TEST(ExactlyOnce, AnExplicitSecondSaveIsStillAConflict) {
  auto c = client();
  c.transport->push(409, kExists);
  EXPECT_THROW(c.impl.save("wf", 2, kState, {}), snapstate::ConflictError);
  EXPECT_EQ(c.transport->request_count(), 1u) << "no failure before it: nothing to resolve";
}

TEST(ExactlyOnce, AnAnswerForAnotherStepIsNotBelieved) {
  auto c = client();
  c.transport->push(201, save_result_body("wf", 1));  // a stale answer of step 1
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  const auto saved = c.impl.save("wf", 2, kState, {});
  EXPECT_EQ(saved.step, 2);
  EXPECT_THAT(sent(c), ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002"));
}

TEST(ExactlyOnce, AnAnswerForAnotherStepWithNoAttemptLeftIsAProtocolError) {
  auto c = client(1);
  c.transport->push(201, save_result_body("wf", 1), "rid-stale");
  try {
    c.impl.save("wf", 2, kState, {});
    FAIL() << "expected ProtocolError";
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_EQ(e.code(), "MISMATCHED_RESPONSE");
    EXPECT_EQ(e.status_code(), 201);
    EXPECT_EQ(e.request_id(), "rid-stale");
  }
}

TEST(ExactlyOnce, ALookUpOfAnotherCheckpointIsNotBelievedEither) {
  auto c = client();
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(200, checkpoint_body("wf", 1, kState, state_etag(kState)));
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).checkpoint_id, "cp_wf_002");
  EXPECT_EQ(c.transport->request_count(), 3u);
}

TEST(ExactlyOnce, AFailedLookUpIsLookedUpAgain) {
  auto c = client();
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push_failure(FailureKind::timeout);
  c.transport->push(503, "");
  c.transport->push_failure(FailureKind::connect);
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).step, 2);
  EXPECT_THAT(sent(c), ElementsAre("POST /checkpoints", "GET /checkpoints/cp_wf_002",
                                   "GET /checkpoints/cp_wf_002", "GET /checkpoints/cp_wf_002",
                                   "GET /checkpoints/cp_wf_002"));
}

TEST(ExactlyOnce, ALookUpThatIsRateLimitedWaitsAsAnyCallDoes) {
  auto c = client();
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(429, R"({"error":{"code":"RATE_LIMITED","message":"slow"}})", "r", "2");
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).step, 2);
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 4000)) << "Retry-After 2 s, doubled on attempt 2";
}

TEST(ExactlyOnce, TheCallersIfMatchStillReadsTheStoredRecordBack) {
  auto c = client();
  snapstate::SaveOptions options;
  options.if_match = "\"cafecafecafecafe\"";
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(200, checkpoint_body("wf", 2, {{"older", 1}}, "\"cafecafecafecafe\""));
  EXPECT_EQ(c.impl.save("wf", 2, kState, options).etag, "\"cafecafecafecafe\"");
}

TEST(ExactlyOnce, WithOneAttemptTheUnknownOutcomeIsReported) {
  auto c = client(1);
  c.transport->push_failure(FailureKind::dropped);
  try {
    c.impl.save("wf", 2, kState, {});
    FAIL() << "expected NetworkError";
  } catch (const snapstate::NetworkError& e) {
    EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
  }
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(ExactlyOnce, OutOfAttemptsWhileLookingUpReportsTheLastFailure) {
  auto c = client(3);
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(503, "", "rid-last");
  try {
    c.impl.save("wf", 2, kState, {});
    FAIL() << "expected ServerError";
  } catch (const snapstate::ServerError& e) {
    EXPECT_EQ(e.request_id(), "rid-last");
    EXPECT_THAT(e.what(), HasSubstr("gave up after 3 attempts"));
  }
}

TEST(ExactlyOnce, LookingUpIsNotABlindRetrySoItHappensWithTransientRetriesOff) {
  auto c = client(3, /*retry_transient=*/false);
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(200, checkpoint_body("wf", 2, kState, state_etag(kState)));
  EXPECT_EQ(c.impl.save("wf", 2, kState, {}).step, 2);
}

TEST(ExactlyOnce, TheLookUpUsesTheServersIdForAnyStepAndWorkflow) {
  const json state = json::object();
  for (const auto& [workflow, step, path] :
       {std::tuple<std::string, std::int64_t, std::string>{"wf", 0, "/checkpoints/cp_wf_000"},
        {"wf", 1000, "/checkpoints/cp_wf_1000"},
        {"a/b c", 7, "/checkpoints/cp_a%2Fb%20c_007"},
        // The largest step a JavaScript number holds exactly (larger ones are refused).
        {"wf", 9007199254740991, "/checkpoints/cp_wf_9007199254740991"}}) {
    auto c = client();
    c.transport->push_failure(FailureKind::dropped);
    auto stored = json::parse(checkpoint_body(workflow, step, state, state_etag(state)));
    c.transport->push(200, stored.dump());
    EXPECT_NO_THROW(c.impl.save(workflow, step, state, {})) << path;
    ASSERT_EQ(c.transport->request_count(), 2u);
    EXPECT_EQ(c.transport->requests()[1].path(), path);
  }
}

}  // namespace
