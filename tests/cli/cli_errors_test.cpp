// Errors: one stderr line, one exit code per class, nothing sent for bad input, the key
// never printed, --help everywhere.
#include "cli_fixture.hpp"
#include "fake_servers.hpp"

namespace snapstate_cli_test {
namespace {

TEST_F(CliTest, MissingCheckpointExits4WithOneLine) {
  const auto result = run({"get", "cp_nope_001"});
  expect_error(result, 4, "error: NotFoundError [404 NOT_FOUND] Checkpoint cp_nope_001 not found");
  EXPECT_NE(result.err.find(" (request "), std::string::npos) << result.err;

  expect_error(run({"resume", "wf-nope"}), 4,
               "error: NotFoundError [404 NOT_FOUND] No checkpoints found for workflow wf-nope");
}

TEST_F(CliTest, SavingAStepTwiceExits5AndIfMatchReadsItBack) {
  auto first = ok_json(run({"save", "wf-c", "1", "--state", R"({"v":1})"}));
  const std::string etag = first["etag"];

  const auto conflict = run({"save", "wf-c", "1", "--state", R"({"v":2})"});
  expect_error(conflict, 5, "error: ConflictError [409 ");
  EXPECT_NE(conflict.err.find("etag " + etag), std::string::npos) << conflict.err;

  expect_error(run({"save", "wf-c", "1", "--state", R"({"v":2})", "--if-match", "\"wrong\""}), 5,
               "error: ConflictError [409 ");

  auto again = ok_json(run({"save", "wf-c", "1", "--state", R"({"v":2})", "--if-match", etag}));
  EXPECT_EQ(again["checkpoint_id"], "cp_wf-c_001");
  EXPECT_EQ(again["created_at"], first["created_at"]);
  EXPECT_EQ(ok_json(run({"get", "cp_wf-c_001"}))["state"]["v"], 1);
}

TEST_F(CliTest, BadInputExits2AndSendsNothing) {
  SilentListener listener;
  const std::map<std::string, std::string> env = {{"SNAPSTATE_API_KEY", kKey},
                                                  {"SNAPSTATE_BASE_URL", listener.base_url()}};
  struct Case {
    std::vector<std::string> args;
    std::string prefix;
  };
  const std::vector<Case> cases = {
      {{"save", "wf", "-1", "--state", "{}"}, "error: ValidationError [0 "},
      {{"save", "wf", "1", "--state", "{not json"}, "error: usage: --state is not valid JSON"},
      {{"save", "wf", "1", "--state", "[1,2]"}, "error: ValidationError [0 "},
      {{"save", "wf", "1", "--state", "{}", "--metadata", "nope"},
       "error: usage: --metadata is not valid JSON"},
      {{"save", "wf", "1"}, "error: usage: give the state exactly once"},
      {{"save", "wf", "1", "--state", "{}", "-"}, "error: usage: give the state exactly once"},
      {{"save", "wf", "abc", "--state", "{}"}, "error: usage: "},
      {{"save", "wf", "1", "--state", "{}", "--ttl", "0"}, "error: ValidationError [0 "},
      {{"save", "", "1", "--state", "{}"}, "error: ValidationError [0 "},
      {{"replay", "wf", "--limit", "0"}, "error: ValidationError [0 "},
      {{"replay", "wf", "--from", "-3"}, "error: ValidationError [0 "},
      {{"agents", "register", "bad id!", "--name", "x"}, "error: ValidationError [0 "},
      {{"agents", "update", "a1"}, "error: ValidationError [0 "},
      {{"webhooks", "register", "http://h/x", "--event", "nope"}, "error: ValidationError [0 "},
      {{"webhooks", "register", "http://h/x"}, "error: usage: "},
      {{"get", "cp", "--bogus"}, "error: usage: "},
      {{"--format", "yaml", "health"}, "error: usage: "},
      {{"--base-url", "ftp://example.com", "resume", "wf"},
       "error: usage: base_url must start with http:// or https://"},
      {{"agents"}, "error: usage: "},
      {{}, "error: usage: "},
      {{"frobnicate"}, "error: usage: unknown command 'frobnicate' (see --help)"},
      {{"--format", "table", "frobnicate", "x"}, "error: usage: unknown command 'frobnicate'"},
      {{"agents", "frobnicate"}, "error: usage: unknown command 'agents frobnicate'"},
      {{"--timeout", "nan", "health"},
       "error: usage: --timeout: must be a number of seconds, not 'nan'"},
      {{"--timeout", "inf", "health"},
       "error: usage: --timeout: must be a number of seconds, not 'inf'"},
      {{"--timeout", "0", "health"}, "error: usage: --timeout: must be > 0 (seconds), not '0'"},
      {{"--timeout=-2", "health"}, "error: usage: --timeout: must be > 0 (seconds), not '-2'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    expect_error(run_with(c.args, env), 2, c.prefix);
  }
  EXPECT_EQ(listener.connections(), 0);
}

TEST_F(CliTest, MissingKeyIsAClearUsageError) {
  SilentListener listener;
  const auto result = run_with({"resume", "wf"}, {{"SNAPSTATE_BASE_URL", listener.base_url()}});
  expect_error(result, 2, "error: usage: no API key: pass --api-key or set SNAPSTATE_API_KEY");
  EXPECT_EQ(listener.connections(), 0);
}

TEST_F(CliTest, FlagsOverrideTheEnvironment) {
  SilentListener listener;
  const std::string other_key = "snp_0ther0000000000000000000000000b";
  // --api-key over a wrong key in the environment; --base-url over a dead URL.
  ok_json(
      run_with({"--api-key", kKey, "--base-url", server_->base_url(), "replay", "wf"},
               {{"SNAPSTATE_API_KEY", other_key}, {"SNAPSTATE_BASE_URL", listener.base_url()}}));
  EXPECT_EQ(listener.connections(), 0);
  // A wrong --api-key over the right one: 401, and neither key is printed.
  const auto denied = run({"resume", "wf", "--api-key=" + other_key});
  expect_error(denied, 3, "error: AuthError [401 ");
  EXPECT_EQ(denied.err.find(other_key), std::string::npos) << denied.err;
  // SNAPSTATE_API_URL is the fallback for the URL.
  ok_json(run_with({"replay", "wf"},
                   {{"SNAPSTATE_API_KEY", kKey}, {"SNAPSTATE_API_URL", server_->base_url()}}));
}

TEST_F(CliTest, TheKeyNeverAppearsInAnyOutput) {
  // run() fails the test when the key shows up on either stream; these are the likely leaks.
  run({"--help"});
  run({"save", "--help"});
  run({"resume", "wf-missing"});
  run({"get", "cp", kKey});         // the key as a stray argument is echoed back
  run({"--api-key", kKey, "get"});  // usage error with the key on the command line
  run({"--api-key", kKey, "--timeout", "x", "health"});
  const auto stray = run({"get", "cp", kKey});
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_NE(stray.err.find("[redacted]"), std::string::npos) << stray.err;
  const auto wrong =
      run_with({"resume", "wf", "--api-key", "snp_wr0ng00000000000000000000000000"}, default_env());
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_EQ(wrong.err.find("snp_wr0ng"), std::string::npos) << wrong.err;
}

TEST_F(CliTest, HelpExits0EverywhereAndDocumentsExitCodes) {
  const std::vector<std::vector<std::string>> helps = {{"--help"},
                                                       {"save", "--help"},
                                                       {"get", "-h"},
                                                       {"resume", "--help"},
                                                       {"replay", "--help"},
                                                       {"agents", "--help"},
                                                       {"agents", "register", "--help"},
                                                       {"agents", "update", "--help"},
                                                       {"agents", "list", "--help"},
                                                       {"webhooks", "--help"},
                                                       {"webhooks", "register", "--help"},
                                                       {"health", "--help"}};
  for (const auto& args : helps) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const auto result = run(args);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.err, "");
    EXPECT_NE(result.out.find("Usage: snapstate"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("10  NetworkError"), std::string::npos) << result.out;
  }
  const auto version = run({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_FALSE(version.out.empty());
}

TEST_F(CliTest, RateLimitExits7) {
  auto limited = start_server(1);
  const std::map<std::string, std::string> env = {{"SNAPSTATE_API_KEY", kKey},
                                                  {"SNAPSTATE_BASE_URL", limited->base_url()}};
  ok_json(run_with({"replay", "wf"}, env));
  expect_error(run_with({"--retries", "1", "replay", "wf"}, env), 7,
               "error: RateLimitError [429 RATE_LIMITED] ");
}

TEST_F(CliTest, NoServerExits10AndSilenceExits11) {
  const std::string refused = "http://127.0.0.1:" + std::to_string(closed_port());
  const auto no_server = run({"--base-url", refused, "--retries", "1", "resume", "wf"});
  expect_error(no_server, 10, "error: NetworkError [0 ");
  EXPECT_EQ(no_server.err.find("(request"), std::string::npos) << no_server.err;  // none to name

  SilentListener silent;
  expect_error(run({"--base-url", silent.base_url(), "--timeout", "0.3", "resume", "wf"}), 11,
               "error: TimeoutError [0 ");
  EXPECT_EQ(silent.connections(), 1);  // what BadInputExits2AndSendsNothing relies on
}

TEST_F(CliTest, ServerForbiddenAndProtocolErrorsHaveTheirCodes) {
  CannedServer broken(500, "application/json",
                      R"({"statusCode":500,"error":"Internal Server Error","message":"boom"})");
  const auto server_error = run({"--base-url", broken.base_url(), "--retries", "1", "get", "cp"});
  expect_error(server_error, 8, "error: ServerError [500 ");
  EXPECT_NE(server_error.err.find("(request req-canned-1)"), std::string::npos) << server_error.err;

  CannedServer forbidden(403, "application/json",
                         R"({"error":{"code":"FORBIDDEN","message":"Account is not active"}})");
  expect_error(run({"--base-url", forbidden.base_url(), "get", "cp"}), 3,
               "error: ForbiddenError [403 FORBIDDEN] Account is not active");

  CannedServer garbled(200, "application/json", "this is not json");
  expect_error(run({"--base-url", garbled.base_url(), "get", "cp"}), 9, "error: ProtocolError [");
}

// A one-character key, or one that occurs in "[redacted]", is redacted everywhere in the line,
// and the run ends (it looped forever, searching its own replacement).
TEST_F(CliTest, ShortSecretsAreRedactedAndTheRunEnds) {
  const auto one_char = run({"--api-key", "e", "resume", "wf"});  // the dev server: 401
  expect_error(one_char, 3, "error: AuthError [401 UNAUTHORIZED] Invalid API k[redacted]y");

  CannedServer echo(401, "application/json",
                    R"({"error":{"code":"UNAUTHORIZED","message":"key redact: [redacted]?"}})",
                    "req-redact");
  for (const std::string key : {"redact", "[redacted]", "d"}) {
    SCOPED_TRACE(key);
    const auto r = run({"--base-url", echo.base_url(), "--api-key", key, "get", "cp"});
    expect_error(r, 3, "error: AuthError [401 UNAUTHORIZED] ");
    std::string left = r.err.substr(r.err.find("] ") + 2);
    for (std::size_t at; (at = left.find("[redacted]")) != std::string::npos;) left.erase(at, 10);
    EXPECT_EQ(left.find(key), std::string::npos) << r.err;
  }
}

// Server text is printed as text: a hostile message cannot clear the screen, set the title or
// start a sequence, in an error line or in a table cell.
TEST_F(CliTest, TerminalEscapesFromTheServerAreStripped) {
  CannedServer hostile(500, "application/json",
                       R"({"statusCode":500,"code":"E\u001b[31m","error":"x",)"
                       R"("message":"wiped\u001b[2J\u001b]0;pwned\u0007 screen\u009b1m!\r\nnext"})",
                       "req\x1b[2J-7");
  const auto r = run({"--base-url", hostile.base_url(), "--retries", "1", "get", "cp"});
  expect_error(r, 8, "error: ServerError [500 E] wiped screen!  next (request req-7)");
  for (const char* raw : {"\x1b", "\x07", "\xc2\x9b", "\r"}) {
    EXPECT_EQ(r.err.find(raw), std::string::npos) << r.err;
  }
  // An id with nothing printable in it is no id.
  CannedServer blank(500, "application/json", R"({"message":"boom"})", "\x1b[2J");
  const auto no_id = run({"--base-url", blank.base_url(), "--retries", "1", "get", "cp"});
  expect_error(no_id, 8, "error: ServerError [500 ");
  EXPECT_EQ(no_id.err.find("(request"), std::string::npos) << no_id.err;

  // Table cells (the dev server stores a description as sent) and JSON on stdout.
  const std::string description =
      "de\x1b[2Jsc\x1b]0;t\x07 \xc2\x9b"
      "31mok";
  ok_json(run({"agents", "register", "esc", "--name", "E", "--description", description}));
  const auto table = run({"--format", "table", "agents", "get", "esc"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("description   desc ok\n"), std::string::npos) << table.out;
  const auto json = run({"agents", "get", "esc"});
  EXPECT_EQ(ok_json(json)["description"], description);  // the data itself is kept
  for (const std::string& out : {table.out, json.out}) {
    for (const char* raw : {"\x1b", "\x07", "\xc2\x9b"}) {
      EXPECT_EQ(out.find(raw), std::string::npos) << out;
    }
  }
}

TEST_F(CliTest, OversizedStateExits6) {
  const std::string big = R"({"blob":")" + std::string(1100000, 'x') + R"("})";
  expect_error(run({"save", "wf-big", "1", "-"}, big), 6, "error: PayloadTooLargeError [");
}

}  // namespace
}  // namespace snapstate_cli_test
