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

// The unit tests' steady clock: it moves only when a sleep or a scripted attempt moves it.
struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  void advance(std::chrono::milliseconds by) { now += by; }
};

// Answers scripted results in order and records each request. When the script runs out it
// answers 500, so a test that sends more than it expected fails visibly. Each scripted result
// may take time on the fake clock; a scripted timeout takes the whole timeout it was given.
class FakeTransport final : public detail::Transport {
 public:
  explicit FakeTransport(std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>())
      : clock_(std::move(clock)) {}

  void push(detail::TransportResult result, std::chrono::milliseconds takes = {}) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(Scripted{std::move(result), takes, false});
  }
  // A server that says nothing: the attempt lasts its whole timeout, then fails.
  void push_silence() {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(Scripted{failure(detail::FailureKind::timeout), {}, true});
  }
  void push(int status, std::string body, std::string request_id = "req-1",
            std::string retry_after = {}) {
    push(http_response(status, std::move(body), std::move(request_id), std::move(retry_after)));
  }
  void push_fixture(const std::string& name) { push(fixture_http_response(name)); }
  void push_failure(detail::FailureKind kind, bool timed_out = false) {
    push(failure(kind, timed_out));
  }

  detail::TransportResult send(const detail::HttpRequest& request,
                               const detail::AttemptLimits& limits) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    limits_.push_back(limits);
    if (script_.empty()) return http_response(500, R"({"error":"no scripted response left"})");
    auto next = std::move(script_.front());
    script_.pop_front();
    clock_->advance(next.silent ? limits.timeout : next.takes);
    return std::move(next.result);
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
  // The timeouts each attempt was given.
  std::vector<detail::AttemptLimits> limits() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return limits_;
  }
  bool closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
  }

 private:
  struct Scripted {
    detail::TransportResult result;
    std::chrono::milliseconds takes;
    bool silent;
  };
  std::shared_ptr<FakeClock> clock_;
  mutable std::mutex mutex_;
  std::deque<Scripted> script_;
  std::vector<detail::HttpRequest> requests_;
  std::vector<detail::AttemptLimits> limits_;
  bool closed_ = false;
};

// Hooks that never sleep: each requested delay is appended to `sleeps` (in milliseconds) and
// moves the fake clock on.
inline detail::RetryHooks recording_hooks(
    std::shared_ptr<std::vector<long long>> sleeps, std::shared_ptr<FakeClock> clock,
    double jitter = 0.0,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::time_point{}) {
  detail::RetryHooks hooks;
  hooks.sleep = [sleeps, clock](std::chrono::milliseconds delay) {
    sleeps->push_back(delay.count());
    clock->advance(delay);
    return true;
  };
  hooks.jitter = [jitter] { return jitter; };
  hooks.now = [now] { return now; };
  hooks.clock = [clock] { return clock->now; };
  return hooks;
}

// A ClientImpl over a FakeTransport with recording hooks: the unit tests' client.
struct FakeClient {
  explicit FakeClient(ClientOptions options = default_options(), double jitter = 0.0,
                      std::chrono::system_clock::time_point now = {})
      : clock(std::make_shared<FakeClock>()),
        transport(std::make_shared<FakeTransport>(clock)),
        sleeps(std::make_shared<std::vector<long long>>()),
        impl(std::move(options), transport, recording_hooks(sleeps, clock, jitter, now)) {}

  static ClientOptions default_options() {
    ClientOptions options;
    options.api_key = "snp_unit_test_key_0123456789abcdef";
    options.base_url = "http://snapstate.test";
    return options;
  }

  // The time the calls took on the fake clock.
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock->now.time_since_epoch());
  }

  std::shared_ptr<FakeClock> clock;
  std::shared_ptr<FakeTransport> transport;
  std::shared_ptr<std::vector<long long>> sleeps;
  detail::ClientImpl impl;
};

}  // namespace snapstate::testing
