// The fast JSON reader must agree exactly with nlohmann's parse(), and refuse what it refuses.
#include <gtest/gtest.h>

#include <dirent.h>
#include <simdjson.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "allocation_counter.hpp"
#include "fixture.hpp"
#include "json_corpus.hpp"
#include "json_depth.hpp"
#include "json_reader.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::JsonReadStatus;
using snapstate::detail::kMaxReadDepth;
using snapstate::detail::read_json;

json read(std::string text, JsonReadStatus expected = JsonReadStatus::ok) {
  json out;
  EXPECT_EQ(read_json(text, out), expected) << text.substr(0, 80);
  return out;
}

TEST(JsonReader, AgreesWithNlohmannParse) {
  for (const auto& doc : snapstate::testing::tricky_json_documents()) {
    const json expected = json::parse(doc);
    const json actual = read(doc);
    EXPECT_EQ(actual, expected) << doc;
    EXPECT_EQ(actual.dump(), expected.dump()) << doc;
  }
}

TEST(JsonReader, KeepsNlohmannsNumberTypes) {
  const json actual = read(R"({"u":7,"i":-7,"f":7.0,"big":18446744073709551615})");
  EXPECT_TRUE(actual["u"].is_number_unsigned());
  EXPECT_TRUE(actual["i"].is_number_integer() && !actual["i"].is_number_unsigned());
  EXPECT_TRUE(actual["f"].is_number_float());
  EXPECT_TRUE(actual["big"].is_number_unsigned());
}

TEST(JsonReader, LargeObjectsKeepTheLastDuplicate) {
  std::string doc = "{";
  for (int i = 0; i < 40; ++i)
    doc += "\"k" + std::to_string(i % 20) + "\":" + std::to_string(i) + ",";
  doc.back() = '}';
  const json actual = read(doc);
  EXPECT_EQ(actual, json::parse(doc));
  EXPECT_EQ(actual["k3"], 23);
  EXPECT_EQ(actual.size(), 20u);
}

TEST(JsonReader, FallsBackToNlohmannForNumbersSimdjsonRefuses) {
  const std::string doc = R"([1e400, 123456789012345678901234567890])";
  const json expected = json::parse(doc, nullptr, false);
  json actual;
  std::string copy = doc;
  const auto status = read_json(copy, actual);
  if (expected.is_discarded()) {
    EXPECT_EQ(status, JsonReadStatus::invalid);
  } else {
    EXPECT_EQ(status, JsonReadStatus::ok);
    EXPECT_EQ(actual.dump(), expected.dump());
  }
}

TEST(JsonReader, RefusesInvalidJsonAndInvalidUtf8) {
  for (const std::string bad :
       {"", "{", "{\"a\":}", "[1,]", "nul", "{\"a\":1}x", "\"\xC3\x28\"", "<html></html>"}) {
    EXPECT_TRUE(read(bad, JsonReadStatus::invalid).is_null()) << bad;
  }
}

// nlohmann ends the input at a NUL byte; the reader accepts and refuses the same documents.
TEST(JsonReader, ANulByteEndsTheDocumentAsInNlohmann) {
  using namespace std::string_literals;
  for (const std::string& text : {"{\"a\":1} \0\0\0"s, "{\"a\":1}\0junk"s, "{\"a\":\0}"s,
                                  "{\"a\":\"x\0y\"}"s, "\0{}"s, "[1,2]\0"s}) {
    const json expected = json::parse(text, nullptr, false);
    json actual;
    std::string buffer = text;
    const auto status = read_json(buffer, actual);
    EXPECT_EQ(status == JsonReadStatus::ok, !expected.is_discarded()) << text.size();
    if (status == JsonReadStatus::ok) {
      EXPECT_EQ(actual, expected);
    }
  }
}

TEST(JsonReader, ReadsWhatTheWriterWritesInsideAnEnvelopeAndRefusesDeeper) {
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_EQ(read(nested(kMaxReadDepth)).dump(), json::parse(nested(kMaxReadDepth)).dump());
  read(nested(kMaxReadDepth + 1), JsonReadStatus::too_deep);
  read(std::string(100000, '[') + std::string(100000, ']'), JsonReadStatus::too_deep);
  read(std::string(5000, '[') + "1e400" + std::string(5000, ']'), JsonReadStatus::too_deep);
}

TEST(JsonReader, LeavesTheBufferContentUnchanged) {
  std::string body = R"({"a":[1,2,3]})";
  const std::string before = body;
  json out;
  ASSERT_EQ(read_json(body, out), JsonReadStatus::ok);
  EXPECT_EQ(body, before);
}

TEST(JsonReader, ReadsEveryRecordedResponseAsNlohmannDoes) {
  DIR* dir = opendir(SNAPSTATE_FIXTURE_DIR);
  ASSERT_NE(dir, nullptr);
  int compared = 0;
  while (const dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name.size() < 5 || name.substr(name.size() - 4) != ".txt") continue;
    name.resize(name.size() - 4);
    std::string body;
    try {
      body = snapstate::testing::load_fixture(name).response_body;
    } catch (const std::runtime_error&) {
      continue;  // a capture in another layout (webhook delivery, concurrent race)
    }
    const json expected = json::parse(body, nullptr, false);
    if (expected.is_discarded()) continue;  // 204s and the webhook capture
    EXPECT_EQ(read(body), expected) << name;
    ++compared;
  }
  closedir(dir);
  EXPECT_GT(compared, 100);
}

}  // namespace

namespace {

// A large document leaves the thread with no more parser memory than a 1 MiB resume needs.
TEST(JsonReader, AThreadKeepsNoMoreThanTheStatedCapAfterALargeDocument) {
  std::string big = "[";
  while (big.size() < (14u << 20)) big += "\"0123456789abcdef0123456789abcdef\",";
  big += "1]";
  json out;
  ASSERT_EQ(read_json(big, out), JsonReadStatus::ok);
  EXPECT_LE(snapstate::detail::json_reader_retained_capacity(),
            snapstate::detail::kMaxRetainedDocumentBytes);
  std::string resume_sized(900u << 10, ' ');
  resume_sized += "{}";
  ASSERT_EQ(read_json(resume_sized, out), JsonReadStatus::ok);
  EXPECT_GE(snapstate::detail::json_reader_retained_capacity(), resume_sized.size())
      << "a document within the cap keeps its buffers warm for the next";
}

}  // namespace

namespace {

// Large objects are built without sorting: in order, each key goes at the end; out of order or
// repeated, it still lands where nlohmann would put it, the last duplicate winning.
TEST(JsonReader, LargeObjectsInAnyKeyOrder) {
  std::vector<int> order(2000);
  for (int i = 0; i < 2000; ++i) order[static_cast<std::size_t>(i)] = i;
  const auto object = [](const std::vector<int>& keys) {
    std::string doc = "{";
    for (const int k : keys) {
      char key[32];
      std::snprintf(key, sizeof key, "\"key_%05d\":%d,", k % 1500, k);
      doc += key;
    }
    doc.back() = '}';
    return doc;
  };
  std::vector<int> reversed(order.rbegin(), order.rend());
  std::vector<int> shuffled = order;
  for (std::size_t i = 0; i < shuffled.size(); ++i) {
    std::swap(shuffled[i], shuffled[(i * 7919) % shuffled.size()]);
  }
  for (const auto& keys : {order, reversed, shuffled}) {
    const std::string doc = object(keys);  // keys 0..499 occur twice
    const json expected = json::parse(doc);
    const json actual = read(doc);
    EXPECT_EQ(actual.dump(), expected.dump());
    EXPECT_EQ(actual.size(), 1500u);
  }
}

// assign_json fills an object it is given instead of allocating another: a checkpoint's state,
// default-constructed as {}, costs only its own keys.
TEST(JsonReader, AssignJsonReusesTheTargetsObject) {
  std::string text = R"({"k":1})";
  snapstate::detail::JsonDocument document(text);
  ASSERT_EQ(document.status(), JsonReadStatus::ok);
  json target = json::object();
  const auto counted = snapstate::testing::allocations_of(
      [&] { snapstate::detail::assign_json(target, document.root()); });
  EXPECT_EQ(counted.calls, 1u) << "the one node of key k";
  EXPECT_EQ(target, json::parse(text));
  json array_target = json::array();
  snapstate::detail::assign_json(array_target, document.root());
  EXPECT_EQ(array_target, json::parse(text)) << "a value of another type is replaced";
}

TEST(JsonReader, ADocumentReadsNumbersSimdjsonRefusesAsNlohmannDoes) {
  std::string text = R"({"big":123456789012345678901234567890,"n":-9223372036854775809})";
  snapstate::detail::JsonDocument document(text);
  ASSERT_EQ(document.status(), JsonReadStatus::ok);
  json out;
  snapstate::detail::assign_json(out, document.root());
  EXPECT_EQ(out.dump(), json::parse(text).dump());
  EXPECT_TRUE(out["big"].is_number_float());
}

}  // namespace
