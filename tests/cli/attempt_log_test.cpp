// The CLI's attempt lines: the --verbose format, and the one "waiting" line a person at a
// terminal gets for a long back-off (none on a pipe).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "attempt_log.hpp"

namespace {

using snapstate::AttemptEvent;
using snapstate_cli::attempt_line;
using snapstate_cli::attempt_observer;
using std::chrono::milliseconds;

AttemptEvent event(int status, std::string error_code, std::optional<milliseconds> retry_in) {
  AttemptEvent e;
  e.method = "POST";
  e.path = "/checkpoints";
  e.attempt = 1;
  e.status = status;
  e.error_code = std::move(error_code);
  e.elapsed = std::chrono::microseconds(2400);
  e.retry_in = retry_in;
  return e;
}

TEST(AttemptLine, SaysMethodPathAnswerTimeAndTheWait) {
  EXPECT_EQ(attempt_line(event(429, "", milliseconds(1000)), 3),
            "POST /checkpoints \xE2\x86\x92 429 in 2 ms; retrying in 1.0 s (attempt 1/3)");
  EXPECT_EQ(attempt_line(event(0, "CONNECTION_DROPPED", milliseconds(125)), 3),
            "POST /checkpoints \xE2\x86\x92 CONNECTION_DROPPED in 2 ms; retrying in 0.1 s "
            "(attempt 1/3)");
  EXPECT_EQ(attempt_line(event(201, "", std::nullopt), 3),
            "POST /checkpoints \xE2\x86\x92 201 in 2 ms (attempt 1/3)");
}

TEST(AttemptObserver, VerbosePrintsEveryAttempt) {
  std::ostringstream err;
  const auto observe = attempt_observer(true, false, 3, err);
  observe(event(429, "", milliseconds(1000)));
  observe(event(201, "", std::nullopt));
  EXPECT_EQ(err.str(),
            "POST /checkpoints \xE2\x86\x92 429 in 2 ms; retrying in 1.0 s (attempt 1/3)\n"
            "POST /checkpoints \xE2\x86\x92 201 in 2 ms (attempt 1/3)\n");
}

TEST(AttemptObserver, ATerminalHearsOfALongWaitOnly) {
  std::ostringstream err;
  const auto observe = attempt_observer(false, true, 3, err);
  observe(event(429, "", milliseconds(2000)));  // not longer than 2 s
  observe(event(429, "", milliseconds(30000)));
  observe(event(503, "", milliseconds(4000)));
  observe(event(0, "TIMEOUT", milliseconds(2500)));
  observe(event(201, "", std::nullopt));
  EXPECT_EQ(err.str(),
            "waiting 30 s (rate limited)\nwaiting 4 s (after 503)\nwaiting 2 s (after TIMEOUT)\n");
}

TEST(AttemptObserver, APipeHearsNothing) {
  std::ostringstream err;
  EXPECT_FALSE(attempt_observer(false, false, 3, err)) << "no observer at all";
}

}  // namespace
