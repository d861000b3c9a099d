// The snapstate-devserver executable: startup lines, serving, clean stop on SIGTERM, --version,
// flags from the environment, and an https:// client turned away at once.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <regex>

#include "devserver_process.hpp"
#include "devserver_test_support.hpp"

namespace dstest {
namespace {

TEST(Cli, PrintsTheAddressServesAndStopsOnSigterm) {
  DevserverProcess server({"--port", "0", "--quiet", "--api-key", "snp_cli", "--rate-limit", "1"});
  const int port = server.wait_listening();
  ASSERT_NE(0, port) << server.output();
  RawClient client(port);
  EXPECT_EQ(200, client.request("GET", "/health").status);
  EXPECT_EQ(401, client.request("GET", "/agents", auth()).status);
  EXPECT_EQ(200, client.request("GET", "/agents", auth("snp_cli")).status);
  EXPECT_EQ(200, client.request("GET", "/workflows/w/replay", auth("snp_cli")).status);
  EXPECT_EQ(429, client.request("GET", "/workflows/w/replay", auth("snp_cli")).status);
  server.signal(SIGTERM);
  EXPECT_EQ(0, server.wait_exit());
}

// tools/scripts/devserver.sh reads the development key from the line before the address.
TEST(Cli, WithoutAKeyPrintsTheDevelopmentKeyItAccepts) {
  DevserverProcess server({"--port", "0", "--quiet"});
  EXPECT_EQ("API key: " + std::string(snapstate::devserver::kDefaultApiKey), server.next_line());
  EXPECT_EQ("data: in memory, lost when the server stops", server.next_line());
  const int port = server.wait_listening();
  ASSERT_NE(0, port) << server.output();
  RawClient client(port);
  EXPECT_EQ(200,
            client.request("GET", "/agents", auth(snapstate::devserver::kDefaultApiKey)).status);
  EXPECT_EQ(401, client.request("GET", "/agents", auth("snp_other")).status);
  server.signal(SIGTERM);
  EXPECT_EQ(0, server.wait_exit());
}

TEST(Cli, SaysWhereTheDataIs) {
  DevserverProcess memory({"--port", "0", "--quiet", "--api-key", kKey1});
  EXPECT_EQ("data: in memory, lost when the server stops", memory.next_line());
  const std::string path = fresh_data_path();
  DevserverProcess file({"--port", "0", "--quiet", "--api-key", kKey1, "--data", path});
  EXPECT_EQ("data: " + path, file.next_line());
}

TEST(Cli, VersionNamesTheToolAndTheProtocol) {
  DevserverProcess version({"--version"});
  const auto line = version.next_line();
  EXPECT_EQ(0, version.wait_exit());
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(std::regex_match(
      *line, std::regex(R"(snapstate-devserver \d+\.\d+\.\d+ \(the SnapState server protocol )"
                        R"(3\.0\.0\))")))
      << *line;
}

TEST(Cli, FlagsComeFromTheEnvironmentAndAFlagWins) {
  const std::string path = fresh_data_path();
  {
    // Port 0 and a key from the environment; the data file too.
    DevserverProcess server({"--quiet"}, {{"SNAPSTATE_DEVSERVER_PORT", "0"},
                                          {"SNAPSTATE_DEVSERVER_API_KEY", "snp_from_env"},
                                          {"SNAPSTATE_DEVSERVER_DATA", path}});
    const int port = server.wait_listening();
    ASSERT_NE(0, port) << server.output();
    EXPECT_NE(3000, port);
    EXPECT_EQ(std::string::npos, server.output().find("API key:"));  // a key was given
    EXPECT_NE(std::string::npos, server.output().find("data: " + path)) << server.output();
    EXPECT_EQ(201, RawClient(port)
                       .request("POST", "/agents", json_auth("snp_from_env"), R"({"agent_id":"e"})")
                       .status);
  }
  // Flags over the environment: the variables' values would not even start a server.
  DevserverProcess server({"--quiet", "--port", "0", "--api-key", "snp_from_flag", "--data", path},
                          {{"SNAPSTATE_DEVSERVER_PORT", "not-a-port"},
                           {"SNAPSTATE_DEVSERVER_API_KEY", "snp_from_env"},
                           {"SNAPSTATE_DEVSERVER_DATA", "/no/such/dir/data.db"}});
  const int port = server.wait_listening();
  ASSERT_NE(0, port) << server.output();
  RawClient client(port);
  EXPECT_EQ(401, client.request("GET", "/agents", auth("snp_from_env")).status);
  EXPECT_EQ(404, client.request("GET", "/agents/e", auth("snp_from_flag")).status);  // own account
  // A bad value from the environment is refused like a bad flag.
  DevserverProcess bad({"--quiet"}, {{"SNAPSTATE_DEVSERVER_PORT", "not-a-port"}});
  EXPECT_NE(0, bad.wait_exit());
  while (bad.next_line()) {
  }
  EXPECT_NE(std::string::npos, bad.output().find("--port")) << bad.output();
}

// A client given https:// by mistake: the server closes at once and says why, so the client
// fails in milliseconds instead of waiting out its 20 s timeout.
TEST(Cli, AnHttpsClientIsTurnedAwayAtOnceWithAReason) {
  DevserverProcess server({"--port", "0", "--quiet", "--api-key", kKey1});
  const int port = server.wait_listening();
  ASSERT_NE(0, port) << server.output();
  CURL* curl = curl_easy_init();
  ASSERT_NE(nullptr, curl);
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/health";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 20000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const auto start = std::chrono::steady_clock::now();
  const CURLcode rc = curl_easy_perform(curl);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  curl_easy_cleanup(curl);
  EXPECT_NE(CURLE_OK, rc);
  EXPECT_NE(CURLE_OPERATION_TIMEDOUT, rc) << curl_easy_strerror(rc);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  std::optional<std::string> line;
  while ((line = server.next_line()) &&
         line->find("this is a plain-HTTP server") == std::string::npos) {
  }
  ASSERT_TRUE(line.has_value()) << server.output();
  EXPECT_EQ(0u, line->rfind("snapstate-devserver: ", 0)) << *line;
  EXPECT_EQ(200, RawClient(port).request("GET", "/health").status);  // plain HTTP still served
}

TEST(Cli, HelpDocumentsEveryFlag) {
  DevserverProcess help({"--help"});
  while (help.next_line()) {
  }
  EXPECT_EQ(0, help.wait_exit());
  for (const char* flag :
       {"--host", "--port", "--api-key", "--rate-limit", "--rate-window-ms", "--default-ttl",
        "--data", "--max-connections", "--quiet", "--version", "SNAPSTATE_DEVSERVER_PORT",
        "SNAPSTATE_DEVSERVER_API_KEY", "SNAPSTATE_DEVSERVER_DATA"}) {
    EXPECT_NE(std::string::npos, help.output().find(flag)) << flag;
  }
}

}  // namespace
}  // namespace dstest
