#include "retry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <random>
#include <thread>

#include "error_mapping.hpp"

namespace snapstate::detail {

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A tiny cursor over the date text; each reader fails (returns false) without moving on error.
struct Cursor {
  std::string_view s;
  bool literal(std::string_view lit) {
    if (s.substr(0, lit.size()) != lit) return false;
    s.remove_prefix(lit.size());
    return true;
  }
  bool number(int min_digits, int max_digits, int& out) {
    int n = 0;
    int value = 0;
    while (n < max_digits && n < static_cast<int>(s.size()) &&
           std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(n)])) != 0) {
      value = value * 10 + (s[static_cast<std::size_t>(n)] - '0');
      ++n;
    }
    if (n < min_digits) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
    out = value;
    return true;
  }
  bool month(int& out) {
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
      if (literal(kMonths[i])) {
        out = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  bool skip_word() {  // the weekday name, whatever its length
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n])) != 0) ++n;
    if (n == 0) return false;
    s.remove_prefix(n);
    return true;
  }
  bool time(std::tm& tm) {
    return number(2, 2, tm.tm_hour) && literal(":") && number(2, 2, tm.tm_min) && literal(":") &&
           number(2, 2, tm.tm_sec);
  }
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm), so no
// locale- or timezone-dependent libc call is involved.
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned month_from_march = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * month_from_march + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::optional<long long> parse_http_date(std::string_view text) {
  std::tm tm{};
  Cursor c{text};
  bool ok = false;
  if (Cursor imf = c; imf.skip_word() && imf.literal(", ")) {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
    Cursor fix = imf;
    if (fix.number(2, 2, tm.tm_mday) && fix.literal(" ") && fix.month(tm.tm_mon) &&
        fix.literal(" ") && fix.number(4, 4, tm.tm_year) && fix.literal(" ") && fix.time(tm) &&
        fix.literal(" GMT") && fix.s.empty()) {
      ok = true;
    } else if (Cursor rfc = imf; rfc.number(2, 2, tm.tm_mday) && rfc.literal("-") &&
                                 rfc.month(tm.tm_mon) && rfc.literal("-") &&
                                 rfc.number(2, 2, tm.tm_year) && rfc.literal(" ") && rfc.time(tm) &&
                                 rfc.literal(" GMT") && rfc.s.empty()) {
      tm.tm_year += tm.tm_year < 70 ? 2000 : 1900;
      ok = true;
    }
  } else if (Cursor asc = c; asc.skip_word() && asc.literal(" ") && asc.month(tm.tm_mon) &&
                             asc.literal(" ") && (asc.literal(" ") || true) &&
                             asc.number(1, 2, tm.tm_mday) && asc.literal(" ") && asc.time(tm) &&
                             asc.literal(" ") && asc.number(4, 4, tm.tm_year) && asc.s.empty()) {
    ok = true;  // asctime "Sun Nov  6 08:49:37 1994"
  }
  if (!ok || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  const long long days = days_from_civil(tm.tm_year, static_cast<unsigned>(tm.tm_mon + 1),
                                         static_cast<unsigned>(tm.tm_mday));
  return days * 86400LL + tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec;
}

bool is_transient_status(int status) {
  return status == 502 || status == 503 || status == 504;
}

}  // namespace

RetryHooks RetryHooks::real() {
  RetryHooks hooks;
  hooks.sleep = [](milliseconds delay) { std::this_thread::sleep_for(delay); };
  hooks.jitter = [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
  hooks.now = [] { return std::chrono::system_clock::now(); };
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
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return std::max(0LL, *date - now_s);
}

milliseconds rate_limit_delay(long long retry_after_seconds, int k,
                              milliseconds max_wait) noexcept {
  const long long cap = std::max<long long>(0, max_wait.count());
  long long delay = std::max(0LL, retry_after_seconds) * 1000;
  for (int i = 0; i < k && delay < cap; ++i) delay *= 2;
  return milliseconds(std::min(delay, cap));
}

milliseconds transient_delay(const RetryPolicy& policy, int k, double jitter) noexcept {
  const long long cap = std::max<long long>(0, policy.max_wait.count());
  long long delay = policy.transient_base.count();
  for (int i = 0; i < k && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return milliseconds(static_cast<long long>(static_cast<double>(delay) * (0.5 + jitter / 2)));
}

Outcome send_with_retries(Transport& transport, const HttpRequest& request,
                          const RetryPolicy& policy, const RetryHooks& hooks, bool idempotent,
                          std::initializer_list<int> final_statuses) {
  const int attempts = std::max(1, policy.max_attempts);
  for (int k = 0;; ++k) {
    const bool last = k + 1 >= attempts;
    auto result = transport.send(request);
    if (auto* failure = std::get_if<TransportFailure>(&result)) {
      const bool retryable =
          policy.retry_transient && (failure->kind == FailureKind::connect ||
                                     (idempotent && failure->kind == FailureKind::dropped));
      if (!retryable || last) throw_transport_failure(*failure, k + 1);
      hooks.sleep(transient_delay(policy, k, hooks.jitter()));
      continue;
    }
    auto& response = std::get<HttpResponse>(result);
    const int status = response.status;
    const bool is_final =
        std::find(final_statuses.begin(), final_statuses.end(), status) != final_statuses.end();
    if (status == 429 && !is_final) {
      const long long wait = parse_retry_after(response.retry_after, hooks.now()).value_or(1);
      if (last) {
        const int seconds = static_cast<int>(std::min<long long>(wait, 1'000'000'000LL));
        return Outcome{std::move(response), k + 1, seconds};
      }
      hooks.sleep(rate_limit_delay(wait, k, policy.max_wait));
      continue;
    }
    if (!is_final && policy.retry_transient && idempotent && is_transient_status(status) && !last) {
      hooks.sleep(transient_delay(policy, k, hooks.jitter()));
      continue;
    }
    return Outcome{std::move(response), k + 1, 1};
  }
}

}  // namespace snapstate::detail
