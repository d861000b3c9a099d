// The snapstate-devserver executable: startup lines, serving, clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

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
  const int port = server.wait_listening();
  ASSERT_NE(0, port) << server.output();
  RawClient client(port);
  EXPECT_EQ(200,
            client.request("GET", "/agents", auth(snapstate::devserver::kDefaultApiKey)).status);
  EXPECT_EQ(401, client.request("GET", "/agents", auth("snp_other")).status);
  server.signal(SIGTERM);
  EXPECT_EQ(0, server.wait_exit());
}

TEST(Cli, HelpDocumentsEveryFlag) {
  DevserverProcess help({"--help"});
  while (help.next_line()) {
  }
  EXPECT_EQ(0, help.wait_exit());
  for (const char* flag : {"--host", "--port", "--api-key", "--rate-limit", "--rate-window-ms",
                           "--default-ttl", "--data", "--quiet"}) {
    EXPECT_NE(std::string::npos, help.output().find(flag)) << flag;
  }
}

}  // namespace
}  // namespace dstest
