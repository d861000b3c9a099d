// The retry loop through ClientImpl with a scripted transport and a recording sleeper: exact
// delay sequences, attempt budgets and which failures are (not) repeated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <string>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fake_transport.hpp"
#include "param_name.hpp"
#include "retry.hpp"
#include "snapstate/errors.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::FailureKind;
using snapstate::testing::FakeClient;
using snapstate::testing::http_response;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kRateLimited =
    R"({"error":{"code":"RATE_LIMITED","message":"Rate limit exceeded"}})";
constexpr const char* kUnavailable =
    R"({"statusCode":503,"error":"Service Unavailable","message":"down"})";

// Sun, 06 Nov 1994 08:49:37 GMT, the RFC 9110 example date.
const system_clock::time_point kRfcDate{seconds(784111777)};

snapstate::ClientOptions options(int max_retries, milliseconds max_wait = milliseconds(30000),
                                 bool retry_transient = true) {
  auto o = FakeClient::default_options();
  o.max_retries = max_retries;
  o.max_retry_wait = max_wait;
  o.retry_transient_errors = retry_transient;
  return o;
}

std::string success_body() {
  return snapstate::testing::load_fixture("02-post-checkpoint-step1").response_body;
}
std::string checkpoint_body() {
  return snapstate::testing::load_fixture("07-get-checkpoint-existing").response_body;
}

// The workflow, step and checkpoint of the recorded bodies above.
void save(FakeClient& c) {
  c.impl.save("rs-demo-1", 1, json::object(), {});
}
void get(FakeClient& c) {
  c.impl.get("cp_rs-demo-1_001");
}

// ---- 429 ------------------------------------------------------------------------------------

TEST(RateLimitRetry, SleepsRetryAfterDoubledAndNotAfterTheLastAttempt) {
  FakeClient c(options(3));
  for (int i = 0; i < 3; ++i) c.transport->push(429, kRateLimited, "rid-" + std::to_string(i), "2");
  try {
    save(c);
    FAIL() << "expected RateLimitError";
  } catch (const snapstate::RateLimitError& e) {
    EXPECT_EQ(e.status_code(), 429);
    EXPECT_EQ(e.code(), "RATE_LIMITED");
    EXPECT_EQ(e.retry_after(), 2);
    EXPECT_EQ(e.request_id(), "rid-2") << "the last response's id";
    EXPECT_THAT(e.what(), HasSubstr("Rate limit exceeded"));
    EXPECT_THAT(e.what(), HasSubstr("3 attempts"));
  }
  EXPECT_THAT(*c.sleeps, ElementsAre(2000, 4000));
  EXPECT_EQ(c.transport->request_count(), 3u);
}

TEST(RateLimitRetry, SucceedsOnceTheServerRelents) {
  FakeClient c(options(3));
  c.transport->push(429, kRateLimited, "r1", "2");
  c.transport->push(201, success_body());
  const auto result = c.impl.save("rs-demo-1", 1, json::object(), {});
  EXPECT_EQ(result.checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_THAT(*c.sleeps, ElementsAre(2000));
  EXPECT_EQ(c.transport->request_count(), 2u);
}

TEST(RateLimitRetry, RealFixtureWaitIsCappedByMaxRetryWait) {
  FakeClient c(options(3, milliseconds(5000)));
  for (int i = 0; i < 3; ++i) c.transport->push_fixture("62-rate-limit-req6");  // retry-after: 60
  try {
    get(c);
    FAIL() << "expected RateLimitError";
  } catch (const snapstate::RateLimitError& e) {
    EXPECT_EQ(e.retry_after(), 60);
    EXPECT_EQ(e.request_id(), "f5027a6e-8f91-4a98-b13c-df2435c7094f");
  }
  EXPECT_THAT(*c.sleeps, ElementsAre(5000, 5000));
}

TEST(RateLimitRetry, DoublingStopsAtTheCap) {
  FakeClient c(options(5, milliseconds(5000)));
  for (int i = 0; i < 5; ++i) c.transport->push(429, kRateLimited, "r", "2");
  EXPECT_THROW(get(c), snapstate::RateLimitError);
  EXPECT_THAT(*c.sleeps, ElementsAre(2000, 4000, 5000, 5000));
  EXPECT_EQ(c.transport->request_count(), 5u);
}

TEST(RateLimitRetry, AnUnboundedCapIsHeldToADay) {
  FakeClient c(options(2, milliseconds::max()));
  for (int i = 0; i < 2; ++i) c.transport->push(429, kRateLimited, "r", "999999999999");
  EXPECT_THROW(get(c), snapstate::RateLimitError);
  EXPECT_THAT(*c.sleeps, ElementsAre(24 * 3600 * 1000));
}

struct DateCase {
  const char* name;
  const char* retry_after;
  long long expected_seconds;
};

class RetryAfterDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(RetryAfterDate, IsRelativeToTheInjectedClock) {
  const auto& param = GetParam();
  FakeClient c(options(2), 0.0, kRfcDate - seconds(7));
  c.transport->push(429, kRateLimited, "r1", param.retry_after);
  c.transport->push(429, kRateLimited, "r2", param.retry_after);
  try {
    get(c);
    FAIL() << "expected RateLimitError";
  } catch (const snapstate::RateLimitError& e) {
    EXPECT_EQ(e.retry_after(), param.expected_seconds);
  }
  EXPECT_THAT(*c.sleeps, ElementsAre(param.expected_seconds * 1000));
}

INSTANTIATE_TEST_SUITE_P(
    Formats, RetryAfterDate,
    ::testing::Values(DateCase{"ImfFixdate", "Sun, 06 Nov 1994 08:49:37 GMT", 7},
                      DateCase{"Rfc850", "Sunday, 06-Nov-94 08:49:37 GMT", 7},
                      DateCase{"Asctime", "Sun Nov  6 08:49:37 1994", 7},
                      DateCase{"PastDateIsZero", "Sun, 06 Nov 1994 08:49:00 GMT", 0},
                      DateCase{"Seconds", "3", 3}, DateCase{"Garbage", "soon", 1},
                      DateCase{"Absent", "", 1}, DateCase{"NegativeIsGarbage", "-5", 1},
                      DateCase{"BadZone", "Sun, 06 Nov 1994 08:49:37 UTC", 1}),
    snapstate::testing::ParamName());

TEST(ParseRetryAfter, AcceptsTheThreeHttpDateFormatsAndSeconds) {
  using snapstate::detail::parse_retry_after;
  EXPECT_EQ(parse_retry_after("120", kRfcDate), 120);
  EXPECT_EQ(parse_retry_after(" 5 ", kRfcDate), 5);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", kRfcDate), 10);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", kRfcDate), 60);
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:38 1994", kRfcDate), 1);
  // A two-digit RFC 850 year below 70 is 20xx.
  const system_clock::time_point new_year{seconds(1767225600)};  // 2026-01-01T00:00:00Z
  EXPECT_EQ(parse_retry_after("Thursday, 01-Jan-26 00:00:10 GMT", new_year), 10);
  EXPECT_EQ(parse_retry_after("Mon, 30 Nov 2026 04:30:41 GMT",
                              system_clock::time_point{seconds(1796013000)}),
            41);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate + seconds(3600)), 0);
}

TEST(ParseRetryAfter, RefusesWhatItCannotRead) {
  using snapstate::detail::parse_retry_after;
  for (const char* bad : {"", "   ", "soon", "1.5", "-1", "+3", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x"}) {
    EXPECT_EQ(parse_retry_after(bad, kRfcDate), std::nullopt) << '"' << bad << '"';
  }
}

TEST(ParseRetryAfter, HugeValuesSaturateInsteadOfOverflowing) {
  const auto value = snapstate::detail::parse_retry_after("99999999999999999999999", kRfcDate);
  ASSERT_TRUE(value.has_value());
  EXPECT_GT(*value, 0);
  EXPECT_EQ(snapstate::detail::rate_limit_delay(*value, 3, milliseconds(30000)),
            milliseconds(30000));
}

TEST(RateLimitDelay, IsRetryAfterTimesTwoToTheKCapped) {
  using snapstate::detail::rate_limit_delay;
  EXPECT_EQ(rate_limit_delay(2, 0, milliseconds(30000)), milliseconds(2000));
  EXPECT_EQ(rate_limit_delay(2, 1, milliseconds(30000)), milliseconds(4000));
  EXPECT_EQ(rate_limit_delay(2, 3, milliseconds(30000)), milliseconds(16000));
  EXPECT_EQ(rate_limit_delay(2, 4, milliseconds(30000)), milliseconds(30000));
  EXPECT_EQ(rate_limit_delay(0, 4, milliseconds(30000)), milliseconds(0));
  EXPECT_EQ(rate_limit_delay(60, 0, milliseconds(0)), milliseconds(0));
  // Any cap: the doubling stops at it instead of overflowing (UBSan watches this).
  EXPECT_EQ(rate_limit_delay(1'000'000'000, 60, milliseconds::max()), milliseconds::max());
  // A Retry-After date centuries away (what fuzz_retry_after found), whatever the cap.
  EXPECT_EQ(rate_limit_delay(33485210533449200, 0, milliseconds(30000)), milliseconds(30000));
  EXPECT_EQ(rate_limit_delay(LLONG_MAX, 3, milliseconds::max()), milliseconds::max());
}

// ---- attempt budget -------------------------------------------------------------------------

struct BudgetCase {
  int max_retries;
  std::size_t attempts;
};

class AttemptBudget : public ::testing::TestWithParam<BudgetCase> {};

TEST_P(AttemptBudget, MaxRetriesIsTheTotalNumberOfAttempts) {
  const auto [max_retries, attempts] = GetParam();
  FakeClient c(options(max_retries));
  for (int i = 0; i < 10; ++i) c.transport->push(429, kRateLimited, "r", "1");
  try {
    get(c);
    FAIL() << "expected RateLimitError";
  } catch (const snapstate::RateLimitError& e) {
    if (attempts > 1) {
      EXPECT_THAT(e.what(), HasSubstr(std::to_string(attempts) + " attempts"));
    } else {
      EXPECT_THAT(e.what(), Not(HasSubstr("attempts")));
    }
  }
  EXPECT_EQ(c.transport->request_count(), attempts);
  EXPECT_EQ(c.sleeps->size(), attempts - 1);
}

INSTANTIATE_TEST_SUITE_P(Budgets, AttemptBudget,
                         ::testing::Values(BudgetCase{-3, 1}, BudgetCase{0, 1}, BudgetCase{1, 1},
                                           BudgetCase{2, 2}, BudgetCase{5, 5}));

// ---- transient failures ---------------------------------------------------------------------

TEST(TransientRetry, ConnectFailureIsRetriedForAPost) {
  FakeClient c(options(3));
  c.transport->push_failure(FailureKind::connect);
  c.transport->push_failure(FailureKind::connect);
  c.transport->push(201, success_body());
  EXPECT_EQ(c.impl.save("rs-demo-1", 1, json::object(), {}).step, 1);
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 250)) << "jitter 0: half of 250 ms, then of 500 ms";
}

TEST(TransientRetry, ConnectFailureIsRetriedForAGetThenReported) {
  FakeClient c(options(3));
  for (int i = 0; i < 3; ++i) c.transport->push_failure(FailureKind::connect);
  try {
    get(c);
    FAIL() << "expected NetworkError";
  } catch (const snapstate::TimeoutError&) {
    FAIL() << "a refused connection is not a timeout";
  } catch (const snapstate::NetworkError& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), "CONNECTION_FAILED");
    EXPECT_THAT(e.what(), HasSubstr("3 attempts"));
  }
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 250));
}

TEST(TransientRetry, ConnectTimeoutIsRetriedAndReportedAsTimeout) {
  FakeClient c(options(2));
  c.transport->push_failure(FailureKind::connect, /*timed_out=*/true);
  c.transport->push_failure(FailureKind::connect, /*timed_out=*/true);
  try {
    save(c);
    FAIL() << "expected TimeoutError";
  } catch (const snapstate::TimeoutError& e) {
    EXPECT_EQ(e.code(), "CONNECT_TIMEOUT");
    EXPECT_EQ(e.status_code(), 0);
  }
  EXPECT_EQ(c.transport->request_count(), 2u);
}

class TransientStatusForGet : public ::testing::TestWithParam<int> {};

TEST_P(TransientStatusForGet, IsRetriedThenSucceeds) {
  FakeClient c(options(3));
  c.transport->push(GetParam(), kUnavailable);
  c.transport->push(GetParam(), kUnavailable);
  c.transport->push(200, checkpoint_body());
  EXPECT_EQ(c.impl.get("cp_rs-demo-1_001").step, 1);
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 250));
}

TEST_P(TransientStatusForGet, GivesUpWithServerErrorAfterTheBudget) {
  FakeClient c(options(3));
  for (int i = 0; i < 3; ++i)
    c.transport->push(GetParam(), kUnavailable, "rid-" + std::to_string(i));
  try {
    c.impl.resume("wf-1");
    FAIL() << "expected ServerError";
  } catch (const snapstate::ServerError& e) {
    EXPECT_EQ(e.status_code(), GetParam());
    EXPECT_EQ(e.request_id(), "rid-2");
    EXPECT_THAT(e.what(), HasSubstr("3 attempts"));
  }
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_EQ(c.sleeps->size(), 2u);
}

TEST_P(TransientStatusForGet, IsNotRepeatedForAWrite) {
  FakeClient c(options(3));
  c.transport->push(GetParam(), kUnavailable);
  EXPECT_THROW(c.impl.delete_agent("agent-beta"), snapstate::ServerError);
  EXPECT_EQ(c.transport->request_count(), 1u) << "a save looks itself up (save_exchange_test)";
  EXPECT_THAT(*c.sleeps, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Statuses, TransientStatusForGet, ::testing::Values(502, 503, 504));

TEST(TransientRetry, InternalServerErrorIsNeverRetried) {
  FakeClient c(options(3));
  c.transport->push_fixture("66-redis-down-post");
  EXPECT_THROW(get(c), snapstate::ServerError);
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(TransientRetry, DroppedConnectionIsRetriedForAGet) {
  FakeClient c(options(3));
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(200, checkpoint_body());
  EXPECT_EQ(c.impl.get("cp_rs-demo-1_001").checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(c.transport->request_count(), 2u);
}

TEST(TransientRetry, AWriteIsNeverSentAgainAfterADrop) {
  FakeClient c(options(3));
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(201, snapstate::testing::load_fixture("50-webhooks-post-valid").response_body);
  try {
    c.impl.register_webhook("http://h/x", {"checkpoint.saved"}, std::nullopt);
    FAIL() << "expected NetworkError";
  } catch (const snapstate::NetworkError& e) {
    EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
    EXPECT_THAT(e.what(), Not(HasSubstr("attempts")));
  }
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(TransientRetry, OtherMutationsAreNotReplayedEither) {
  FakeClient c(options(3));
  c.transport->push(503, kUnavailable);
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(503, kUnavailable);
  EXPECT_THROW(c.impl.delete_agent("agent-beta"), snapstate::ServerError);
  snapstate::AgentUpdate update;
  update.name = "x";
  EXPECT_THROW(c.impl.update_agent("agent-beta", update), snapstate::NetworkError);
  EXPECT_THROW(c.impl.register_webhook("http://h/x", {"checkpoint.saved"}, std::nullopt),
               snapstate::ServerError);
  EXPECT_EQ(c.transport->request_count(), 3u);
}

TEST(TransientRetry, DisabledMeansEveryFailureIsFinal) {
  FakeClient c(options(3, milliseconds(30000), /*retry_transient=*/false));
  c.transport->push_failure(FailureKind::connect);
  c.transport->push(503, kUnavailable);
  c.transport->push_failure(FailureKind::dropped);
  EXPECT_THROW(save(c), snapstate::NetworkError);
  EXPECT_THROW(get(c), snapstate::ServerError);
  EXPECT_THROW(get(c), snapstate::NetworkError);
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_THAT(*c.sleeps, IsEmpty());
}

TEST(TransientRetry, DisabledStillRetriesRateLimits) {
  FakeClient c(options(2, milliseconds(30000), /*retry_transient=*/false));
  c.transport->push(429, kRateLimited, "r", "1");
  c.transport->push(200, checkpoint_body());
  EXPECT_NO_THROW(get(c));
  EXPECT_THAT(*c.sleeps, ElementsAre(1000));
}

TEST(TransientRetry, TimeoutsAreNotRetried) {
  FakeClient c(options(3));
  c.transport->push_failure(FailureKind::timeout);
  c.transport->push(200, checkpoint_body());
  try {
    get(c);
    FAIL() << "expected TimeoutError";
  } catch (const snapstate::TimeoutError& e) {
    EXPECT_EQ(e.code(), "TIMEOUT");
    EXPECT_EQ(e.status_code(), 0);
  }
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(TransientRetry, TlsOversizeAndAbortAreNotRetried) {
  FakeClient c(options(3));
  c.transport->push_failure(FailureKind::tls);
  auto too_large = snapstate::testing::failure(FailureKind::too_large);
  too_large.status = 200;
  c.transport->push(too_large);
  c.transport->push_failure(FailureKind::aborted);
  try {
    get(c);
    FAIL();
  } catch (const snapstate::NetworkError& e) {
    EXPECT_EQ(e.code(), "TLS_ERROR");
  }
  try {
    get(c);
    FAIL();
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_EQ(e.code(), "RESPONSE_TOO_LARGE");
    EXPECT_EQ(e.status_code(), 200);
  }
  try {
    get(c);
    FAIL();
  } catch (const snapstate::NetworkError&) {
    FAIL() << "an aborted call is CLIENT_CLOSED, not a network error";
  } catch (const snapstate::SnapStateError& e) {
    EXPECT_EQ(e.code(), "CLIENT_CLOSED");
  }
  EXPECT_EQ(c.transport->request_count(), 3u);
  EXPECT_THAT(*c.sleeps, IsEmpty());
}

TEST(TransientRetry, HealthTreatsA503AsAnAnswer) {
  FakeClient c(options(3));
  c.transport->push_fixture("66b-redis-down-health");
  EXPECT_EQ(c.impl.health().status, "degraded");
  EXPECT_EQ(c.transport->request_count(), 1u);
}

// ---- jittered back-off ----------------------------------------------------------------------

TEST(TransientDelay, MatchesTheEqualJitterFormula) {
  using snapstate::detail::transient_delay;
  // Base 250 ms, and the default cap of 30 s.
  auto policy = snapstate::detail::RetryPolicy::from(snapstate::ClientOptions{});
  EXPECT_EQ(transient_delay(policy, 0, 0.0), milliseconds(125));
  EXPECT_EQ(transient_delay(policy, 0, 0.999), milliseconds(249));  // 250 * 0.9995
  EXPECT_EQ(transient_delay(policy, 1, 0.0), milliseconds(250));
  EXPECT_EQ(transient_delay(policy, 1, 0.999), milliseconds(499));
  EXPECT_EQ(transient_delay(policy, 3, 0.5), milliseconds(1500));  // 2000 * 0.75
  EXPECT_EQ(transient_delay(policy, 20, 0.0), milliseconds(15000));
  // The cap times the top jitter factor, computed as the formula does.
  EXPECT_EQ(transient_delay(policy, 20, 0.999),
            milliseconds(static_cast<long long>(30000.0 * (0.5 + 0.999 / 2))));
  policy.max_wait = milliseconds(300);
  EXPECT_EQ(transient_delay(policy, 2, 0.0), milliseconds(150));
  EXPECT_EQ(transient_delay(policy, 2, 0.999), milliseconds(299));
  EXPECT_EQ(transient_delay(policy, 60, 0.999), milliseconds(299)) << "no overflow for large k";
  policy.max_wait = milliseconds::max();
  EXPECT_EQ(transient_delay(policy, 200, 0.0), milliseconds::max() / 2) << "nor for any cap";
  EXPECT_GT(transient_delay(policy, 200, 1.0), milliseconds::max() / 2);
}

TEST(TransientDelay, ClientUsesTheInjectedJitterAndTheCap) {
  FakeClient c(options(5, milliseconds(1000)), /*jitter=*/0.999);
  for (int i = 0; i < 4; ++i) c.transport->push_failure(FailureKind::connect);
  c.transport->push(200, checkpoint_body());
  EXPECT_NO_THROW(get(c));
  // min(250 * 2^k, 1000) * 0.9995
  EXPECT_THAT(*c.sleeps, ElementsAre(249, 499, 999, 999));
}

TEST(TransientDelay, ZeroJitterHalvesTheCappedBase) {
  FakeClient c(options(5, milliseconds(1000)), /*jitter=*/0.0);
  for (int i = 0; i < 4; ++i) c.transport->push(503, kUnavailable);
  c.transport->push(200, checkpoint_body());
  EXPECT_NO_THROW(get(c));
  EXPECT_THAT(*c.sleeps, ElementsAre(125, 250, 500, 500));
}

}  // namespace

// ---- total_timeout: the whole call has a bound -----------------------------------------------

namespace {

using snapstate::AttemptEvent;

TEST(Deadline, NeverSleepsPastTheTotalTimeout) {
  auto o = options(10);
  o.total_timeout = milliseconds(12000);
  FakeClient c(o);
  for (int i = 0; i < 10; ++i) c.transport->push(429, kRateLimited, "r", "5");
  try {
    get(c);
    FAIL() << "expected RateLimitError";
  } catch (const snapstate::RateLimitError& e) {
    EXPECT_THAT(e.what(), HasSubstr("stopped by total_timeout 12000 ms after 2 attempts"));
  }
  EXPECT_THAT(*c.sleeps, ElementsAre(5000)) << "the next wait, 10 s, would pass 12 s";
  EXPECT_EQ(c.transport->request_count(), 2u);
  EXPECT_LE(c.elapsed(), milliseconds(12000));
}

TEST(Deadline, AnAttemptGetsOnlyWhatIsLeft) {
  auto o = options(3);
  o.total_timeout = milliseconds(1500);
  FakeClient c(o);
  c.transport->push(http_response(503, kUnavailable, "r1"), milliseconds(600));
  c.transport->push_silence();
  EXPECT_THROW(get(c), snapstate::TimeoutError);
  const auto limits = c.transport->limits();
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].timeout, milliseconds(1500)) << "capped from 30 s";
  EXPECT_EQ(limits[0].connect_timeout, milliseconds(1500)) << "capped from 10 s";
  EXPECT_EQ(limits[1].timeout, milliseconds(1500 - 600 - 125)) << "what the sleep left";
  EXPECT_EQ(c.elapsed(), milliseconds(1500));
}

TEST(Deadline, BoundsTheResolutionOfAnUnknownSave) {
  auto o = options(6);
  o.total_timeout = milliseconds(1000);
  FakeClient c(o);
  c.transport->push_silence();  // the save's answer never comes
  try {
    save(c);
    FAIL() << "expected TimeoutError";
  } catch (const snapstate::TimeoutError& e) {
    EXPECT_EQ(e.code(), "TIMEOUT");
    EXPECT_THAT(e.what(), HasSubstr("stopped by total_timeout 1000 ms after 1 attempt"));
  }
  EXPECT_EQ(c.transport->request_count(), 1u) << "no time left to look it up";
  EXPECT_EQ(c.elapsed(), milliseconds(1000));
}

TEST(Deadline, FailedConnectsStopAtIt) {
  auto o = options(10);
  o.total_timeout = milliseconds(1000);
  FakeClient c(o);
  for (int i = 0; i < 10; ++i) {
    c.transport->push(snapstate::testing::failure(FailureKind::connect), milliseconds(400));
  }
  EXPECT_THROW(get(c), snapstate::NetworkError);
  EXPECT_EQ(c.transport->request_count(), 2u);
  EXPECT_THAT(*c.sleeps, ElementsAre(125));
  EXPECT_LE(c.elapsed(), milliseconds(1000));
}

TEST(Deadline, UnsetMeansNoCap) {
  FakeClient c(options(4));
  for (int i = 0; i < 3; ++i) c.transport->push(429, kRateLimited, "r", "20");
  c.transport->push(200, checkpoint_body());
  EXPECT_NO_THROW(get(c));
  EXPECT_THAT(*c.sleeps, ElementsAre(20000, 30000, 30000));
  EXPECT_EQ(c.transport->limits().at(3).timeout, milliseconds(30000));
}

// ---- attempt events ---------------------------------------------------------------------------

snapstate::ClientOptions observed(std::vector<AttemptEvent>& events, int max_retries = 3) {
  auto o = options(max_retries);
  o.on_attempt = [&events](const AttemptEvent& e) { events.push_back(e); };
  return o;
}

TEST(AttemptEvents, OnePerAttemptWithWhatCameBackAndTheWaitAfterIt) {
  std::vector<AttemptEvent> events;
  FakeClient c(observed(events));
  c.transport->push(http_response(429, kRateLimited, "rid-429", "2"), milliseconds(3));
  c.transport->push(snapstate::testing::failure(FailureKind::connect), milliseconds(1));
  c.transport->push(http_response(200, checkpoint_body(), "rid-ok"), milliseconds(7));
  get(c);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].method, "GET");
  EXPECT_EQ(events[0].path, "/checkpoints/cp_rs-demo-1_001");
  EXPECT_EQ(events[0].attempt, 1);
  EXPECT_EQ(events[0].status, 429);
  EXPECT_EQ(events[0].error_code, "");
  EXPECT_EQ(events[0].elapsed, std::chrono::microseconds(3000));
  EXPECT_EQ(events[0].retry_in, milliseconds(2000));
  EXPECT_EQ(events[0].request_id, "rid-429");
  EXPECT_EQ(events[1].attempt, 2);
  EXPECT_EQ(events[1].status, 0);
  EXPECT_EQ(events[1].error_code, "CONNECTION_FAILED");
  EXPECT_EQ(events[1].retry_in, milliseconds(250));
  EXPECT_EQ(events[1].request_id, "");
  EXPECT_EQ(events[2].attempt, 3);
  EXPECT_EQ(events[2].status, 200);
  EXPECT_EQ(events[2].retry_in, std::nullopt) << "no wait after the last attempt";
  EXPECT_EQ(events[2].elapsed, std::chrono::microseconds(7000));
}

TEST(AttemptEvents, ThePathIsAsSentWithoutTheQuery) {
  std::vector<AttemptEvent> events;
  FakeClient c(observed(events));
  c.transport->push(200, snapstate::testing::empty_replay_body("wf/1"));
  snapstate::ReplayOptions options;
  options.limit = 5;
  c.impl.replay("wf/1", options);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path, "/workflows/wf%2F1/replay");
}

TEST(AttemptEvents, ASaveLookingItselfUpShowsBothRequests) {
  std::vector<AttemptEvent> events;
  FakeClient c(observed(events));
  c.transport->push_failure(FailureKind::dropped);
  c.transport->push(200, snapstate::testing::checkpoint_body("rs-demo-1", 1));
  save(c);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].method + " " + events[0].path, "POST /checkpoints");
  EXPECT_EQ(events[0].error_code, "CONNECTION_DROPPED");
  EXPECT_EQ(events[0].retry_in, milliseconds(125));
  EXPECT_EQ(events[1].method + " " + events[1].path, "GET /checkpoints/cp_rs-demo-1_001");
  EXPECT_EQ(events[1].status, 200);
}

TEST(AttemptEvents, WhatAnObserverThrowsChangesNothing) {
  auto o = options(3);
  int calls = 0;
  o.on_attempt = [&calls](const AttemptEvent&) {
    if (++calls % 2 == 1) throw std::runtime_error("observer failed");
    throw 42;  // NOLINT: not even a std::exception
  };
  FakeClient c(o);
  c.transport->push(503, kUnavailable);
  c.transport->push(200, checkpoint_body());
  EXPECT_EQ(c.impl.get("cp_rs-demo-1_001").step, 1);
  EXPECT_EQ(calls, 2);
  EXPECT_THAT(*c.sleeps, ElementsAre(125));
}

TEST(AttemptEvents, NoEventCarriesTheKeyOrABody) {
  std::vector<AttemptEvent> events;
  FakeClient c(observed(events));
  const std::string key = FakeClient::default_options().api_key;
  c.transport->push(http_response(400, R"({"error":{"code":"X","message":"m"}})", "rid"));
  EXPECT_THROW(c.impl.save("wf", 1, json{{"secret", "body text"}}, {}), snapstate::ValidationError);
  ASSERT_EQ(events.size(), 1u);
  for (const std::string& field :
       {events[0].method, events[0].path, events[0].error_code, events[0].request_id}) {
    EXPECT_THAT(field, Not(HasSubstr(key)));
    EXPECT_THAT(field, Not(HasSubstr("body text")));
  }
}

}  // namespace
