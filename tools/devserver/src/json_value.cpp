#include "json_value.hpp"

#include <algorithm>

namespace snapstate::devserver::json {

Value Value::from_bool(bool b) {
  Value v;
  v.type = Type::Bool;
  v.boolean = b;
  return v;
}

Value Value::from_number(double d) {
  Value v;
  v.type = Type::Number;
  v.number = d;
  return v;
}

Value Value::from_string(std::string s) {
  Value v;
  v.type = Type::String;
  v.text = std::move(s);
  return v;
}

Value Value::raw(std::string serialized) {
  Value v;
  v.type = Type::Raw;
  v.text = std::move(serialized);
  return v;
}

Value Value::array() {
  Value v;
  v.type = Type::Array;
  return v;
}

Value Value::object() {
  Value v;
  v.type = Type::Object;
  return v;
}

const Value* Value::find(std::string_view name) const {
  for (const auto& m : items) {
    if (m.key == name) return &m;
  }
  return nullptr;
}

Value* Value::find(std::string_view name) {
  for (auto& m : items) {
    if (m.key == name) return &m;
  }
  return nullptr;
}

Value& Value::set(std::string name, Value v) {
  if (Value* existing = find(name)) {
    v.key = std::move(existing->key);
    *existing = std::move(v);
    return *existing;
  }
  v.key = std::move(name);
  std::uint32_t index = 0;
  if (is_array_index(v.key, &index)) {
    auto pos = std::find_if(items.begin(), items.end(), [index](const Value& m) {
      std::uint32_t other = 0;
      return !is_array_index(m.key, &other) || other > index;
    });
    return *items.insert(pos, std::move(v));
  }
  items.push_back(std::move(v));
  return items.back();
}

bool is_array_index(std::string_view key, std::uint32_t* index) {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  std::uint64_t n = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > 4294967294ULL) return false;
  if (index != nullptr) *index = static_cast<std::uint32_t>(n);
  return true;
}

void apply_js_key_order(std::vector<Value>& members) {
  bool any = false;
  for (const auto& m : members) {
    if (is_array_index(m.key)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  auto mid = std::stable_partition(members.begin(), members.end(),
                                   [](const Value& m) { return is_array_index(m.key); });
  std::stable_sort(members.begin(), mid, [](const Value& a, const Value& b) {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    is_array_index(a.key, &x);
    is_array_index(b.key, &y);
    return x < y;
  });
}

std::size_t code_point_count(std::string_view wtf8) {
  std::size_t n = 0;
  for (char c : wtf8) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

}  // namespace snapstate::devserver::json
