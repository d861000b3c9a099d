// The fixture every CLI test uses: a dev server on port 0 with a distinctive API key, and a
// run() that drives the real `snapstate` binary and checks the key never shows up.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <snapstate/devserver/server.hpp>

#include "process_runner.hpp"

namespace snapstate_cli_test {

/// snp_ + 32 hex, distinctive enough to grep for.
inline const std::string kKey = "snp_c11de7ec7ab1e5ec2e70000dead0c0de";

inline int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = start_server(0); }

  static std::unique_ptr<snapstate::devserver::Server> start_server(
      std::size_t rate_limit, std::chrono::milliseconds rate_window = std::chrono::seconds(60)) {
    snapstate::devserver::ServerOptions options;
    options.port = 0;
    options.api_keys = {kKey};
    options.rate_limit = rate_limit;
    options.rate_window = rate_window;
    auto server = std::make_unique<snapstate::devserver::Server>(options);
    server->start();
    return server;
  }

  std::map<std::string, std::string> default_env() const {
    return {{"SNAPSTATE_API_KEY", kKey}, {"SNAPSTATE_BASE_URL", server_->base_url()}};
  }

  /// Runs the tool; whatever happens, the key must be in neither stream.
  ProcessResult run_with(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         const std::string& stdin_data = "") {
    ProcessResult result = run_process(SNAPSTATE_CLI_PATH, args, env, stdin_data);
    EXPECT_EQ(result.out.find(kKey), std::string::npos) << "key on stdout: " << result.out;
    EXPECT_EQ(result.err.find(kKey), std::string::npos) << "key on stderr: " << result.err;
    return result;
  }

  ProcessResult run(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    return run_with(args, default_env(), stdin_data);
  }

  /// stdout as JSON, after checking the run succeeded with a silent stderr.
  static nlohmann::json ok_json(const ProcessResult& result) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    try {
      return nlohmann::json::parse(result.out);
    } catch (const nlohmann::json::exception& e) {
      ADD_FAILURE() << "stdout is not JSON (" << e.what() << "): " << result.out;
      return nullptr;
    }
  }

  /// Checks a failed run: `exit_code`, nothing on stdout, exactly one stderr line starting
  /// with `prefix`.
  static void expect_error(const ProcessResult& result, int exit_code, const std::string& prefix) {
    EXPECT_EQ(result.exit_code, exit_code) << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(count_lines(result.err), 1) << result.err;
    EXPECT_EQ(result.err.rfind(prefix, 0), 0u) << "stderr: " << result.err;
  }

  std::unique_ptr<snapstate::devserver::Server> server_;
};

}  // namespace snapstate_cli_test
