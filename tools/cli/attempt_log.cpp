#include "attempt_log.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>

namespace snapstate_cli {

namespace {

// A back-off this long leaves a person looking at a silent terminal: say so.
constexpr std::chrono::milliseconds kWorthSaying{2000};

std::string seconds(std::chrono::milliseconds wait) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(wait.count()) / 1000.0);
  return text;
}

}  // namespace

std::string attempt_line(const snapstate::AttemptEvent& event, int max_attempts) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(event.elapsed).count();
  std::string line = event.method + " " + event.path + " \xE2\x86\x92 " +
                     (event.status != 0 ? std::to_string(event.status) : event.error_code) +
                     " in " + std::to_string(ms) + " ms";
  if (event.retry_in) line += "; retrying in " + seconds(*event.retry_in);
  return line + " (attempt " + std::to_string(event.attempt) + "/" + std::to_string(max_attempts) +
         ")";
}

std::function<void(const snapstate::AttemptEvent&)> attempt_observer(bool verbose, bool terminal,
                                                                     int max_attempts,
                                                                     std::ostream& err) {
  if (verbose) {
    return [max_attempts, &err](const snapstate::AttemptEvent& event) {
      err << attempt_line(event, max_attempts) << std::endl;
    };
  }
  if (!terminal) return {};  // a pipe or a log file gets no progress chatter
  return [&err](const snapstate::AttemptEvent& event) {
    if (!event.retry_in || *event.retry_in <= kWorthSaying) return;
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(*event.retry_in).count();
    err << "waiting " << whole << " s ("
        << (event.status == 429
                ? std::string("rate limited")
                : "after " + (event.status != 0 ? std::to_string(event.status) : event.error_code))
        << ")" << std::endl;
  };
}

}  // namespace snapstate_cli
