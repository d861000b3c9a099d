// Sliding-window rate limit. Keyed per API key: the behaviour the upstream code intends. The
// real server shares one window among all keys (its window key is the string
// "[object Object]"); this is the one documented divergence from upstream.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace snapstate::devserver {

class RateLimiter {
 public:
  RateLimiter(std::size_t limit, std::chrono::milliseconds window)
      : limit_(limit), window_(window) {}

  /// Records one request for `key`; false if it is over the limit (rejected requests count too).
  bool admit(const std::string& key);
  /// Retry-After in whole seconds (the window, rounded up).
  long retry_after_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::size_t limit_;
  std::chrono::milliseconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> hits_;
};

}  // namespace snapstate::devserver
