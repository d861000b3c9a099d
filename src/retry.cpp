#include "retry.hpp"

#include <algorithm>
#include <cctype>
#include <random>

#include "error_mapping.hpp"
#include "http/http_date.hpp"

namespace snapstate::detail {

namespace {

using std::chrono::milliseconds;

// 2 × delay, or `cap` when that is more (never past what a long long holds).
long long doubled_up_to(long long delay, long long cap) noexcept {
  return delay > cap / 2 ? cap : delay * 2;
}

bool is_transient_status(int status) {
  return status == 502 || status == 503 || status == 504;
}

// What a plain call does with an attempt's result.
Decision standard_decision(const TransportResult& result, const CallKind& kind,
                           const RetryPolicy& policy, const RetryHooks& hooks, int k,
                           milliseconds backoff, int& retry_after_seconds) {
  const Verdict verdict = classify(result, kind);
  switch (verdict) {
    case Verdict::answer: return Decision::stop(verdict, StopReason::answered);
    case Verdict::rate_limited: {
      const auto& response = std::get<HttpResponse>(result);
      const long long wait = parse_retry_after(response.retry_after, hooks.now()).value_or(1);
      retry_after_seconds = static_cast<int>(std::min<long long>(wait, 1'000'000'000LL));
      return Decision::again(verdict, rate_limit_delay(wait, k, policy.max_wait));
    }
    case Verdict::not_sent:
      return policy.retry_transient ? Decision::again(verdict, backoff)
                                    : Decision::stop(verdict, StopReason::failed);
    case Verdict::unknown: {
      // Only a GET may simply go again, and not after its own timeout (the wait would grow
      // past what was configured) nor after a 500 (the server's own error, not a passing one).
      const auto* failure = std::get_if<TransportFailure>(&result);
      const bool passing = failure != nullptr
                               ? failure->kind != FailureKind::timeout
                               : is_transient_status(std::get<HttpResponse>(result).status);
      if (policy.retry_transient && kind.repeatable && passing)
        return Decision::again(verdict, backoff);
      return Decision::stop(verdict, failure != nullptr ? StopReason::failed : StopReason::refused);
    }
    case Verdict::refused: return Decision::stop(verdict, StopReason::refused);
    case Verdict::failed: return Decision::stop(verdict, StopReason::failed);
    case Verdict::closed: return Decision::stop(verdict, StopReason::closed);
  }
  return Decision::stop(verdict, StopReason::failed);
}

// What `observe` learns of an attempt; it must not be able to change the call.
void report(const AttemptObserver& observe, const HttpRequest& request,
            const TransportResult& result, int attempt, std::chrono::microseconds elapsed,
            std::optional<milliseconds> retry_in) noexcept {
  if (!observe) return;
  try {
    AttemptEvent event;
    event.method = method_name(request.method);
    event.path = std::string(request.path());
    event.attempt = attempt;
    if (const auto* response = std::get_if<HttpResponse>(&result)) {
      event.status = response->status;
      event.request_id = response->request_id;
    } else {
      event.error_code = failure_code(std::get<TransportFailure>(result));
    }
    event.elapsed = elapsed;
    event.retry_in = retry_in;
    observe(event);
  } catch (...) {
    // An observer's failure (or no memory for the event) is no failure of the call.
  }
}

}  // namespace

RetryPolicy RetryPolicy::from(const ClientOptions& options) {
  RetryPolicy policy;
  policy.max_attempts = std::max(1, options.max_retries);
  policy.max_wait = options.max_retry_wait;
  policy.retry_transient = options.retry_transient_errors;
  policy.limits = AttemptLimits{options.timeout, options.connect_timeout};
  policy.total_timeout = options.total_timeout;
  return policy;
}

bool Wakeup::sleep_for(milliseconds delay) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !woken_.wait_for(lock, delay, [this] { return interrupted_; });
}

void Wakeup::interrupt() {
  {
    std::lock_guard<std::mutex> lock(mutex_);  // no sleeper misses the wake-up
    interrupted_ = true;
  }
  woken_.notify_all();
}

RetryHooks RetryHooks::real(Wakeup& wakeup) {
  RetryHooks hooks;
  hooks.sleep = [&wakeup](milliseconds delay) { return wakeup.sleep_for(delay); };
  hooks.jitter = [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
  hooks.now = [] { return std::chrono::system_clock::now(); };
  hooks.clock = [] { return std::chrono::steady_clock::now(); };
  return hooks;
}

std::optional<long long> parse_retry_after(std::string_view value,
                                           std::chrono::system_clock::time_point now) noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    // Saturate instead of overflowing: the wait is capped by max_retry_wait anyway.
    long long seconds = 0;
    for (const char c : value) {
      seconds = std::min(seconds * 10 + (c - '0'), 1'000'000'000LL);
    }
    return seconds;
  }
  std::optional<std::int64_t> date;
  try {
    date = parse_http_date(value);
  } catch (...) {
    return std::nullopt;  // no memory for the copy: treat as unreadable
  }
  if (!date) return std::nullopt;
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return std::max(0LL, static_cast<long long>(*date) - now_s);
}

milliseconds rate_limit_delay(long long retry_after_seconds, int k,
                              milliseconds max_wait) noexcept {
  const long long cap = std::max<long long>(0, max_wait.count());
  if (retry_after_seconds > cap / 1000) return milliseconds(cap);  // also keeps × 1000 in range
  long long delay = std::max(0LL, retry_after_seconds) * 1000;
  for (int i = 0; i < k && delay < cap; ++i) delay = doubled_up_to(delay, cap);
  return milliseconds(std::min(delay, cap));
}

milliseconds transient_delay(const RetryPolicy& policy, int k, double jitter) noexcept {
  const long long cap = std::max<long long>(0, policy.max_wait.count());
  long long delay = policy.transient_base.count();
  for (int i = 0; i < k && delay < cap; ++i) delay = doubled_up_to(delay, cap);
  delay = std::min(delay, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  // Half the delay, plus up to the other half: in range for any cap.
  const long long half = delay / 2;
  return milliseconds(half + static_cast<long long>(static_cast<double>(delay - half) * jitter));
}

Verdict classify(const TransportResult& result, const CallKind& kind) noexcept {
  if (const auto* failure = std::get_if<TransportFailure>(&result)) {
    switch (failure->kind) {
      case FailureKind::connect: return Verdict::not_sent;
      case FailureKind::timeout:
      case FailureKind::dropped:
      case FailureKind::mismatched: return Verdict::unknown;
      case FailureKind::aborted: return Verdict::closed;
      case FailureKind::tls:
      case FailureKind::too_large:
      case FailureKind::other: return Verdict::failed;
    }
    return Verdict::failed;
  }
  const int status = std::get<HttpResponse>(result).status;
  if ((status >= 200 && status <= 299) || (kind.also_answer != 0 && status == kind.also_answer)) {
    return Verdict::answer;
  }
  if (status == 429) return Verdict::rate_limited;
  if (status == 500 || is_transient_status(status)) return Verdict::unknown;
  return Verdict::refused;
}

Outcome send_with_retries(Transport& transport, Exchange& exchange, const RetryPolicy& policy,
                          const RetryHooks& hooks, const AttemptObserver& observe) {
  Outcome outcome;
  const bool bounded = policy.total_timeout.has_value();
  // The clock is read only for a deadline or an observer's elapsed time.
  const auto now = [&] {
    return bounded || observe ? hooks.clock() : std::chrono::steady_clock::time_point{};
  };
  const auto deadline = now() + policy.total_timeout.value_or(milliseconds(0));
  for (int k = 0;; ++k) {
    const auto started = now();
    AttemptLimits limits = policy.limits;
    if (bounded) {  // an attempt never outlasts the call: it gets what is left, at most
      const auto left = std::chrono::ceil<milliseconds>(deadline - started);
      limits.timeout = std::clamp(left, milliseconds(1), limits.timeout);
      limits.connect_timeout = std::clamp(left, milliseconds(1), limits.connect_timeout);
    }
    const HttpRequest& request = exchange.request();
    outcome.last = transport.send(request, limits);
    outcome.attempts = k + 1;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now() - started);
    const milliseconds backoff = transient_delay(policy, k, hooks.jitter());
    const Decision standard = standard_decision(outcome.last, exchange.kind(), policy, hooks, k,
                                                backoff, outcome.retry_after_seconds);
    const Decision next = exchange.decide(outcome.last, standard, backoff);
    StopReason reason = next.retry ? StopReason::exhausted : next.reason;
    bool again = next.retry && outcome.attempts < policy.max_attempts;
    // No sleep past the deadline, and none that would leave no time for the attempt after it.
    if (again && bounded && hooks.clock() + next.delay + milliseconds(1) > deadline) {
      again = false;
      reason = StopReason::deadline;
      outcome.total_timeout = *policy.total_timeout;
    }
    report(observe, request, outcome.last, outcome.attempts, elapsed,
           again ? std::optional(next.delay) : std::nullopt);
    if (!again) {
      outcome.reason = reason;
      return outcome;
    }
    if (!hooks.sleep(next.delay)) {
      outcome.reason = StopReason::closed;
      return outcome;
    }
  }
}

}  // namespace snapstate::detail
