// What a person sees while the CLI waits: --verbose prints one line per attempt from the
// client's attempt events; without it a long rate-limit wait is announced on a terminal only.
#include <gmock/gmock.h>

#include "cli_fixture.hpp"

namespace snapstate_cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST_F(CliTest, VerbosePrintsOneLinePerAttempt) {
  auto limited = start_server(1, std::chrono::milliseconds(1000));  // Retry-After: 1
  const std::map<std::string, std::string> env = {{"SNAPSTATE_API_KEY", kKey},
                                                  {"SNAPSTATE_BASE_URL", limited->base_url()}};
  const auto first = run_with({"--verbose", "replay", "wf"}, env);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.err, MatchesRegex("GET /workflows/wf/replay \xE2\x86\x92 200 in [0-9]+ ms "
                                      "\\(attempt 1/3\\)\n"));
  const auto second = run_with({"--verbose", "replay", "wf"}, env);  // inside the window
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err,
              MatchesRegex("GET /workflows/wf/replay \xE2\x86\x92 429 in [0-9]+ ms; retrying in "
                           "1\\.0 s \\(attempt 1/3\\)\n"
                           "GET /workflows/wf/replay \xE2\x86\x92 200 in [0-9]+ ms "
                           "\\(attempt 2/3\\)\n"));
  EXPECT_EQ(nlohmann::json::parse(second.out).at("workflow_id"), "wf") << "stdout stays JSON";
}

TEST_F(CliTest, ALongRateLimitWaitIsAnnouncedOnATerminalOnly) {
  auto limited = start_server(1, std::chrono::milliseconds(3000));  // Retry-After: 3
  const std::map<std::string, std::string> env = {{"SNAPSTATE_API_KEY", kKey},
                                                  {"SNAPSTATE_BASE_URL", limited->base_url()}};
  ok_json(run_with({"replay", "wf"}, env));
  const auto piped = run_with({"replay", "wf"}, env);  // rate limited, waits 3 s, succeeds
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err, "") << "a pipe gets no progress chatter";
  const auto at_terminal = run_process(SNAPSTATE_CLI_PATH, {"replay", "wf"}, env, "", 30000,
                                       /*stderr_on_terminal=*/true);
  EXPECT_EQ(at_terminal.exit_code, 0) << at_terminal.err;
  EXPECT_THAT(at_terminal.err, HasSubstr("waiting 3 s (rate limited)\n"));
  EXPECT_EQ(count_lines(at_terminal.err), 1) << at_terminal.err;
}

}  // namespace
}  // namespace snapstate_cli_test
