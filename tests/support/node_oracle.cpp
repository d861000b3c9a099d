#include "node_oracle.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

namespace snapstate::testing {

namespace {

void run(const std::string& script, const std::vector<std::string>& input,
         std::vector<std::string>& output) {
  static int serial = 0;
  const std::string stem = ::testing::TempDir() + "node_oracle_" + std::to_string(::getpid()) +
                           "_" + std::to_string(++serial);
  const std::string script_path = stem + ".js";
  const std::string input_path = stem + ".txt";
  std::ofstream(script_path) << script;
  {
    std::ofstream lines(input_path, std::ios::binary);
    for (const auto& line : input) lines << line << '\n';
  }
  FILE* node = ::popen(("node '" + script_path + "' '" + input_path + "' 2>&1").c_str(), "r");
  ASSERT_NE(nullptr, node) << "cannot start node";
  std::string text;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, node)) > 0;) text.append(buffer, n);
  const int status = ::pclose(node);
  std::remove(script_path.c_str());
  std::remove(input_path.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "node is this test's oracle (Debian package nodejs); it said: " << text.substr(0, 500);
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    output.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

}  // namespace

std::vector<std::string> run_node(const std::string& script,
                                  const std::vector<std::string>& input) {
  std::vector<std::string> output;
  run(script, input, output);
  return output;
}

std::uint64_t corpus_seed() {
  if (const char* fixed = std::getenv("SNAPSTATE_TEST_SEED")) return std::stoull(fixed);
  return std::random_device{}();
}

}  // namespace snapstate::testing
