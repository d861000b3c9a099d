// What a hostile probe found, each through real libcurl: an error body built to exhaust the
// parser, a Content-Length built to exhaust memory, a server echoing the API key, an id too long
// for any request line, and close() racing with calls in flight.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "loopback.hpp"
#include "raw_server.hpp"
#include "scripted_server.hpp"
#include "snapstate/net/socket.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::expect_exact;
using snapstate::testing::kLoopbackKey;
using snapstate::testing::loopback_options;
using snapstate::testing::raw_http_response;
using snapstate::testing::RawAction;
using snapstate::testing::RawServer;
using snapstate::testing::ScriptedResponse;
using snapstate::testing::ScriptedServer;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Hardening, AnErrorBodyNestedMillionsDeepIsReadAsCheaplyAsAnyOther) {
  ScriptedServer server;
  ScriptedResponse deep;
  deep.status = 500;
  deep.body = std::string(16'000'000, '[');
  server.enqueue(deep);
  auto options = loopback_options(server.base_url(), 1);
  snapstate::SnapStateClient c(options);
  const auto e = expect_exact<snapstate::ServerError>([&] { c.get("cp_x_001"); });
  EXPECT_EQ(e.status_code(), 500);
  EXPECT_EQ(e.code(), "INTERNAL_SERVER_ERROR") << "an unreadable body: the status decides";
}

TEST(Hardening, AHostileContentLengthNeverReservesWhatNeverComes) {
  RawServer server;
  for (int i = 0; i < 2; ++i) {
    RawAction action;
    action.reply =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        "content-length: 9223372036854775807\r\nconnection: close\r\n\r\n{\"a\":";
    server.enqueue(action);
  }
  auto options = loopback_options(server.base_url(), 2);
  options.max_response_bytes = SIZE_MAX;  // nothing stops the length but the client's own care
  snapstate::SnapStateClient c(options);
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.get("cp_x_001"); });
  EXPECT_EQ(e.code(), "CONNECTION_DROPPED");
  EXPECT_EQ(server.connection_count(), 2u) << "a GET went again, and failed the same way";
}

TEST(Hardening, TheKeyIsRedactedFromEverythingTheServerEchoes) {
  ScriptedServer server;
  const std::string key = kLoopbackKey;
  server.enqueue(ScriptedResponse{
      401,
      json{{"error", {{"code", "BAD_" + key}, {"message", "Invalid API key " + key}}}}.dump(),
      {{"x-request-id", "rid-" + key}}});
  server.enqueue(ScriptedResponse{
      409,
      json{{"error", {{"code", "CONFLICT"}, {"message", "exists"}}},
           {"existing", {{"checkpoint_id", "cp_" + key}, {"etag", "\"" + key + "\""}}}}
          .dump(),
      {{"x-request-id", key}}});
  server.enqueue(ScriptedResponse{200, "not json " + key, {{"x-request-id", key + key}}});
  snapstate::SnapStateClient c(loopback_options(server.base_url(), 1));
  const auto auth = expect_exact<snapstate::AuthError>([&] { c.get("cp_x_001"); });
  EXPECT_EQ(auth.code(), "BAD_[redacted]");
  EXPECT_EQ(std::string(auth.what()), "Invalid API key [redacted]");
  EXPECT_EQ(auth.request_id(), "rid-[redacted]");
  const auto conflict =
      expect_exact<snapstate::ConflictError>([&] { c.save("wf", 1, json::object()); });
  EXPECT_EQ(conflict.request_id(), "[redacted]");
  EXPECT_EQ(conflict.existing_checkpoint_id(), "cp_[redacted]");
  EXPECT_EQ(conflict.existing_etag(), "\"[redacted]\"");
  const auto garbled = expect_exact<snapstate::ProtocolError>([&] { c.resume("wf"); });
  EXPECT_EQ(garbled.request_id(), "[redacted][redacted]");
  for (const std::string& text : {std::string(garbled.what()), garbled.code()}) {
    EXPECT_THAT(text, Not(HasSubstr(key)));
  }
}

TEST(Hardening, AnIdTooLongForARequestLineIsRefusedBeforeSending) {
  ScriptedServer server;
  snapstate::SnapStateClient c(loopback_options(server.base_url(), 3));
  for (const auto& call : std::vector<std::function<void()>>{
           [&] { c.get(std::string(9000, 'c')); },
           [&] { c.delete_webhook(std::string(3000, '/')); },  // 3 bytes each, encoded
       }) {
    const auto e = expect_exact<snapstate::ValidationError>(call);
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), "ID_TOO_LONG");
  }
  EXPECT_EQ(server.request_count(), 0u);
}

// The base URL is handed to libcurl's parser once (src/http/curl_url.hpp); one that parser
// refuses goes as a string and fails the call as libcurl fails it, a NetworkError naming the URL.
TEST(Hardening, ABaseUrlLibcurlCannotParseFailsTheCallNotTheProcess) {
  snapstate::SnapStateClient c(loopback_options("http://[::1", 0));
  const auto e = expect_exact<snapstate::NetworkError>([&] { c.resume("run-1"); });
  EXPECT_EQ(e.code(), "NETWORK_ERROR");
  EXPECT_NE(std::string(e.what()).find("http://[::1/workflows/run-1/resume"), std::string::npos)
      << e.what();
}

// A server that accepts, reads, and never answers; it counts the connections the client closed.
class SilentServer {
 public:
  SilentServer() : socket_(snapstate::net::listen_tcp("127.0.0.1", 0)) {
    thread_ = std::thread([this] {
      std::vector<std::thread> readers;
      while (!stop_.woken()) {
        auto fd = socket_.accept_for(snapstate::net::kForever, &stop_);
        if (!fd) continue;
        ++accepted_;
        readers.emplace_back([this, connection = std::move(fd)]() mutable {
          std::string sink;
          for (;;) {
            const auto got =
                snapstate::net::recv_some(connection.get(), sink, std::chrono::milliseconds(50));
            if (got.status == snapstate::net::Received::Status::closed ||
                got.status == snapstate::net::Received::Status::failed) {
              ++closed_by_client_;
              return;
            }
            if (stop_.woken()) return;
          }
        });
      }
      for (auto& reader : readers) reader.join();
    });
  }
  ~SilentServer() {
    stop_.wake();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(socket_.port()); }
  int accepted() const { return accepted_; }
  int closed_by_client() const { return closed_by_client_; }

 private:
  snapstate::net::ListenSocket socket_;
  snapstate::net::Waker stop_;
  std::atomic<int> accepted_{0};
  std::atomic<int> closed_by_client_{0};
  std::thread thread_;
};

TEST(Hardening, CloseReturnsOnlyOnceEveryCallInFlightHasEnded) {
  SilentServer server;
  auto options = loopback_options(server.base_url(), 1);
  options.timeout = std::chrono::milliseconds(30000);
  // An attempt is reported from inside its call: once close() returns, every call in flight
  // must have reported how its attempt ended.
  std::atomic<int> attempts_ended{0};
  options.on_attempt = [&](const snapstate::AttemptEvent&) { ++attempts_ended; };
  snapstate::SnapStateClient c(options);
  constexpr int kCalls = 4;
  std::atomic<int> ended{0};
  std::atomic<int> closed_errors{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&] {
      try {
        c.resume("wf");
      } catch (const snapstate::SnapStateError& e) {
        if (e.code() == "CLIENT_CLOSED") ++closed_errors;
      }
      ++ended;
    });
  }
  for (int i = 0; i < 2000 && server.accepted() < kCalls; ++i) {  // 10 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server.accepted(), kCalls) << "every call reached the server before close()";
  const auto before = std::chrono::steady_clock::now();
  c.close();
  EXPECT_EQ(attempts_ended.load(), kCalls) << "close() returned while calls were still running";
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(10))
      << "the calls were interrupted, not waited out to their 30 s timeout";
  for (int i = 0; i < 100 && server.closed_by_client() < kCalls; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the FINs are on their way
  }
  EXPECT_EQ(server.closed_by_client(), kCalls) << "every connection was released";
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(ended.load(), kCalls);
  EXPECT_EQ(closed_errors.load(), kCalls);
}

}  // namespace

namespace {

// ---- every wait has a bound (behaviour, with generous margins; never a benchmark) ------------

using Clock = std::chrono::steady_clock;

TEST(Deadlines, ASubMillisecondTimeoutIsOneMillisecondNotForever) {
  SilentServer server;
  snapstate::SnapStateClient c("snp_timeout_test", server.base_url(), 0.0004, 1);
  const auto start = Clock::now();
  const auto e = expect_exact<snapstate::TimeoutError>([&] { c.resume("wf"); });
  // 1 ms may end while connecting or while waiting for the answer, as the machine is quick.
  EXPECT_TRUE(e.code() == "TIMEOUT" || e.code() == "CONNECT_TIMEOUT") << e.code();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5)) << "1 ms, not libcurl's 'no timeout'";
}

TEST(Deadlines, TotalTimeoutBoundsACallToASilentServer) {
  SilentServer server;
  auto options = loopback_options(server.base_url(), 5);
  options.timeout = std::chrono::milliseconds(30000);
  options.total_timeout = std::chrono::milliseconds(800);
  snapstate::SnapStateClient c(options);
  const auto start = Clock::now();
  const auto e = expect_exact<snapstate::TimeoutError>([&] { c.save("wf", 1, json::object()); });
  const auto took = Clock::now() - start;
  EXPECT_THAT(e.what(), HasSubstr("stopped by total_timeout 800 ms"));
  EXPECT_GE(took, std::chrono::milliseconds(700));
  EXPECT_LT(took, std::chrono::seconds(5)) << "not the 30 s attempt timeout";
}

TEST(Deadlines, TotalTimeoutBoundsARateLimitStorm) {
  ScriptedServer server;
  server.set_responder([](const snapstate::testing::RecordedRequest&) {
    return ScriptedResponse{429,
                            R"({"error":{"code":"RATE_LIMITED","message":"Rate limit exceeded"}})",
                            {{"retry-after", "1"}}};
  });
  auto options = loopback_options(server.base_url(), 10);
  options.max_retry_wait = std::chrono::milliseconds(30000);
  options.total_timeout = std::chrono::milliseconds(2500);
  std::vector<snapstate::AttemptEvent> events;
  options.on_attempt = [&](const snapstate::AttemptEvent& event) { events.push_back(event); };
  snapstate::SnapStateClient c(options);
  const auto start = Clock::now();
  expect_exact<snapstate::RateLimitError>([&] { c.resume("wf"); });
  const auto took = Clock::now() - start;
  ASSERT_EQ(events.size(), 2u) << "waits of 1 s then 2 s: the second would pass 2.5 s";
  EXPECT_EQ(events[0].retry_in, std::chrono::milliseconds(1000));
  EXPECT_FALSE(events[1].retry_in.has_value());
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(2500) + std::chrono::seconds(3));
}

TEST(Deadlines, CloseFromInsideAnObserverEndsTheCallWithoutWaitingForIt) {
  ScriptedServer server;
  server.set_responder([](const snapstate::testing::RecordedRequest&) {
    return ScriptedResponse{
        429, R"({"error":{"code":"RATE_LIMITED","message":"slow"}})", {{"retry-after", "30"}}};
  });
  auto options = loopback_options(server.base_url(), 5);
  options.max_retry_wait = std::chrono::milliseconds(30000);
  snapstate::SnapStateClient* self = nullptr;
  options.on_attempt = [&self](const snapstate::AttemptEvent&) { self->close(); };
  snapstate::SnapStateClient c(options);
  self = &c;
  const auto start = Clock::now();
  const auto e = expect_exact<snapstate::SnapStateError>([&] { c.resume("wf"); });
  EXPECT_EQ(e.code(), "CLIENT_CLOSED");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10)) << "not the 30 s back-off";
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
