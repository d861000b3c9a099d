// The snapstate-devserver executable: startup line, serving, clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child spawn(std::vector<std::string> args) {
  int fds[2];
  EXPECT_EQ(0, ::pipe(fds));
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    args.insert(args.begin(), SNAPSTATE_DEVSERVER_EXE);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  c.out = ::fdopen(fds[0], "r");
  return c;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Cli, PrintsTheAddressServesAndStopsOnSigterm) {
  Child c = spawn({"--port", "0", "--quiet", "--api-key", "snp_cli", "--rate-limit", "1"});
  char line[256] = {};
  ASSERT_NE(nullptr, std::fgets(line, sizeof line, c.out));
  std::cmatch m;
  ASSERT_TRUE(std::regex_match(line, m, std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)\n")))
      << line;
  const int port = std::stoi(m[1].str());
  RawClient client(port);
  EXPECT_EQ(200, client.request("GET", "/health").status);
  EXPECT_EQ(401, client.request("GET", "/agents", auth()).status);
  EXPECT_EQ(200, client.request("GET", "/agents", auth("snp_cli")).status);
  EXPECT_EQ(200, client.request("GET", "/workflows/w/replay", auth("snp_cli")).status);
  EXPECT_EQ(429, client.request("GET", "/workflows/w/replay", auth("snp_cli")).status);
  ::kill(c.pid, SIGTERM);
  EXPECT_EQ(0, wait_exit(c.pid));
  std::fclose(c.out);
}

TEST(Cli, HelpDocumentsEveryFlag) {
  Child c = spawn({"--help"});
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof buf, c.out) != nullptr) text += buf;
  EXPECT_EQ(0, wait_exit(c.pid));
  std::fclose(c.out);
  for (const char* flag : {"--host", "--port", "--api-key", "--rate-limit", "--rate-window-ms",
                           "--default-ttl", "--quiet"}) {
    EXPECT_NE(std::string::npos, text.find(flag)) << flag;
  }
}

}  // namespace
}  // namespace dstest
