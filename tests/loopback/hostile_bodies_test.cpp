// Hostile or broken response bodies: each ends in the documented exception, never a crash or
// a hang, and the client works on the next call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fixture.hpp"
#include "loopback.hpp"
#include "raw_server.hpp"
#include "scripted_server.hpp"
#include "snapstate/snapstate.hpp"

namespace {

using snapstate::testing::fixture_response;
using snapstate::testing::loopback_options;
using snapstate::testing::raw_http_response;
using snapstate::testing::RawAction;
using snapstate::testing::RawServer;
using snapstate::testing::ScriptedServer;

class HostileBodiesTest : public ::testing::Test {
 protected:
  // Serves `body` as a 200 to a get(), expects a ProtocolError, then proves recovery.
  void expect_protocol_error(const std::string& body) {
    server.enqueue_json(200, body, "rid-hostile");
    server.enqueue(fixture_response("07-get-checkpoint-existing"));
    snapstate::SnapStateClient c(loopback_options(server.base_url()));
    try {
      c.get("cp_rs-demo-1_001");
      ADD_FAILURE() << "accepted: " << body.substr(0, 60);
    } catch (const snapstate::ProtocolError& e) {
      EXPECT_EQ(e.status_code(), 200);
      EXPECT_EQ(e.code(), "INVALID_RESPONSE");
      EXPECT_EQ(e.request_id(), "rid-hostile");
    }
    EXPECT_EQ(c.get("cp_rs-demo-1_001").step, 1) << "the next call works";
  }

  ScriptedServer server;
};

TEST_F(HostileBodiesTest, DeeplyNestedJsonIsRefusedWithoutExhaustingTheStack) {
  expect_protocol_error(std::string(200000, '[') + std::string(200000, ']'));
  expect_protocol_error(R"({"checkpoint_id":"c","state":)" + std::string(5000, '{') + "}");
}

TEST_F(HostileBodiesTest, InvalidUtf8IsRefused) {
  expect_protocol_error(
      "{\"checkpoint_id\":\"cp_\xC3\x28\",\"workflow_id\":\"w\",\"step\":1,"
      "\"state\":{}}");
}

TEST_F(HostileBodiesTest, AnEmptyBodyWhereOneIsRequiredIsRefused) {
  expect_protocol_error("");
}

TEST_F(HostileBodiesTest, JsonOfTheWrongShapeIsRefused) {
  expect_protocol_error("[]");
  expect_protocol_error("null");
  expect_protocol_error(R"({"checkpoint_id":1})");
  expect_protocol_error(R"({"checkpoint_id":"c","workflow_id":"w","step":1.5,"state":{}})");
  expect_protocol_error(R"({"checkpoint_id":"c","workflow_id":"w","step":1,"state":[]})");
}

TEST(DripFeed, AServerSendingAByteAtATimeIsATimeoutNotAHang) {
  RawServer server;
  RawAction drip;
  drip.reply = raw_http_response(200, std::string(2000, ' ') + "{}");
  drip.drip = std::chrono::milliseconds(20);
  server.enqueue(drip);
  auto options = loopback_options(server.base_url());
  options.timeout = std::chrono::milliseconds(500);
  snapstate::SnapStateClient c(options);
  const auto started = std::chrono::steady_clock::now();
  try {
    c.get("cp_1");
    FAIL() << "a response dripping for 40 s arrived within a 500 ms timeout";
  } catch (const snapstate::TimeoutError& e) {
    EXPECT_EQ(e.code(), "TIMEOUT");
  }
  // A hang check: the drip would take 40 s.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(server.connection_count(), 1u) << "a timeout is not retried";
}

}  // namespace
