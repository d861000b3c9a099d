// The retry loop: 429 back-off driven by Retry-After, and jittered back-off for transient
// failures. Sleeping, jitter and the clock are injected so tests can assert exact delays.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "transport.hpp"

namespace snapstate::detail {

struct RetryPolicy {
  int max_attempts = 3;                       // >= 1
  std::chrono::milliseconds max_wait{30000};  // cap on one sleep
  bool retry_transient = true;
  std::chrono::milliseconds transient_base{250};  // first transient back-off, before jitter
};

struct RetryHooks {
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> jitter;  // uniform in [0, 1)
  std::function<std::chrono::system_clock::time_point()> now;

  static RetryHooks real();
};

// Seconds to wait from a Retry-After value: delay-seconds, or an HTTP-date (IMF-fixdate,
// RFC 850 or asctime) relative to `now` (a date in the past gives 0). nullopt when unreadable.
std::optional<long long> parse_retry_after(std::string_view value,
                                           std::chrono::system_clock::time_point now) noexcept;

// Sleep before attempt k+1 after a 429 on attempt k (k from 0).
std::chrono::milliseconds rate_limit_delay(long long retry_after_seconds, int k,
                                           std::chrono::milliseconds max_wait) noexcept;

// Sleep before attempt k+1 after a transient failure on attempt k: "equal jitter" over an
// exponential base, min(base * 2^k, max_wait) * (0.5 + jitter / 2).
std::chrono::milliseconds transient_delay(const RetryPolicy& policy, int k, double jitter) noexcept;

struct Outcome {
  HttpResponse response;  // the final response (2xx, or the error to map)
  int attempts = 1;
  int retry_after_seconds = 1;  // of the last 429
};

// Sends `request` until a final answer. Idempotent requests may also be repeated after a
// 502/503/504 or a dropped connection. Statuses in `final_statuses` are never retried.
// Throws the mapped exception for a failure it gives up on.
Outcome send_with_retries(Transport& transport, const HttpRequest& request,
                          const RetryPolicy& policy, const RetryHooks& hooks, bool idempotent,
                          std::initializer_list<int> final_statuses = {});

}  // namespace snapstate::detail
