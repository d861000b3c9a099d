#include "rate_limiter.hpp"

namespace snapstate::devserver {

bool RateLimiter::admit(const std::string& key) {
  if (limit_ == 0 || window_.count() <= 0) return true;
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto& hits = hits_[key];
  while (!hits.empty() && now - hits.front() >= window_) hits.pop_front();
  hits.push_back(now);
  return hits.size() <= limit_;
}

long RateLimiter::retry_after_seconds() const {
  return static_cast<long>((window_.count() + 999) / 1000);
}

}  // namespace snapstate::devserver
