// The fast JSON reader and writer must agree exactly with nlohmann's parse() and dump().
#include <gtest/gtest.h>

#include <dirent.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::JsonReadStatus;
using snapstate::detail::JsonWriteStatus;
using snapstate::detail::read_json;
using snapstate::detail::write_json;

std::string written(const json& value) {
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, value, bad), JsonWriteStatus::ok);
  return out;
}

json read(std::string text, JsonReadStatus expected = JsonReadStatus::ok) {
  json out;
  EXPECT_EQ(read_json(text, out), expected) << text.substr(0, 80);
  return out;
}

const std::vector<std::string>& tricky_documents() {
  static const std::vector<std::string> docs = {
      R"({})",
      R"([])",
      R"({"b":1,"a":2,"c":{"z":[],"y":{}}})",
      R"({"dup":1,"dup":2})",
      R"([0,-0,1,-1,9007199254740992,18446744073709551615,-9223372036854775808])",
      R"([1.0,0.1,-2.5e-7,1e21,1.7976931348623157e308,5e-324,123456789.123456789])",
      R"(["", "\"\\\/\b\f\n\r\t", "\u0001\u001f\u007f", "\u00e9\u4e2d\ud83d\ude00", "é中😀"])",
      R"([true,false,null,[null],{"k":null}])",
      R"(  {"spaces" :  [ 1 , 2 ] }  )",
  };
  return docs;
}

TEST(JsonReader, AgreesWithNlohmannParse) {
  for (const auto& doc : tricky_documents()) {
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

TEST(JsonReader, RefusesNestingDeeperThan1024) {
  EXPECT_EQ(read(std::string(1024, '[') + std::string(1024, ']')).dump(),
            json::parse(std::string(1024, '[') + std::string(1024, ']')).dump());
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

TEST(JsonWriter, IsByteIdenticalToDump) {
  for (const auto& doc : tricky_documents()) {
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
  const auto nested = [](int depth) {
    json value = json::array();
    for (int i = 1; i < depth; ++i) value = json::array({std::move(value)});
    return value;
  };
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, nested(1024), bad), JsonWriteStatus::ok);
  out.clear();
  EXPECT_EQ(write_json(out, nested(1025), bad), JsonWriteStatus::too_deep);
  // What is written at the limit reads back.
  std::string text;
  ASSERT_EQ(write_json(text, nested(1024), bad), JsonWriteStatus::ok);
  EXPECT_EQ(read(text), nested(1024));
}

TEST(JsonWriter, ALongStringWithBadUtf8IsNotMistakenForDepth) {
  const json value = {{"k", std::string(5000, 'a') + "\xFF"}};
  std::string out;
  std::size_t bad = 0;
  EXPECT_EQ(write_json(out, value, bad), JsonWriteStatus::invalid_utf8);
  EXPECT_EQ(bad, 5000u);
}

}  // namespace
