// Request bodies, byte for byte: what each endpoint sends, and what it refuses to send.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "codec.hpp"
#include "fake_transport.hpp"
#include "fixture.hpp"
#include "snapstate/errors.hpp"

namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// ---- request bodies -------------------------------------------------------------------------

TEST(EncodeSave, MinimalBodyOmitsAbsentOptionals) {
  const auto encoded = snapstate::detail::encode_save("wf", 2, json::object(), {});
  EXPECT_EQ(encoded.body, R"({"workflow_id":"wf","step":2,"state":{}})");
  EXPECT_EQ(encoded.state_size, 2u);
}

TEST(EncodeSave, FullBodyInWireOrder) {
  snapstate::SaveOptions options;
  options.label = "l\"1\n";
  options.metadata = json{{"m", true}};
  options.agent_id = "agent-1";
  options.ttl_seconds = 60;       // a header, not in the body
  options.if_match = "\"etag\"";  // a header, not in the body
  const auto encoded =
      snapstate::detail::encode_save("w\xC3\xA9", 9007199254740992LL, json{{"a", 1}}, options);
  EXPECT_EQ(encoded.body,
            "{\"workflow_id\":\"w\xC3\xA9\",\"step\":9007199254740992,\"label\":\"l\\\"1\\n\","
            "\"state\":{\"a\":1},\"metadata\":{\"m\":true},\"agent_id\":\"agent-1\"}");
  EXPECT_EQ(encoded.state_size, 7u);
}

TEST(EncodeSave, StateBytesCountUtf8Bytes) {
  const auto encoded = snapstate::detail::encode_save("w", 1, json{{"k", "\xC3\xA9"}}, {});
  EXPECT_EQ(encoded.state_size, std::string("{\"k\":\"\xC3\xA9\"}").size());
}

TEST(EncodeSave, InvalidUtf8InStateOrMetadataIsAValidationError) {
  for (int which = 0; which < 2; ++which) {
    snapstate::SaveOptions options;
    json state = json::object();
    if (which == 0) {
      state["bad"] = std::string("\xC3(");
    } else {
      options.metadata = json{{"bad", std::string("\xFF")}};
    }
    try {
      snapstate::detail::encode_save("w", 1, state, options);
      ADD_FAILURE() << "encoded invalid UTF-8";
    } catch (const snapstate::ValidationError& e) {
      EXPECT_EQ(e.status_code(), 0);
      EXPECT_EQ(e.code(), "INVALID_UTF8");
    }
  }
}

TEST(EncodeAgent, RegisterAndUpdateBodies) {
  EXPECT_EQ(snapstate::detail::encode_register_agent("a-1", "Name", {}),
            R"({"agent_id":"a-1","name":"Name"})");
  snapstate::AgentOptions options;
  options.description = "d";
  options.capabilities = std::vector<std::string>{};
  options.metadata = json::object();
  EXPECT_EQ(
      snapstate::detail::encode_register_agent("a-1", "Name", options),
      R"({"agent_id":"a-1","name":"Name","description":"d","capabilities":[],"metadata":{}})");

  snapstate::AgentUpdate update;
  update.capabilities = std::vector<std::string>{"x", "y"};
  EXPECT_EQ(snapstate::detail::encode_update_agent(update), R"({"capabilities":["x","y"]})");
  update.name = "n";
  update.description = "";
  update.metadata = json{{"v", 2}};
  EXPECT_EQ(snapstate::detail::encode_update_agent(update),
            R"({"name":"n","description":"","capabilities":["x","y"],"metadata":{"v":2}})");
}

TEST(EncodeWebhook, SecretOnlyWhenGiven) {
  EXPECT_EQ(
      snapstate::detail::encode_register_webhook("http://h/x", {"checkpoint.saved"}, std::nullopt),
      R"({"url":"http://h/x","events":["checkpoint.saved"]})");
  EXPECT_EQ(
      snapstate::detail::encode_register_webhook(
          "http://h/x", {"checkpoint.saved", "workflow.expired"}, std::string("s")),
      R"({"url":"http://h/x","events":["checkpoint.saved","workflow.expired"],"secret":"s"})");
}

TEST(EncodeSave, ThroughTheClientInvalidUtf8SendsNothing) {
  snapstate::testing::FakeClient c;
  EXPECT_THROW(c.impl.save("w", 1, json{{"s", std::string("\xED\xA0\x80")}}, {}),
               snapstate::ValidationError);
  snapstate::AgentOptions options;
  options.capabilities = std::vector<std::string>{std::string("\xC0\xAF")};
  EXPECT_THROW(c.impl.register_agent("a", "n", options), snapstate::ValidationError);
  EXPECT_EQ(c.transport->request_count(), 0u);
}

}  // namespace

namespace {

// The state goes out exactly as nlohmann's dump() would write it, whatever is inside.
TEST(EncodeSave, StateIsWrittenAsNlohmannDumpsIt) {
  const json tricky = json::parse(R"({
    "floats":[0.1,1e21,1.5e-7,-0.0,123456.789,5e-324,1.7976931348623157e308,2.0],
    "ints":[0,-1,9223372036854775807,-9223372036854775808,18446744073709551615],
    "text":["", "quote\" backslash\\ slash/", "\u0001\u001f\b\f\n\r\t\u007f", "\u00e9\u20ac\ud83d\ude00"],
    "nested":{"z":{"y":[[],{},[null,true,false]]},"a":1}})");
  const auto encoded = snapstate::detail::encode_save("w", 1, tricky, {});
  EXPECT_EQ(encoded.body, R"({"workflow_id":"w","step":1,"state":)" + tricky.dump() + "}");
  EXPECT_EQ(encoded.state_size, tricky.dump().size());
  json with_nan = json::object();
  with_nan["nan"] = std::nan("");
  with_nan["inf"] = HUGE_VAL;
  EXPECT_EQ(snapstate::detail::encode_save("w", 1, with_nan, {}).body,
            R"({"workflow_id":"w","step":1,"state":)" + with_nan.dump() + "}");
}

}  // namespace
