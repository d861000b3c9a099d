// src/protocol/js_number.hpp: numbers spelled as V8 spells them, checked by hand on the edge
// cases and against node itself on a seeded random corpus.
#include "js_number.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using snapstate::protocol::js_number;
using snapstate::protocol::js_number_to_string;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(JsNumber, WritesWhatJsonStringifyWrites) {
  EXPECT_EQ("1", js_number(1.0));
  EXPECT_EQ("-1.5", js_number(-1.5));
  EXPECT_EQ("0.1", js_number(0.1));
  EXPECT_EQ("0", js_number(-0.0));
  EXPECT_EQ("100000000000000000000", js_number(1e20));
  // Whole numbers up to 2^53 are written as integers; past it, in their shortest digits.
  EXPECT_EQ("9007199254740991", js_number(9007199254740991.0));
  EXPECT_EQ("-9007199254740991", js_number(-9007199254740991.0));
  EXPECT_EQ("9007199254740992", js_number(9007199254740992.0));
  EXPECT_EQ("1152921504606847000", js_number(1152921504606846976.0));
  EXPECT_EQ("-1000", js_number(-1000.0));
  EXPECT_EQ("1e+21", js_number(1e21));
  EXPECT_EQ("123456789012345680000", js_number(123456789012345680000.0));
  EXPECT_EQ("0.000001", js_number(1e-6));
  EXPECT_EQ("1e-7", js_number(1e-7));
  EXPECT_EQ("1.5e-7", js_number(1.5e-7));
  EXPECT_EQ("5e-324", js_number(5e-324));
  EXPECT_EQ("1.7976931348623157e+308", js_number(1.7976931348623157e308));
  EXPECT_EQ("null", js_number(kNaN));
  EXPECT_EQ("null", js_number(kInf));
  EXPECT_EQ("null", js_number(-kInf));
}

TEST(JsNumberToString, NamesWhatJsonCannotWrite) {
  EXPECT_EQ("NaN", js_number_to_string(kNaN));
  EXPECT_EQ("Infinity", js_number_to_string(kInf));
  EXPECT_EQ("-Infinity", js_number_to_string(-kInf));
  EXPECT_EQ("0", js_number_to_string(-0.0));
  EXPECT_EQ("1e+21", js_number_to_string(1e21));
  EXPECT_EQ("42", js_number_to_string(42.0));
}

// Random bit patterns reach every exponent, subnormals and NaNs, but rarely the fixed-point
// range; integers and short decimals land there (and on its edges) far more often.
std::vector<double> corpus(std::uint64_t seed, std::size_t count) {
  std::mt19937_64 rng(seed);
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    double d = 0;
    switch (i % 3) {
      case 0: {
        const std::uint64_t bits = rng();
        std::memcpy(&d, &bits, sizeof d);
        break;
      }
      case 1: d = static_cast<double>(rng() >> (rng() % 64)); break;
      default: {
        const auto mantissa = rng() % 1000000;  // drawn in order: the seed must repeat the corpus
        const auto exponent = static_cast<int>(rng() % 60) - 35;
        const std::string text = std::to_string(mantissa) + "e" + std::to_string(exponent);
        d = std::strtod(text.c_str(), nullptr);
        break;
      }
    }
    out.push_back(rng() % 2 == 0 ? d : -d);
  }
  return out;
}

std::uint64_t corpus_seed() {
  if (const char* fixed = std::getenv("SNAPSTATE_JS_NUMBER_SEED")) return std::stoull(fixed);
  return std::random_device{}();
}

// Node reads the doubles as exact bit patterns (hex), so no decimal parsing stands between.
constexpr const char* kOracle = R"js(
const view = new DataView(new ArrayBuffer(8));
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n');
for (const hex of lines) {
  view.setBigUint64(0, BigInt('0x' + hex));
  const n = view.getFloat64(0);
  process.stdout.write(JSON.stringify(n) + ' ' + String(n) + '\n');
}
)js";

// A node that is missing or fails is a failure of this test, never a skip: it is the oracle.
TEST(JsNumber, MatchesNodeOnASeededCorpus) {
  const std::uint64_t seed = corpus_seed();
  std::printf("corpus seed %" PRIu64 " (set SNAPSTATE_JS_NUMBER_SEED to repeat)\n", seed);
  SCOPED_TRACE("corpus seed " + std::to_string(seed));
  const std::vector<double> numbers = corpus(seed, 3000);

  const std::string stem = ::testing::TempDir() + "js_number_" + std::to_string(::getpid());
  const std::string script = stem + ".js";
  const std::string input = stem + ".hex";
  std::ofstream(script) << kOracle;
  {
    std::ofstream hex(input);
    for (const double d : numbers) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof bits);
      char line[24];
      std::snprintf(line, sizeof line, "%016" PRIx64 "\n", bits);
      hex << line;
    }
  }
  FILE* node = ::popen(("node '" + script + "' '" + input + "' 2>&1").c_str(), "r");
  ASSERT_NE(nullptr, node);
  std::vector<std::string> lines;
  char buf[512];
  while (std::fgets(buf, sizeof buf, node) != nullptr) {
    lines.emplace_back(buf, std::strcspn(buf, "\n"));
  }
  const int status = ::pclose(node);
  std::remove(script.c_str());
  std::remove(input.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "node is this test's oracle (Debian package nodejs); it said: "
      << (lines.empty() ? "" : lines.front());
  ASSERT_EQ(numbers.size(), lines.size());

  std::size_t mismatches = 0;
  std::string first_mismatches;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const std::string ours = js_number(numbers[i]) + ' ' + js_number_to_string(numbers[i]);
    if (ours == lines[i]) continue;
    if (++mismatches <= 10) {
      char exact[40];
      std::snprintf(exact, sizeof exact, "%.17g", numbers[i]);
      first_mismatches +=
          std::string("\n  ") + exact + ": node \"" + lines[i] + "\", ours \"" + ours + "\"";
    }
  }
  EXPECT_EQ(0u, mismatches) << "JSON.stringify(n) String(n) differ:" << first_mismatches;
}

}  // namespace
