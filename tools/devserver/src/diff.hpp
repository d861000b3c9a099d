// diff_from_previous: the structural diff of two states, as PROTOCOL.md specifies it.
#pragma once

#include <string>
#include <vector>

#include "json_value.hpp"

namespace snapstate::devserver {

struct StateDiff {
  std::vector<std::string> added, removed, changed;
};

/// Compares `next` with `previous` (nullptr: no previous state, every leaf is added).
StateDiff diff_states(const json::Value* previous, const json::Value& next);

/// {"added":[...],"removed":[...],"changed":[...]}
json::Value to_json(const StateDiff& diff);

}  // namespace snapstate::devserver
