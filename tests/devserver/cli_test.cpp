// The snapstate-devserver executable: startup lines, serving, clean stop on SIGTERM.
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
    ::dup2(fds[1], STDERR_FILENO);
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

// The first group of the next output line, which must match `pattern` whole; "" otherwise.
std::string next_line_group(FILE* out, const char* pattern) {
  char line[256] = {};
  if (std::fgets(line, sizeof line, out) == nullptr) {
    ADD_FAILURE() << "the server printed nothing more";
    return "";
  }
  std::cmatch m;
  if (!std::regex_match(line, m, std::regex(pattern))) {
    ADD_FAILURE() << "unexpected line: " << line;
    return "";
  }
  return m[1].str();
}

int read_listening_port(FILE* out) {
  const std::string port = next_line_group(out, "listening on http://127\\.0\\.0\\.1:(\\d+)\n");
  return port.empty() ? 0 : std::stoi(port);
}

TEST(Cli, PrintsTheAddressServesAndStopsOnSigterm) {
  Child c = spawn({"--port", "0", "--quiet", "--api-key", "snp_cli", "--rate-limit", "1"});
  const int port = read_listening_port(c.out);
  ASSERT_NE(0, port);
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

// tools/scripts/devserver.sh reads the development key from the line before the address.
TEST(Cli, WithoutAKeyPrintsTheDevelopmentKeyItAccepts) {
  Child c = spawn({"--port", "0", "--quiet"});
  const std::string key = next_line_group(c.out, "API key: (\\S+)\n");
  EXPECT_EQ(snapstate::devserver::kDefaultApiKey, key);
  const int port = read_listening_port(c.out);
  ASSERT_NE(0, port);
  RawClient client(port);
  EXPECT_EQ(200, client.request("GET", "/agents", auth(key)).status);
  EXPECT_EQ(401, client.request("GET", "/agents", auth("snp_other")).status);
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
