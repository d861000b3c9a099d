// Faults below HTTP, from a raw-socket server: the 413 that closes the connection mid-upload,
// connections closed without a response, garbage, short bodies. After each, the same client
// must still work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fixture.hpp"
#include "loopback.hpp"
#include "raw_server.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::expect_exact;
using snapstate::testing::loopback_options;
using snapstate::testing::raw_http_response;
using snapstate::testing::RawAction;
using snapstate::testing::RawServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string fixture_body(const std::string& name) {
  return snapstate::testing::load_fixture(name).response_body;
}

const std::string kTooLargeBody = fixture_body("24b-post-state-over-1mib-no-expect");

RawAction reply(std::string bytes, RawAction::Read read = RawAction::Read::whole_request) {
  RawAction a;
  a.read = read;
  a.reply = std::move(bytes);
  return a;
}

RawAction health_ok() {
  return reply(raw_http_response(200, fixture_body("61-health")));
}

// A state just under 1 MiB plus metadata that pushes the whole body to ~1.5 MB: the client
// sends it, the server refuses it.
json big_state() {
  return json{{"blob", std::string(600000, 'x')}};
}
snapstate::SaveOptions big_metadata() {
  snapstate::SaveOptions options;
  options.metadata = json{{"pad", std::string(300000, 'm')}};
  return options;
}

class RawFaultsTest : public ::testing::Test {
 protected:
  snapstate::SnapStateClient client(int max_retries = 3) {
    return snapstate::SnapStateClient(loopback_options(server.base_url(), max_retries));
  }
  // The follow-up call that proves the client recovered.
  void expect_next_call_works(snapstate::SnapStateClient& c) {
    server.enqueue(health_ok());
    EXPECT_EQ(c.health().status, "ok");
  }
  RawServer server;
};

TEST_F(RawFaultsTest, ABodyThatMetadataPushesOverOneMebibyteGetsTheServersAnswer) {
  auto refusal = reply(raw_http_response(413, kTooLargeBody, {"x-request-id: rid-413"}),
                       RawAction::Read::headers);
  refusal.drain_after_reply = true;
  server.enqueue(refusal);
  auto c = client();
  snapstate::SaveOptions padded;
  padded.metadata = json{{"pad", std::string(500000, 'm')}};
  // The state alone is under the limit: only the state is measured, so the body goes out.
  const auto e = expect_exact<snapstate::PayloadTooLargeError>([&] {
    c.save("rs-big", 1, json{{"blob", std::string(1000000, 'x')}}, padded);
  });
  EXPECT_EQ(e.status_code(), 413);
  EXPECT_EQ(e.code(), "FST_ERR_CTP_BODY_TOO_LARGE");
  EXPECT_EQ(server.connection_count(), 1u);
  expect_next_call_works(c);
}

// A server (or proxy) with a lower limit than the client's refuses a body under 1 MiB.
TEST_F(RawFaultsTest, BodyLimit413BeforeTheBodyIsPayloadTooLarge) {
  auto refusal = reply(raw_http_response(413, kTooLargeBody, {"x-request-id: rid-413"}),
                       RawAction::Read::headers);
  refusal.drain_after_reply = true;
  server.enqueue(refusal);
  auto c = client();
  const auto e = expect_exact<snapstate::PayloadTooLargeError>(
      [&] { c.save("rs-big", 1, big_state(), big_metadata()); });
  EXPECT_EQ(e.status_code(), 413);
  EXPECT_EQ(e.code(), "FST_ERR_CTP_BODY_TOO_LARGE");
  EXPECT_EQ(e.request_id(), "rid-413");
  EXPECT_EQ(server.connection_count(), 1u) << "a POST is not repeated";
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, BodyLimit413MidUploadIsPayloadTooLargeNotANetworkError) {
  auto c = client();
  for (int round = 0; round < 10; ++round) {
    // As Fastify does: accept the upload, read up to a limit, answer 413, then drop the rest
    // of the body until the client closes.
    auto refusal = reply(raw_http_response(413, kTooLargeBody, {"x-request-id: rid-413"}),
                         RawAction::Read::headers);
    refusal.send_continue = true;
    refusal.body_bytes_to_read = 256 * 1024;
    refusal.drain_after_reply = true;
    server.enqueue(refusal);
    const auto e = expect_exact<snapstate::PayloadTooLargeError>(
        [&] { c.save("rs-big", 1, big_state(), big_metadata()); });
    EXPECT_EQ(e.status_code(), 413) << "round " << round;
    EXPECT_EQ(e.request_id(), "rid-413");
    const std::string received = server.received().back();
    EXPECT_GE(received.size(), 256u * 1024) << "the upload had started";
    expect_next_call_works(c);
  }
}

TEST_F(RawFaultsTest, ClosedBeforeAnyByteIsANetworkErrorAndGetIsRetried) {
  for (int i = 0; i < 3; ++i) server.enqueue(reply(""));
  auto c = client(3);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
  EXPECT_EQ(e.status_code(), 0);
  EXPECT_EQ(server.connection_count(), 3u);
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, AResetWhileTheClientSendsItsHeadersIsANetworkError) {
  for (int i = 0; i < 3; ++i) {
    auto reset = reply("", RawAction::Read::nothing);
    reset.reset = true;
    server.enqueue(reset);
  }
  auto c = client(3);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.status_code(), 0);
  EXPECT_EQ(server.connection_count(), 3u) << "a GET is retried within the budget";
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, AResetMidBodyIsANetworkErrorAndGetIsRetried) {
  const std::string full = raw_http_response(200, fixture_body("07-get-checkpoint-existing"));
  for (int i = 0; i < 2; ++i) {
    auto cut = reply(full.substr(0, full.size() - 100));
    cut.reset = true;
    server.enqueue(cut);
  }
  server.enqueue(reply(full));
  auto c = client(3);
  EXPECT_EQ(c.get("cp_rs-demo-1_001").step, 1) << "the third attempt gets the whole body";
  EXPECT_EQ(server.connection_count(), 3u);

  auto post_cut = reply(full.substr(0, full.size() - 100));
  post_cut.reset = true;
  server.enqueue(post_cut);
  server.enqueue(reply(raw_http_response(200, snapstate::testing::checkpoint_body("wf", 1))));
  EXPECT_EQ(c.save("wf", 1, json::object()).checkpoint_id, "cp_wf_001")
      << "the save was looked up and found stored";
  ASSERT_EQ(server.connection_count(), 5u);
  EXPECT_THAT(server.received().at(3), StartsWith("POST /checkpoints HTTP/1.1\r\n"));
  EXPECT_THAT(server.received().at(4), StartsWith("GET /checkpoints/cp_wf_001 HTTP/1.1\r\n"))
      << "a POST is never sent again blindly";
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, ClosedBeforeAnyByteIsLookedUpForASave) {
  server.enqueue(reply(""));
  server.enqueue(reply(raw_http_response(404, R"({"error":{"code":"NOT_FOUND","message":"no"}})")));
  server.enqueue(reply(raw_http_response(201, snapstate::testing::save_result_body("wf", 1))));
  auto c = client(3);
  EXPECT_EQ(c.save("wf", 1, json::object()).step, 1);
  ASSERT_EQ(server.connection_count(), 3u);
  EXPECT_THAT(server.received().at(0), StartsWith("POST /checkpoints HTTP/1.1\r\n"));
  EXPECT_THAT(server.received().at(1), StartsWith("GET /checkpoints/cp_wf_001 HTTP/1.1\r\n"));
  EXPECT_THAT(server.received().at(2), StartsWith("POST /checkpoints HTTP/1.1\r\n"))
      << "written again once the server said it does not hold the step";
}

TEST_F(RawFaultsTest, ClosedBeforeAnyByteIsReportedForOtherWrites) {
  server.enqueue(reply(""));
  auto c = client(3);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.delete_agent("agent-beta"); });
  EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
  EXPECT_EQ(server.connection_count(), 1u) << "a DELETE is not replayed";
  expect_next_call_works(c);
}

// libcurl reads a reply without a status line as HTTP/0.9, which it refuses: the client reports
// a NetworkError (code NETWORK_ERROR), not a ProtocolError, and does not retry it.
TEST_F(RawFaultsTest, GarbageInsteadOfHttpIsANetworkError) {
  server.enqueue(reply("garbage, not http\r\n\r\nmore garbage"));
  auto c = client(1);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.status_code(), 0);
  EXPECT_EQ(e.code(), "NETWORK_ERROR") << e.what();
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, AGarbledStatusLineIsANetworkError) {
  server.enqueue(reply("HTTP/1.1 abc Broken\r\ncontent-length: 2\r\n\r\n{}"));
  auto c = client(1);
  expect_exact<snapstate::NetworkError>([&] { c.get("cp_1"); });
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, ContentLengthLongerThanTheBodyIsANetworkError) {
  const std::string partial =
      "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n"
      "x-request-id: rid-short\r\n\r\n{\"checkpoint_id\":\"cp_1\"";
  server.enqueue(reply(partial));
  auto c = client(1);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, AShortBodyOnAGetIsRetried) {
  const std::string partial =
      "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{";
  server.enqueue(reply(partial));
  server.enqueue(reply(raw_http_response(200, fixture_body("07-get-checkpoint-existing"))));
  auto c = client(3);
  EXPECT_EQ(c.get("cp_rs-demo-1_001").step, 1);
  EXPECT_EQ(server.connection_count(), 2u);
}

// An error status whose body is cut short still reports the status: the verdict was given.
TEST_F(RawFaultsTest, AShortErrorBodyStillMapsTheStatus) {
  const std::string partial =
      "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 500\r\n"
      "x-request-id: rid-404\r\n\r\n{\"error\":{\"code\":\"NOT_";
  server.enqueue(reply(partial));
  auto c = client(1);
  const auto e = expect_exact<snapstate::NotFoundError>([&] { c.get("cp_1"); });
  EXPECT_EQ(e.status_code(), 404);
  EXPECT_EQ(e.code(), "NOT_FOUND");
  EXPECT_EQ(e.request_id(), "rid-404");
  expect_next_call_works(c);
}

TEST_F(RawFaultsTest, AnUnsizedBodyOverMaxResponseBytesIsAProtocolError) {
  // No Content-Length: the body runs to the close, and the limit is enforced while reading.
  server.enqueue(
      reply("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
            "{\"status\":\"ok\",\"pad\":\"" +
            std::string(64 * 1024, 'p') + "\"}"));
  auto options = loopback_options(server.base_url());
  options.max_response_bytes = 4096;
  snapstate::SnapStateClient c(options);
  const auto e = expect_exact<snapstate::ProtocolError>([&] { c.health(); });
  EXPECT_EQ(e.code(), "RESPONSE_TOO_LARGE");
  EXPECT_EQ(e.status_code(), 200);
  expect_next_call_works(c);
}

}  // namespace
