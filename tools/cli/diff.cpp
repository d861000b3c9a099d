#include "diff.hpp"

#include <algorithm>
#include <vector>

namespace snapstate_cli {
namespace {

std::string key_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// Every leaf path under `value`; empty objects and arrays contribute none.
void leaves(const nlohmann::json& value, const std::string& path, std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& item : value.items()) leaves(item.value(), key_path(path, item.key()), out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) leaves(value[i], index_path(path, i), out);
  } else {
    out.push_back(path);
  }
}

void walk(const nlohmann::json& before, const nlohmann::json& after, const std::string& path,
          snapstate::DiffFromPrevious& diff) {
  if (before.is_object() && after.is_object()) {
    for (const auto& item : after.items()) {
      const std::string child = key_path(path, item.key());
      const auto old = before.find(item.key());
      if (old == before.end()) {
        leaves(item.value(), child, diff.added);
      } else {
        walk(*old, item.value(), child, diff);
      }
    }
    for (const auto& item : before.items()) {
      if (!after.contains(item.key()))
        leaves(item.value(), key_path(path, item.key()), diff.removed);
    }
  } else if (before.is_array() && after.is_array()) {
    const std::size_t count = std::max(before.size(), after.size());
    for (std::size_t i = 0; i < count; ++i) {
      if (i >= before.size()) {
        leaves(after[i], index_path(path, i), diff.added);
      } else if (i >= after.size()) {
        leaves(before[i], index_path(path, i), diff.removed);
      } else {
        walk(before[i], after[i], index_path(path, i), diff);
      }
    }
  } else if (before != after) {
    diff.changed.push_back(path);
  }
}

}  // namespace

snapstate::DiffFromPrevious diff_states(const nlohmann::json& before, const nlohmann::json& after) {
  snapstate::DiffFromPrevious diff;
  walk(before, after, "", diff);
  return diff;
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
  return static_cast<std::int64_t>(
      state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size());
}

}  // namespace snapstate_cli
