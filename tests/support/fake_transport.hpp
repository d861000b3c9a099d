// Unit-test doubles for the transport seam: a scripted FakeTransport that records every
// request, and retry hooks that record each sleep instead of sleeping.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "client_impl.hpp"
#include "fixture.hpp"
#include "http/transport.hpp"
#include "retry.hpp"

namespace snapstate::testing {

inline detail::HttpResponse http_response(int status, std::string body,
                                          std::string request_id = "req-1",
                                          std::string retry_after = {}) {
  detail::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.request_id = std::move(request_id);
  response.retry_after = std::move(retry_after);
  return response;
}

// A recorded exchange's final response, as the libcurl transport would hand it over.
inline detail::HttpResponse fixture_http_response(const std::string& name) {
  const Fixture f = load_fixture(name);
  detail::HttpResponse response;
  response.status = f.status;
  response.body = f.response_body;
  for (const auto& [header_name, value] : f.response_headers) {
    if (header_name == "x-request-id") response.request_id = value;
    if (header_name == "retry-after") response.retry_after = value;
  }
  return response;
}

inline detail::TransportFailure failure(detail::FailureKind kind, bool timed_out = false) {
  detail::TransportFailure f;
  f.kind = kind;
  f.timed_out = timed_out;
  f.message = "scripted failure";
  return f;
}

// Answers scripted results in order and records each request. When the script runs out it
// answers 500, so a test that sends more than it expected fails visibly.
class FakeTransport final : public detail::Transport {
 public:
  void push(detail::TransportResult result) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(result));
  }
  void push(int status, std::string body, std::string request_id = "req-1",
            std::string retry_after = {}) {
    push(http_response(status, std::move(body), std::move(request_id), std::move(retry_after)));
  }
  void push_fixture(const std::string& name) { push(fixture_http_response(name)); }
  void push_failure(detail::FailureKind kind, bool timed_out = false) {
    push(failure(kind, timed_out));
  }

  detail::TransportResult send(const detail::HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    if (script_.empty()) return http_response(500, R"({"error":"no scripted response left"})");
    auto result = std::move(script_.front());
    script_.pop_front();
    return result;
  }
  void close() override {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }

  std::vector<detail::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }
  bool closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<detail::TransportResult> script_;
  std::vector<detail::HttpRequest> requests_;
  bool closed_ = false;
};

// Hooks that never sleep: each requested delay is appended to `sleeps` (in milliseconds).
inline detail::RetryHooks recording_hooks(
    std::shared_ptr<std::vector<long long>> sleeps, double jitter = 0.0,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::time_point{}) {
  detail::RetryHooks hooks;
  hooks.sleep = [sleeps](std::chrono::milliseconds delay) {
    sleeps->push_back(delay.count());
    return true;
  };
  hooks.jitter = [jitter] { return jitter; };
  hooks.now = [now] { return now; };
  return hooks;
}

// A ClientImpl over a FakeTransport with recording hooks: the unit tests' client.
struct FakeClient {
  explicit FakeClient(ClientOptions options = default_options(), double jitter = 0.0,
                      std::chrono::system_clock::time_point now = {})
      : transport(std::make_shared<FakeTransport>()),
        sleeps(std::make_shared<std::vector<long long>>()),
        impl(std::move(options), transport, recording_hooks(sleeps, jitter, now)) {}

  static ClientOptions default_options() {
    ClientOptions options;
    options.api_key = "snp_unit_test_key_0123456789abcdef";
    options.base_url = "http://snapstate.test";
    return options;
  }

  std::shared_ptr<FakeTransport> transport;
  std::shared_ptr<std::vector<long long>> sleeps;
  detail::ClientImpl impl;
};

}  // namespace snapstate::testing
