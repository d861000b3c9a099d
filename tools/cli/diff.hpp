// Local diffs for the replay timeline: replay entries carry no diff_from_previous, and the
// table must not cost more than the one replay request. The rule itself is the dev server's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <snapstate/types.hpp>

namespace snapstate_cli {

/// The state's compact JSON (invalid UTF-8 replaced): the text the server measures and diffs.
std::string state_text(const nlohmann::json& state);

/// The server's diff rule (PROTOCOL.md, POST /checkpoints) applied to two state_text()s: leaf
/// paths `a.b` / `items[2]` added, removed or changed from `before` to `after`.
snapstate::DiffFromPrevious diff_states(std::string_view before, std::string_view after);

/// "+added ~changed -removed" for a table cell; at most `max_paths` paths, then "…(+N)".
std::string format_diff(const snapstate::DiffFromPrevious& diff, std::size_t max_paths = 8);

/// UTF-8 length of the state's compact JSON, as the server measures size_bytes (number
/// spellings aside).
std::int64_t state_size(const nlohmann::json& state);

}  // namespace snapstate_cli
