// The retry loop: it decides, it never throws. Each attempt's result is classified (an answer,
// a rate limit, a failure before anything was sent, an outcome the server may have acted on,
// a final error) and the call's Exchange decides what happens next; the loop returns the last
// result, the attempt count and why it stopped. Sleeping, jitter and the clock are injected so
// tests assert exact delays.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

#include "http/transport.hpp"
#include "snapstate/client.hpp"

namespace snapstate::detail {

struct RetryPolicy {
  int max_attempts = 1;                  // >= 1
  std::chrono::milliseconds max_wait{};  // cap on one sleep
  bool retry_transient = false;
  std::chrono::milliseconds transient_base{250};  // first transient back-off, before jitter
  AttemptLimits limits;                           // of one attempt
  std::optional<std::chrono::milliseconds> total_timeout;  // of the whole call

  static RetryPolicy from(const ClientOptions& options);
};

// A back-off sleep that close() cuts short.
class Wakeup {
 public:
  // Sleeps `delay`; false when interrupt() came first (or before).
  bool sleep_for(std::chrono::milliseconds delay);
  void interrupt();

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  bool interrupted_ = false;
};

struct RetryHooks {
  std::function<bool(std::chrono::milliseconds)> sleep;          // false: interrupted, stop
  std::function<double()> jitter;                                // uniform in [0, 1)
  std::function<std::chrono::system_clock::time_point()> now;    // for HTTP-dates
  std::function<std::chrono::steady_clock::time_point()> clock;  // for deadlines and timing

  // Real sleeps on `wakeup`, a thread-local random jitter, the system and steady clocks.
  static RetryHooks real(Wakeup& wakeup);
};

// Seconds to wait from a Retry-After value: delay-seconds, or an HTTP-date relative to `now`
// (a date in the past gives 0). nullopt when unreadable.
std::optional<long long> parse_retry_after(std::string_view value,
                                           std::chrono::system_clock::time_point now) noexcept;

// Sleep before attempt k+1 after a 429 on attempt k (k from 0).
std::chrono::milliseconds rate_limit_delay(long long retry_after_seconds, int k,
                                           std::chrono::milliseconds max_wait) noexcept;

// Sleep before attempt k+1 after a transient failure on attempt k: "equal jitter" over an
// exponential base, min(base * 2^k, max_wait) * (0.5 + jitter / 2).
std::chrono::milliseconds transient_delay(const RetryPolicy& policy, int k, double jitter) noexcept;

// What the loop must know of a call besides its request.
struct CallKind {
  bool repeatable = false;  // a GET: may go again after a drop, a stale answer or a 502/503/504
  int also_answer = 0;      // a non-2xx status that is an answer to decode (health's 503)
};

// What one attempt's result means, before anyone decides what to do about it.
enum class Verdict {
  answer,        // a 2xx, or the call's also_answer
  rate_limited,  // a 429
  not_sent,      // no connection could be made: the request never reached the server
  unknown,       // the server may have acted and nothing says how: the connection dropped or
                 // timed out after the request went out, the answer was another request's, or
                 // a 500/502/503/504 came back
  refused,       // any other error status: the server said no
  failed,        // a failure that repeating would not mend (TLS, too large, ...)
  closed,        // close() ended the call
};

Verdict classify(const TransportResult& result, const CallKind& kind) noexcept;

enum class StopReason {
  answered,   // a response to decode
  refused,    // an error status that repeating would not change
  failed,     // a failure that may not be repeated
  exhausted,  // the attempt budget ran out on a result that could have been retried
  deadline,   // total_timeout left no time for the wait and the next attempt
  closed,     // close() ended the call
};

// The next step after one attempt.
struct Decision {
  Verdict verdict = Verdict::answer;
  bool retry = false;
  StopReason reason = StopReason::answered;  // when not retrying
  std::chrono::milliseconds delay{0};        // before the next attempt

  static Decision stop(Verdict verdict, StopReason reason) { return {verdict, false, reason, {}}; }
  static Decision again(Verdict verdict, std::chrono::milliseconds delay) {
    return {verdict, true, StopReason::exhausted, delay};
  }
};

// One call's conversation with the server: the request of the next attempt, and what each
// result means for it. A plain call sends one request and takes the standard decision; a save
// also asks the server what became of a write whose outcome is unknown (see save_exchange).
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual const HttpRequest& request() const = 0;
  virtual CallKind kind() const = 0;
  // After attempt k (from 0): `standard` is what a plain call would do; `backoff` the jittered
  // transient delay the loop would wait before attempt k+1.
  virtual Decision decide(TransportResult& result, const Decision& standard,
                          std::chrono::milliseconds backoff) {
    (void)result;
    (void)backoff;
    return standard;
  }
};

class PlainExchange final : public Exchange {
 public:
  PlainExchange(const HttpRequest& request, CallKind kind) : request_(request), kind_(kind) {}
  const HttpRequest& request() const override { return request_; }
  CallKind kind() const override { return kind_; }

 private:
  const HttpRequest& request_;
  CallKind kind_;
};

struct Outcome {
  TransportResult last;  // the final response or failure
  int attempts = 0;
  StopReason reason = StopReason::answered;
  int retry_after_seconds = 1;                 // of the last 429
  std::chrono::milliseconds total_timeout{0};  // with reason deadline: the bound it met

  HttpResponse& response() { return std::get<HttpResponse>(last); }
};

using AttemptObserver = std::function<void(const AttemptEvent&)>;

// Sends the exchange's requests until it is answered, refused, out of attempts or time, or
// closed; tells `observe` (may be empty; what it throws is swallowed) after every attempt.
Outcome send_with_retries(Transport& transport, Exchange& exchange, const RetryPolicy& policy,
                          const RetryHooks& hooks, const AttemptObserver& observe);

}  // namespace snapstate::detail
