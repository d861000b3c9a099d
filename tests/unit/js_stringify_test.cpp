// The client computes the etag the server will give a state byte for byte: JSON.stringify(JSON
// .parse(text)) then SHA-256. Proven three ways: cases written down from node, every recorded
// exchange of the real server, and a seeded random corpus of awkward numbers, strings and keys
// checked against node itself.
#include <gtest/gtest.h>

#include <dirent.h>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "js_stringify.hpp"
#include "node_oracle.hpp"

namespace {

using snapstate::detail::js_restringify;
using snapstate::detail::state_etag;

TEST(JsStringify, NumbersAreJavaScriptDoubles) {
  EXPECT_EQ(js_restringify("[1e21,1e-7,-0.0,9007199254740993,18446744073709551615,1.5e300,"
                           "123456789012345678901234567890,0.1,100,1e2,5e-324,1.0]"),
            "[1e+21,1e-7,0,9007199254740992,18446744073709552000,1.5e+300,"
            "1.2345678901234568e+29,0.1,100,100,5e-324,1]");
}

TEST(JsStringify, ArrayIndexKeysComeFirstThenArrivalOrder) {
  EXPECT_EQ(js_restringify(R"({"b":1.0,"10":2,"a":"x"})"), R"({"10":2,"b":1,"a":"x"})");
  EXPECT_EQ(
      js_restringify(R"({"2":0,"10":1,"1":2,"01":3,"-1":4,"4294967295":5,"4294967294":6,"":7})"),
      R"({"1":2,"2":0,"10":1,"4294967294":6,"01":3,"-1":4,"4294967295":5,"":7})");
  EXPECT_EQ(js_restringify(R"({"z":{"9":1,"y":[{"b":1,"0":2}]},"0":null})"),
            R"({"0":null,"z":{"9":1,"y":[{"0":2,"b":1}]}})");
}

TEST(JsStringify, ARepeatedKeyKeepsItsFirstPlaceAndItsLastValue) {
  EXPECT_EQ(js_restringify(R"({"a":1,"b":2,"a":3})"), R"({"a":3,"b":2})");
  EXPECT_EQ(js_restringify(R"({"a":1,"b":2,"a":{"c":[1,2]},"b":true})"),
            R"({"a":{"c":[1,2]},"b":true})");
}

TEST(JsStringify, StringsAreEscapedAsJsonStringifyDoes) {
  EXPECT_EQ(js_restringify(R"("\u0001\u001f\u007f\u2028é😀\"\\\/\b\f\n\r\t")"),
            "\"\\u0001\\u001f\x7f\xE2\x80\xA8\xC3\xA9\xF0\x9F\x98\x80\\\"\\\\/\\b\\f\\n\\r\\t\"");
}

TEST(JsStringify, WhatIsNotJsonIsNothing) {
  EXPECT_EQ(js_restringify("{"), std::nullopt);
  EXPECT_EQ(js_restringify(R"({"a":1} x)"), std::nullopt);
  EXPECT_EQ(js_restringify("\"\\ud800\""), std::nullopt)
      << "the client never sends a lone surrogate";
  EXPECT_EQ(state_etag("nope"), std::nullopt);
}

TEST(StateEtag, IsTheQuotedSixteenHexPrefixOfSha256) {
  EXPECT_EQ(state_etag("{}"), "\"44136fa355b3678a\"") << "PROTOCOL.md: {} is always this";
  EXPECT_EQ(state_etag(" { } "), "\"44136fa355b3678a\"");
}

// ---- every recorded save of the real server ----------------------------------------------

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(SNAPSTATE_FIXTURE_DIR)) {
    while (const dirent* entry = ::readdir(dir)) {
      const std::string file = entry->d_name;
      if (file.size() > 4 && file.substr(file.size() - 4) == ".txt") {
        names.push_back(file.substr(0, file.size() - 4));
      }
    }
    ::closedir(dir);
  }
  return names;
}

TEST(StateEtag, EqualsTheRealServersOnEveryRecordedSave) {
  int checked = 0;
  for (const auto& name : fixture_names()) {
    const std::string text = snapstate::testing::fixture_text(name);
    if (text.find("### REQUEST") == std::string::npos) continue;  // a capture, not an exchange
    const auto f = snapstate::testing::load_fixture(name);
    const bool save = f.request_line.rfind("POST /checkpoints", 0) == 0;
    // An If-Match re-save answers with the stored record, whose etag is another state's.
    const bool if_match = text.find("\nIf-Match:") != std::string::npos;
    if (!save || if_match || f.status != 201) continue;
    // The state exactly as the request carried it: order, spelling and all.
    const auto body = nlohmann::ordered_json::parse(f.request_body);
    const std::string state = body.at("state").dump();
    const auto answer = nlohmann::json::parse(f.response_body);
    EXPECT_EQ(state_etag(state), answer.at("etag").get<std::string>()) << name;
    EXPECT_EQ(js_restringify(state)->size(), answer.at("size_bytes").get<std::size_t>()) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 21) << "the recordings hold 21 first writes";
  std::printf("etags checked against %d recorded saves of the real server\n", checked);
}

// ---- a random corpus against node --------------------------------------------------------

// Awkward documents: numbers at every edge of a double and of 2^53 and 2^64, strings with
// every kind of escape and non-ASCII text, keys that JavaScript orders as array indices or not.
class Corpus {
 public:
  explicit Corpus(std::uint64_t seed) : random_(seed) {}

  nlohmann::json document(int depth = 0) {
    nlohmann::json object = nlohmann::json::object();
    const int members = pick(0, 6);
    for (int i = 0; i < members; ++i) object[key()] = value(depth + 1);
    return object;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }

  std::string key() {
    static const char* const kKeys[] = {
        "0", "1", "2", "10", "01",        "-1", "1.5", "4294967294", "4294967295",
        "",  "a", "B", "é",  "__proto__", "😀",  "z",   "99999999",   "9007199254740993"};
    return kKeys[pick(0, sizeof kKeys / sizeof *kKeys - 1)];
  }

  double awkward_double() {
    static const double kEdges[] = {0.0,
                                    -0.0,
                                    0.1,
                                    1.0,
                                    1e21,
                                    1e-7,
                                    1e-6,
                                    1e20,
                                    5e-324,
                                    1.7976931348623157e308,
                                    123456789.123456789,
                                    9007199254740993.0,
                                    -2.5e-300};
    if (pick(0, 2) == 0) return kEdges[pick(0, sizeof kEdges / sizeof *kEdges - 1)];
    std::uint64_t bits = random_();
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return std::isfinite(d) ? d : 1.0;
  }

  std::string text() {
    static const char* const kPieces[] = {"a",
                                          "\"",
                                          "\\",
                                          "/",
                                          "\b",
                                          "\f",
                                          "\n",
                                          "\r",
                                          "\t",
                                          "\x01",
                                          "\x1f",
                                          "\x7f",
                                          "\xC3\xA9",
                                          "\xE2\x80\xA8",
                                          "\xF0\x9F\x98\x80",
                                          " ",
                                          "0"};
    std::string out;
    for (int i = pick(0, 8); i > 0; --i)
      out += kPieces[pick(0, sizeof kPieces / sizeof *kPieces - 1)];
    return out;
  }

  nlohmann::json value(int depth) {
    switch (pick(0, depth > 3 ? 5 : 7)) {
      case 0: return nullptr;
      case 1: return pick(0, 1) == 1;
      case 2: return awkward_double();
      case 3: return static_cast<std::int64_t>(random_()) >> pick(0, 63);
      case 4: return random_() >> pick(0, 63);  // unsigned, up to 2^64 - 1
      case 5: return text();
      case 6: {
        nlohmann::json array = nlohmann::json::array();
        for (int i = pick(0, 4); i > 0; --i) array.push_back(value(depth + 1));
        return array;
      }
      default: return document(depth);
    }
  }

  std::mt19937_64 random_;
};

constexpr const char* kStringify = R"js(
const crypto = require('crypto');
const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n');
lines.pop();
for (const line of lines) {
  const text = JSON.stringify(JSON.parse(line));
  const etag = '"' + crypto.createHash('sha256').update(text).digest('hex').slice(0, 16) + '"';
  process.stdout.write(etag + ' ' + text + '\n');
}
)js";

TEST(StateEtag, EqualsNodesOnASeededRandomCorpus) {
  const std::uint64_t seed = snapstate::testing::corpus_seed();
  std::printf("corpus seed %" PRIu64 " (set SNAPSTATE_TEST_SEED to repeat)\n", seed);
  SCOPED_TRACE("corpus seed " + std::to_string(seed));
  Corpus corpus(seed);
  std::vector<std::string> states;
  for (int i = 0; i < 2000; ++i)
    states.push_back(corpus.document().dump());  // as the client sends it
  // Texts no nlohmann value gives, as another client might send them: repeated and unsorted keys.
  states.push_back(R"({"b":1,"a":2,"b":3,"10":[1.0,{"y":1,"x":2,"y":0}]})");
  const auto lines = snapstate::testing::run_node(kStringify, states);
  ASSERT_EQ(lines.size(), states.size());
  int mismatches = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const std::string ours =
        state_etag(states[i]).value_or("?") + " " + js_restringify(states[i]).value_or("?");
    if (ours != lines[i] && ++mismatches <= 5) {
      ADD_FAILURE() << "state " << states[i] << "\n  node: " << lines[i] << "\n  ours: " << ours;
    }
  }
  EXPECT_EQ(mismatches, 0);
  std::printf("%zu states: etag and JSON.stringify equal to node's\n", states.size());
}

}  // namespace
