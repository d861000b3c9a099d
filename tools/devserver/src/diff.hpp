// diff_from_previous: the structural diff of two states, as PROTOCOL.md specifies it.
#pragma once

#include "json_value.hpp"
#include "snapstate/devserver/state_diff.hpp"

namespace snapstate::devserver {

/// Compares `next` with `previous` (nullptr: no previous state, every leaf is added).
StateDiff diff_states(const json::Value* previous, const json::Value& next);

/// {"added":[...],"removed":[...],"changed":[...]}
json::Value to_json(const StateDiff& diff);

}  // namespace snapstate::devserver
