// The fast JSON writer must write exactly what nlohmann's dump() writes, and what the reader
// reads back; it refuses invalid UTF-8, nesting past kMaxJsonDepth and text past its byte limit.
#include <gtest/gtest.h>

#include <dirent.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "json_corpus.hpp"
#include "json_depth.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::JsonReadStatus;
using snapstate::detail::JsonWriteStatus;
using snapstate::detail::kMaxJsonDepth;
using snapstate::detail::read_json;
using snapstate::detail::write_json;

std::string written(const json& value) {
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, value, bad), JsonWriteStatus::ok);
  return out;
}

TEST(JsonWriter, IsByteIdenticalToDump) {
  for (const auto& doc : snapstate::testing::tricky_json_documents()) {
    const json value = json::parse(doc);
    EXPECT_EQ(written(value), value.dump()) << doc;
  }
  json built = {{"nan", std::nan("")}, {"inf", 1e308 * 10},
                {"neg_zero", -0.0},    {"int", -42},
                {"uint", 42u},         {"nested", {{"list", {1, "two", 3.5, nullptr}}}}};
  EXPECT_EQ(written(built), built.dump());
}

TEST(JsonWriter, EscapesEveryControlCharacterAsDumpDoes) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  const json value = all;
  EXPECT_EQ(written(value), value.dump());
}

TEST(JsonWriter, RefusesInvalidUtf8WhereDumpThrows) {
  for (const std::string& bad : {std::string("\xC3\x28"), std::string("ab\xFF"),
                                 std::string("\xED\xA0\x80"),  // a surrogate
                                 std::string("\xC0\xAF"),      // overlong
                                 std::string("\xF4\x90\x80\x80"), std::string("\xE2\x82")}) {
    const json value = {{"k", bad}};
    EXPECT_THROW((void)value.dump(), json::type_error);
    std::string out;
    std::size_t bad_offset = 99;
    EXPECT_EQ(write_json(out, value, bad_offset), JsonWriteStatus::invalid_utf8);
    EXPECT_LT(bad_offset, bad.size());
  }
  const json bad_key = {{std::string("\xFF"), 1}};
  std::string out;
  std::size_t bad_offset = 0;
  EXPECT_EQ(write_json(out, bad_key, bad_offset), JsonWriteStatus::invalid_utf8);
}

TEST(JsonWriter, AppendsToWhatIsAlreadyThere) {
  std::string out = "prefix:";
  std::size_t bad = 0;
  ASSERT_EQ(write_json(out, json{{"a", 1}}, bad), JsonWriteStatus::ok);
  EXPECT_EQ(out, R"(prefix:{"a":1})");
}

TEST(JsonWriter, RefusesNestingDeeperThanTheReaderAccepts) {
  const auto nested = [](std::size_t depth) {
    json value = json::array();
    for (std::size_t i = 1; i < depth; ++i) value = json::array({std::move(value)});
    return value;
  };
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, nested(kMaxJsonDepth), bad), JsonWriteStatus::ok);
  out.clear();
  EXPECT_EQ(write_json(out, nested(kMaxJsonDepth + 1), bad), JsonWriteStatus::too_deep);
  // What is written at the limit reads back.
  std::string text;
  ASSERT_EQ(write_json(text, nested(kMaxJsonDepth), bad), JsonWriteStatus::ok);
  json back;
  ASSERT_EQ(read_json(text, back), JsonReadStatus::ok);
  EXPECT_EQ(back, nested(kMaxJsonDepth));
}

TEST(JsonWriter, ALongStringWithBadUtf8IsNotMistakenForDepth) {
  const json value = {{"k", std::string(5000, 'a') + "\xFF"}};
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, value, bad), JsonWriteStatus::invalid_utf8);
  EXPECT_EQ(bad, 5000u);
}

}  // namespace

namespace {

TEST(JsonWriter, StopsSoonAfterTheTextPassesItsLimit) {
  json big = json::object();
  for (int i = 0; i < 100000; ++i) big["key" + std::to_string(i)] = std::string(20, 'v');
  std::string out = "prefix";
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, big, bad, 1000), JsonWriteStatus::too_large);
  EXPECT_LT(out.size(), 1100u) << "refused after the member that crossed the limit, not at the end";

  const json small = {{"a", 1}};  // {"a":1} is 7 bytes
  std::string exact;
  EXPECT_EQ(write_json(exact, small, bad, 7), JsonWriteStatus::ok);
  std::string over;
  EXPECT_EQ(write_json(over, small, bad, 6), JsonWriteStatus::too_large);
}

}  // namespace
