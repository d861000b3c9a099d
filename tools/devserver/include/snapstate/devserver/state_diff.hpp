// diff_from_previous as the server computes it (PROTOCOL.md, POST /checkpoints), for tools that
// show the diff the server would have written (the CLI's replay timeline): one rule, here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace snapstate::devserver {

/// Leaf paths (`a.b`, `items[2]`) added, removed or changed from one state to the next; an
/// empty object or array is no leaf.
struct StateDiff {
  std::vector<std::string> added, removed, changed;
};

/// The diff between two states given as JSON text, each parsed as the server parses a body.
/// @throws std::invalid_argument when a text is not JSON the server would accept.
StateDiff diff_json(std::string_view previous, std::string_view next);

}  // namespace snapstate::devserver
