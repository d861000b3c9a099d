// What the CLI tells a person while it waits: with --verbose one line per attempt on stderr
// (method, path, status or error code, time, the wait before the next), and without it one
// "waiting N s" line for a back-off longer than 2 s when stderr is a terminal.
#pragma once

#include <functional>
#include <iosfwd>

#include <snapstate/client.hpp>

namespace snapstate_cli {

/// "POST /checkpoints → 429 in 2 ms; retrying in 1.0 s (attempt 1/3)"
std::string attempt_line(const snapstate::AttemptEvent& event, int max_attempts);

/// The observer the CLI's client gets; nothing at all when neither line would be printed.
std::function<void(const snapstate::AttemptEvent&)> attempt_observer(bool verbose, bool terminal,
                                                                     int max_attempts,
                                                                     std::ostream& err);

}  // namespace snapstate_cli
