#include "diff.hpp"

#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "json_parse.hpp"

namespace snapstate::devserver {
namespace {

using json::Type;
using json::Value;

// Object member lookup; hashes the members of large objects once.
class MemberIndex {
 public:
  explicit MemberIndex(const Value& obj) : obj_(obj) {
    if (obj.items.size() > 16) {
      map_.reserve(obj.items.size());
      for (const auto& m : obj.items) map_.emplace(std::string_view(m.key), &m);
    }
  }
  const Value* find(std::string_view key) const {
    if (map_.empty()) return obj_.find(key);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }

 private:
  const Value& obj_;
  std::unordered_map<std::string_view, const Value*> map_;
};

// The upstream joins with `prefix ? prefix + "." + key : key`, so an empty prefix means "top".
std::string member_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string index_path(const std::string& prefix, std::size_t i) {
  return prefix + "[" + std::to_string(i) + "]";
}

void collect_leaves(const Value& v, const std::string& path, std::vector<std::string>& out) {
  if (v.type == Type::Object) {
    for (const auto& m : v.items) collect_leaves(m, member_path(path, m.key), out);
  } else if (v.type == Type::Array) {
    for (std::size_t i = 0; i < v.items.size(); ++i)
      collect_leaves(v.items[i], index_path(path, i), out);
  } else {
    out.push_back(path);
  }
}

bool scalar_equal(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case Type::Null: return true;
    case Type::Bool: return a.boolean == b.boolean;
    case Type::Number: return a.number == b.number;
    case Type::String: return a.text == b.text;
    default: return false;  // containers of different kinds never reach here equal
  }
}

void walk(const Value& prev, const Value& next, const std::string& path, StateDiff& d) {
  if (prev.type == Type::Object && next.type == Type::Object) {
    MemberIndex old_index(prev);
    for (const auto& m : next.items) {
      const std::string p = member_path(path, m.key);
      if (const Value* o = old_index.find(m.key)) {
        walk(*o, m, p, d);
      } else {
        collect_leaves(m, p, d.added);
      }
    }
    MemberIndex new_index(next);
    for (const auto& m : prev.items) {
      if (new_index.find(m.key) == nullptr) collect_leaves(m, member_path(path, m.key), d.removed);
    }
    return;
  }
  if (prev.type == Type::Array && next.type == Type::Array) {
    const std::size_t n = std::max(prev.items.size(), next.items.size());
    for (std::size_t i = 0; i < n; ++i) {
      const std::string p = index_path(path, i);
      if (i < prev.items.size() && i < next.items.size()) {
        walk(prev.items[i], next.items[i], p, d);
      } else if (i < next.items.size()) {
        collect_leaves(next.items[i], p, d.added);
      } else {
        collect_leaves(prev.items[i], p, d.removed);
      }
    }
    return;
  }
  if (!scalar_equal(prev, next)) d.changed.push_back(path);
}

Value string_array(const std::vector<std::string>& v) {
  Value arr = Value::array();
  arr.items.reserve(v.size());
  for (const auto& s : v) arr.push(Value::from_string(s));
  return arr;
}

}  // namespace

StateDiff diff_states(const Value* previous, const Value& next) {
  StateDiff d;
  if (previous == nullptr) {
    collect_leaves(next, "", d.added);
  } else {
    walk(*previous, next, "", d);
  }
  return d;
}

StateDiff diff_json(std::string_view previous, std::string_view next) {
  const json::ParseResult before = json::parse(previous);
  if (!before.ok) throw std::invalid_argument("previous state: " + before.error);
  const json::ParseResult after = json::parse(next);
  if (!after.ok) throw std::invalid_argument("next state: " + after.error);
  return diff_states(&before.value, after.value);
}

Value to_json(const StateDiff& diff) {
  Value obj = Value::object();
  obj.set("added", string_array(diff.added));
  obj.set("removed", string_array(diff.removed));
  obj.set("changed", string_array(diff.changed));
  return obj;
}

}  // namespace snapstate::devserver
