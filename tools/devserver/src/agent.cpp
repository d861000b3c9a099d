#include "agent.hpp"

#include <algorithm>

#include "clock.hpp"
#include "js_number.hpp"
#include "js_stringify.hpp"

namespace snapstate::devserver {
namespace {

using json::Type;
using json::Value;

// What node-postgres sends for a TEXT column: strings as they are, other values as text
// (a number as String(n): 1e400 was parsed as Infinity and is stored as "Infinity").
Value text_column(const Value& v) {
  switch (v.type) {
    case Type::Null: return Value::null();
    case Type::String: return v;
    case Type::Number: return Value::from_string(protocol::js_number_to_string(v.number));
    case Type::Bool: return Value::from_string(v.boolean ? "true" : "false");
    default: return Value::from_string(json::stringify(v));
  }
}

// A JSONB round trip: object keys come back sorted by length, then bytes; a JS engine then
// enumerates array-index keys first.
Value jsonb(Value v) {
  for (auto& child : v.items) {
    std::string key = std::move(child.key);
    child = jsonb(std::move(child));
    child.key = std::move(key);
  }
  if (v.type == Type::Object) {
    std::stable_sort(v.items.begin(), v.items.end(), [](const Value& a, const Value& b) {
      return a.key.size() != b.key.size() ? a.key.size() < b.key.size() : a.key < b.key;
    });
    json::apply_js_key_order(v.items);
  }
  return v;
}

bool js_space(std::string_view s, std::size_t i, std::size_t& len) {
  static const char* const kWide[] = {"\xC2\xA0",     "\xEF\xBB\xBF", "\xE2\x80\xA8",
                                      "\xE2\x80\xA9", "\xE3\x80\x80", "\xE2\x80\xAF",
                                      "\xE2\x81\x9F"};
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
    len = 1;
    return true;
  }
  for (const char* w : kWide) {
    if (s.substr(i, std::string_view(w).size()) == w) {
      len = std::string_view(w).size();
      return true;
    }
  }
  return false;
}

// Control characters stripped, trimmed, cut to 255 UTF-16 units.
std::string sanitize_name(const std::string& in) {
  std::string s;
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7F) s += c;
  }
  std::size_t b = 0;
  std::size_t len = 0;
  while (b < s.size() && js_space(s, b, len)) b += len;
  std::size_t e = s.size();
  while (e > b) {
    std::size_t i = e - 1;
    while (i > b && (static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U) --i;
    if (!js_space(s, i, len) || i + len != e) break;
    e = i;
  }
  s = s.substr(b, e - b);
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::size_t w = n == 4 ? 2 : 1;
    if (units + w > 255) break;
    units += w;
    i += n;
  }
  return s.substr(0, i);
}

std::optional<Value> field(const Value& body, const char* name) {
  if (!body.is_object()) return std::nullopt;
  const Value* v = body.find(name);
  if (v == nullptr) return std::nullopt;
  Value copy = *v;
  copy.key.clear();
  return copy;
}

Value timestamp_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? Value::from_string(iso8601(*ms)) : Value::null();
}

}  // namespace

void apply_fields(Agent& a, const AgentFields& f, bool reset_missing) {
  if (f.name || reset_missing) a.name = f.name.value_or(Value::null());
  if (f.description || reset_missing) a.description = f.description.value_or(Value::null());
  if (f.capabilities || reset_missing) a.capabilities = f.capabilities.value_or(Value::array());
  if (f.metadata || reset_missing) a.metadata = f.metadata.value_or(Value::object());
}

void sort_for_listing(std::vector<Agent>& agents) {
  std::sort(agents.begin(), agents.end(), [](const Agent& x, const Agent& y) {
    if (x.last_seen_ms.has_value() != y.last_seen_ms.has_value()) return x.last_seen_ms.has_value();
    if (x.last_seen_ms && *x.last_seen_ms != *y.last_seen_ms)
      return *x.last_seen_ms > *y.last_seen_ms;
    if (x.created_ms != y.created_ms) return x.created_ms > y.created_ms;
    return x.id > y.id;
  });
}

AgentFields agent_fields(const Value& body) {
  AgentFields f;
  if (auto v = field(body, "name")) {
    f.name = v->is_string() ? Value::from_string(sanitize_name(v->text)) : text_column(*v);
  }
  if (auto v = field(body, "description")) f.description = text_column(*v);
  if (auto v = field(body, "capabilities")) {
    f.capabilities = v->type == Type::Null ? Value::array() : jsonb(std::move(*v));
  }
  if (auto v = field(body, "metadata")) {
    f.metadata = v->type == Type::Null ? Value::object() : jsonb(std::move(*v));
  }
  return f;
}

bool valid_agent_id(const std::string& id) {
  if (id.empty() || id.size() > 255) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

Value to_json(const Agent& a) {
  Value v = Value::object();
  v.set("id", Value::from_number(static_cast<double>(a.id)));
  v.set("agent_id", Value::from_string(a.agent_id));
  v.set("name", a.name);
  v.set("description", a.description);
  v.set("capabilities", a.capabilities);
  v.set("metadata", a.metadata);
  v.set("last_seen_at", timestamp_or_null(a.last_seen_ms));
  v.set("created_at", Value::from_string(iso8601(a.created_ms)));
  return v;
}

}  // namespace snapstate::devserver
