#include "json_value.hpp"

#include <algorithm>

#include "js_object.hpp"

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
  if (const auto index = protocol::array_index(v.key)) {
    auto pos = std::find_if(items.begin(), items.end(), [&index](const Value& m) {
      const auto other = protocol::array_index(m.key);
      return !other || *other > *index;
    });
    return *items.insert(pos, std::move(v));
  }
  items.push_back(std::move(v));
  return items.back();
}

void apply_js_key_order(std::vector<Value>& members) {
  const auto is_index = [](const Value& m) { return protocol::array_index(m.key).has_value(); };
  if (std::none_of(members.begin(), members.end(), is_index)) return;
  auto mid = std::stable_partition(members.begin(), members.end(), is_index);
  std::stable_sort(members.begin(), mid, [](const Value& a, const Value& b) {
    return *protocol::array_index(a.key) < *protocol::array_index(b.key);
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
