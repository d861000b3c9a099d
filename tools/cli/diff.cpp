#include "diff.hpp"

#include <snapstate/devserver/state_diff.hpp>

#include <utility>

namespace snapstate_cli {

std::string state_text(const nlohmann::json& state) {
  return state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The dev server's parser reads the text as the real server would: the same numbers (doubles)
// and the same paths, so the timeline shows the diffs the server wrote.
snapstate::DiffFromPrevious diff_states(std::string_view before, std::string_view after) {
  auto diff = snapstate::devserver::diff_json(before, after);
  return {std::move(diff.added), std::move(diff.removed), std::move(diff.changed)};
}

std::string format_diff(const snapstate::DiffFromPrevious& diff, std::size_t max_paths) {
  std::string out;
  std::size_t shown = 0;
  std::size_t hidden = 0;
  auto add = [&](const std::vector<std::string>& paths, char marker) {
    for (const auto& path : paths) {
      if (shown == max_paths) {
        ++hidden;
        continue;
      }
      if (!out.empty()) out += ' ';
      out += marker;
      out += path;
      ++shown;
    }
  };
  add(diff.added, '+');
  add(diff.changed, '~');
  add(diff.removed, '-');
  if (hidden > 0) out += " \xE2\x80\xA6(+" + std::to_string(hidden) + ")";
  return out.empty() ? "(no change)" : out;
}

std::int64_t state_size(const nlohmann::json& state) {
  return static_cast<std::int64_t>(state_text(state).size());
}

}  // namespace snapstate_cli
